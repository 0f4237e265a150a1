import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../components/Dialog'
import { LocalPathField } from '../../components/LocalPathField'
import { SnapshotError } from './SnapshotError'

export interface DestinationMutation {
  readonly isPending: boolean
  readonly isError: boolean
  readonly error: unknown
  readonly data: { readonly path: string } | undefined
  mutate(destination: string): void
  reset(): void
}

interface LocalDestinationDialogProps {
  readonly title: string
  /** What is about to be written, already translated. */
  readonly summary: ReactNode
  readonly hint: string
  readonly confirmLabel: string
  readonly runningLabel: string
  readonly doneLabel: string
  readonly action: DestinationMutation
  /** `extract` → `extract-path`, `confirm-extract`, `extract-result`. */
  readonly testPrefix: string
  readonly onClose: () => void
}

/** Asks for a folder on this computer, writes something into it, and shows where it went. */
export function LocalDestinationDialog({
  title,
  summary,
  hint,
  confirmLabel,
  runningLabel,
  doneLabel,
  action,
  testPrefix,
  onClose,
}: LocalDestinationDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const [destination, setDestination] = useState('')
  const [invalid, setInvalid] = useState(false)
  const result = action.data
  const closeButton = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    // The form (and the focused button) went away: keep focus inside the dialog.
    if (result !== undefined) closeButton.current?.focus()
  }, [result])

  return (
    <Dialog title={title} onClose={onClose} busy={action.isPending} wide testId={`${testPrefix}-dialog`}>
      <div className="stack">
        <div className="destination-summary">{summary}</div>
        {result === undefined ? (
          <form
            className="stack"
            noValidate
            onSubmit={(event) => {
              event.preventDefault()
              const trimmed = destination.trim()
              if (trimmed === '') {
                setInvalid(true)
                return
              }
              action.mutate(trimmed)
            }}
          >
            <LocalPathField
              kind="directory"
              value={destination}
              onChange={(next) => {
                setDestination(next)
                setInvalid(false)
                action.reset()
              }}
              label={t('snapshots.destination')}
              hint={hint}
              error={invalid ? t('snapshots.pathRequired') : undefined}
              disabled={action.isPending}
              testId={`${testPrefix}-path`}
            />
            {action.isError && <SnapshotError error={action.error} />}
            <div className="dialog-actions">
              <button type="button" onClick={onClose} disabled={action.isPending}>
                {t('common.cancel')}
              </button>
              <button
                type="submit"
                className="primary"
                disabled={action.isPending}
                data-testid={`confirm-${testPrefix}`}
              >
                {action.isPending ? runningLabel : confirmLabel}
              </button>
            </div>
          </form>
        ) : (
          <>
            <div className="ok-text" role="status">
              <p>{doneLabel}</p>
              <p className="mono result-path" data-testid={`${testPrefix}-result`} data-path={result.path}>
                {result.path}
              </p>
            </div>
            <div className="dialog-actions">
              <button ref={closeButton} type="button" className="primary" onClick={onClose}>
                {t('common.close')}
              </button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  )
}
