import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaptureMode } from '../../../../shared/types/snapshots'
import { Dialog } from '../../components/Dialog'

const LABEL_MAX = 200

interface CaptureDialogProps {
  readonly workloadName: string | null
  /** The workload's services that run a database: a raw live copy of them may be torn. */
  readonly databases: readonly string[]
  readonly onCapture: (mode: CaptureMode, label: string | null, acknowledgeInconsistent: boolean) => void
  readonly onClose: () => void
}

const MODES = ['stop', 'pause', 'live'] as const

/**
 * How to hold the app still while it is copied: stop it (the default), pause it (no restart,
 * every file from one moment: the default for a database), or copy it live — which for a database
 * needs an explicit acknowledgement, because the copy may not restore to a consistent state.
 */
export function CaptureDialog({ workloadName, databases, onCapture, onClose }: CaptureDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const hasDatabase = databases.length > 0
  const [mode, setMode] = useState<CaptureMode>(hasDatabase ? 'pause' : 'stop')
  const [acknowledged, setAcknowledged] = useState(false)
  const [label, setLabel] = useState('')
  const trimmed = label.trim()
  const needsAcknowledgement = mode === 'live' && hasDatabase
  const canCapture = trimmed.length <= LABEL_MAX && (!needsAcknowledgement || acknowledged)
  const title = (m: CaptureMode): string =>
    m === 'stop'
      ? t('snapshots.capture.modeStop')
      : m === 'pause'
        ? t('snapshots.capture.modePause')
        : t('snapshots.capture.modeLive')
  const hint = (m: CaptureMode): string =>
    m === 'stop'
      ? t('snapshots.capture.modeStopHint')
      : m === 'pause'
        ? t('snapshots.capture.modePauseHint')
        : hasDatabase
          ? t('snapshots.capture.modeLiveDatabaseHint', { services: databases.join(', ') })
          : t('snapshots.capture.modeLiveHint')

  return (
    <Dialog
      title={
        workloadName === null ? t('snapshots.capture.title') : t('snapshots.capture.titleFor', { name: workloadName })
      }
      onClose={onClose}
      testId="capture-dialog"
    >
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!canCapture) return
          onCapture(mode, trimmed === '' ? null : trimmed, needsAcknowledgement && acknowledged)
        }}
      >
        <fieldset className="choice-group">
          <legend>{t('snapshots.capture.mode')}</legend>
          {MODES.map((m, index) => (
            <label className="choice" key={m}>
              <input
                type="radio"
                name={`${id}-mode`}
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
                aria-describedby={`${id}-${m}-hint`}
                data-testid={`capture-mode-${m}`}
                {...(index === 0 ? { 'data-autofocus': true } : {})}
              />
              <span>
                <span className="choice-title">{title(m)}</span>
                <span className={`hint${m === 'live' && hasDatabase ? ' warning-text' : ''}`} id={`${id}-${m}-hint`}>
                  {hint(m)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {needsAcknowledgement && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={acknowledged}
              onChange={(event) => setAcknowledged(event.target.checked)}
              data-testid="capture-acknowledge-live"
            />
            <span>{t('snapshots.capture.acknowledgeLive')}</span>
          </label>
        )}
        <div className="form-field">
          <label htmlFor={`${id}-label`}>{t('snapshots.capture.label')}</label>
          <input
            id={`${id}-label`}
            type="text"
            value={label}
            maxLength={LABEL_MAX}
            placeholder={t('snapshots.capture.labelPlaceholder')}
            onChange={(event) => setLabel(event.target.value)}
            data-testid="capture-label"
          />
        </div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose} data-testid="cancel-capture-dialog">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!canCapture} data-testid="confirm-capture">
            {t('snapshots.capture.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
