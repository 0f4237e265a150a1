import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { channels } from '../../../../shared/contract'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { useUpdateSettings, type IntegerSetting } from './queries'

export interface IntegerSettingFieldProps {
  readonly setting: IntegerSetting
  /** The stored value; undefined while the settings load. */
  readonly current: number | undefined
  readonly min: number
  readonly max: number
  /** Translated texts, given the range as the locale writes it. */
  readonly text: (range: { readonly min: string; readonly max: string }) => {
    readonly label: string
    readonly hint: string
    readonly invalid: string
  }
  readonly testId: string
}

/**
 * A whole-number setting, saved on Enter or when the field loses focus. The contract's schema decides
 * what is valid, so the field and main can't disagree about the range.
 */
export function IntegerSettingField({
  setting,
  current,
  min,
  max,
  text: textFor,
  testId,
}: IntegerSettingFieldProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const text = textFor({ min: formatNumber(i18n.language, min), max: formatNumber(i18n.language, max) })
  const id = useId()
  const save = useUpdateSettings()
  /** null: not edited, the stored value shows. */
  const [typed, setTyped] = useState<string | null>(null)
  const [invalid, setInvalid] = useState(false)
  const shown = typed ?? (current === undefined ? '' : String(current))

  const commit = (): void => {
    if (typed === null) return
    const trimmed = typed.trim()
    const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
    const parsed = channels['settings.update'].input.safeParse({ [setting]: value })
    const accepted = parsed.success ? parsed.data[setting] : undefined
    if (accepted === undefined) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    if (accepted === current) {
      setTyped(null)
      return
    }
    save.mutate({ [setting]: accepted }, { onSuccess: () => setTyped(null) })
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
        <label htmlFor={id}>{text.label}</label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          data-testid={testId}
          value={shown}
          disabled={current === undefined || save.isPending}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => {
            setTyped(event.target.value)
            setInvalid(false)
            save.reset()
          }}
          onBlur={commit}
        />
        <span className="hint" id={`${id}-hint`}>
          {text.hint}
        </span>
        {invalid && (
          <span className="field-error" id={`${id}-error`} data-testid={`field-error-${setting}`}>
            {text.invalid}
          </span>
        )}
        {save.isSuccess && (
          <span className="hint" role="status" data-testid={`${testId}-saved`}>
            {t('settings.saved')}
          </span>
        )}
      </div>
      {save.isError && <ErrorText error={save.error} />}
    </form>
  )
}
