import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { channels } from '../../../../shared/contract'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { useSetDeployHistoryLimit } from './queries'

const MIN = 1
const MAX = 1000

/** How many deploy history entries each workload keeps; saved on Enter or when the field loses focus. */
export function HistoryLimitField({ current }: { current: number | undefined }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const id = useId()
  const save = useSetDeployHistoryLimit()
  /** null: not edited, the stored value shows. */
  const [text, setText] = useState<string | null>(null)
  const [invalid, setInvalid] = useState(false)
  const shown = text ?? (current === undefined ? '' : String(current))

  const commit = (): void => {
    if (text === null) return
    const trimmed = text.trim()
    const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
    const parsed = channels['settings.update'].input.safeParse({ deployHistoryLimit: value })
    if (!parsed.success || parsed.data.deployHistoryLimit === undefined) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    if (parsed.data.deployHistoryLimit === current) {
      setText(null)
      return
    }
    save.mutate(parsed.data.deployHistoryLimit, { onSuccess: () => setText(null) })
  }

  const describedBy = [`${id}-hint`, invalid ? `${id}-error` : null].filter((part) => part !== null).join(' ')

  return (
    <form
      className="settings-field"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        commit()
      }}
    >
      <div className="form-field field">
        <label htmlFor={id}>{t('settings.historyLimit')}</label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={MIN}
          max={MAX}
          step={1}
          data-testid="settings-history-limit"
          value={shown}
          disabled={current === undefined || save.isPending}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => {
            setText(event.target.value)
            setInvalid(false)
            save.reset()
          }}
          onBlur={commit}
        />
        <span className="hint" id={`${id}-hint`}>
          {t('settings.historyLimitHint', {
            min: formatNumber(i18n.language, MIN),
            max: formatNumber(i18n.language, MAX),
          })}
        </span>
        {invalid && (
          <span className="field-error" id={`${id}-error`} data-testid="field-error-deployHistoryLimit">
            {t('settings.historyLimitInvalid', {
              min: formatNumber(i18n.language, MIN),
              max: formatNumber(i18n.language, MAX),
            })}
          </span>
        )}
        {save.isSuccess && (
          <span className="hint" role="status" data-testid="settings-history-limit-saved">
            {t('settings.saved')}
          </span>
        )}
      </div>
      {save.isError && <ErrorText error={save.error} />}
    </form>
  )
}
