import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaptureMode } from '../../../../shared/types/snapshots'
import { Dialog } from '../../components/Dialog'

const LABEL_MAX = 200

interface CaptureDialogProps {
  readonly workloadName: string | null
  readonly onCapture: (mode: CaptureMode, label: string | null) => void
  readonly onClose: () => void
}

/** How to take a snapshot now: stop the app for a consistent copy (the default) or copy it live. */
export function CaptureDialog({ workloadName, onCapture, onClose }: CaptureDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const [mode, setMode] = useState<CaptureMode>('stop')
  const [label, setLabel] = useState('')
  const trimmed = label.trim()

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
          if (trimmed.length > LABEL_MAX) return
          onCapture(mode, trimmed === '' ? null : trimmed)
        }}
      >
        <fieldset className="choice-group">
          <legend>{t('snapshots.capture.mode')}</legend>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-mode`}
              value="stop"
              checked={mode === 'stop'}
              onChange={() => setMode('stop')}
              aria-describedby={`${id}-stop-hint`}
              data-testid="capture-mode-stop"
              data-autofocus
            />
            <span>
              <span className="choice-title">{t('snapshots.capture.modeStop')}</span>
              <span className="hint" id={`${id}-stop-hint`}>
                {t('snapshots.capture.modeStopHint')}
              </span>
            </span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-mode`}
              value="live"
              checked={mode === 'live'}
              onChange={() => setMode('live')}
              aria-describedby={`${id}-live-hint`}
              data-testid="capture-mode-live"
            />
            <span>
              <span className="choice-title">{t('snapshots.capture.modeLive')}</span>
              <span className="hint" id={`${id}-live-hint`}>
                {t('snapshots.capture.modeLiveHint')}
              </span>
            </span>
          </label>
        </fieldset>
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
          <button type="submit" className="primary" data-testid="confirm-capture">
            {t('snapshots.capture.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
