import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import type { HostView } from '../../../../shared/types/hosts'
import { ErrorText } from '../../components/ErrorText'
import { useSetHelperImage } from './queries'

/**
 * The image Slipway's helper containers run on this host (capture, restore). Empty: the image of
 * the workload being worked on. Main refuses an image that is not on the host or has no shell.
 */
export function HelperImageField({ host }: { host: HostView }): React.JSX.Element {
  const { t } = useTranslation()
  const save = useSetHelperImage(host.id)
  const [draft, setDraft] = useState(host.helperImage ?? '')
  const reason = save.error instanceof SlipwayError ? save.error.details?.['reason'] : undefined
  const inputId = `helper-image-${host.id}`
  const hintId = `${inputId}-hint`
  return (
    <form
      className="helper-image"
      data-testid="helper-image-form"
      onSubmit={(event) => {
        event.preventDefault()
        const image = draft.trim()
        save.mutate(image === '' ? null : image)
      }}
    >
      <label htmlFor={inputId}>{t('hosts.helperImage.label')}</label>
      <div className="inline-row">
        <input
          id={inputId}
          className="mono"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder={t('hosts.helperImage.placeholder')}
          aria-describedby={hintId}
          aria-invalid={save.isError}
          maxLength={512}
          spellCheck={false}
          data-testid="helper-image-input"
        />
        <button type="submit" disabled={save.isPending} data-testid="save-helper-image">
          {save.isPending ? t('hosts.helperImage.checking') : t('hosts.helperImage.save')}
        </button>
      </div>
      <p id={hintId} className="hint" data-testid="helper-image-current">
        {host.helperImage === null
          ? t('hosts.helperImage.default')
          : t('hosts.helperImage.current', { image: host.helperImage })}
      </p>
      {save.isError &&
        (reason === 'missing' ||
        reason === 'no_shell' ||
        (save.error instanceof SlipwayError && save.error.code === 'BAD_INPUT') ? (
          <p className="error" role="alert" data-testid="helper-image-error" data-reason={String(reason ?? 'invalid')}>
            {reason === 'missing'
              ? t('hosts.helperImage.missing')
              : reason === 'no_shell'
                ? t('hosts.helperImage.noShell')
                : t('hosts.helperImage.invalid')}
          </p>
        ) : (
          <ErrorText error={save.error} />
        ))}
    </form>
  )
}
