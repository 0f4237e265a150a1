import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { CopyableText } from '../../components/CopyableText'
import { Dialog } from '../../components/Dialog'
import { formatBytes, formatDateTime } from '../../components/format'
import { originLabel, volumeKindLabel, volumeMounts } from '../snapshots/snapshotText'
import type { RestoreAttempt, RestoreJob } from './queries'
import { RestoreError } from './RestoreError'
import { RestoreResult } from './RestoreResult'
import { RestoreSteps } from './RestoreSteps'

/** What the user chose in the confirmation besides the typed id. */
export interface RestoreChoices {
  readonly keepSetid: boolean
  readonly fromDump: boolean
}

interface RestoreDialogProps {
  readonly snapshot: SnapshotSummary
  /** The restore runs (this one, or another of the same workload). */
  readonly running: boolean
  /** How the attempt made from this dialog ended; null before it ends (or starts). */
  readonly attempt: RestoreAttempt | null
  /** Whether the attempt from this dialog was made (it runs or has ended). */
  readonly started: boolean
  readonly job: RestoreJob | null
  /** The attempt loads the snapshot's database dump (its steps include the load). */
  readonly fromDump: boolean
  readonly onConfirm: (confirm: string, options: RestoreChoices) => void
  /** Undo a finished restore whose app did not come up: restore its pinned pre-restore snapshot. */
  readonly onUndo: (preRestoreSnapshotId: string) => void
  readonly onClose: () => void
}

/**
 * Restoring replaces live data, so the dialog says exactly what will happen and asks for the
 * snapshot's id to be typed. Then it follows the steps, and ends with what each volume holds.
 */
export function RestoreDialog({
  snapshot,
  running,
  attempt,
  started,
  job,
  fromDump,
  onConfirm,
  onUndo,
  onClose,
}: RestoreDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const name = snapshot.workloadName
  const title = !started
    ? t('restore.dialog.title', { name })
    : attempt === null
      ? t('restore.progress.title', { name })
      : attempt.ok
        ? attempt.record.outcome === 'restored_not_running'
          ? t('restore.result.titleNotRunning', { name })
          : attempt.record.outcome === 'restored_unhealthy'
            ? t('restore.result.titleUnhealthy', { name })
            : t('restore.result.title', { name })
        : t('restore.error.title', { name })

  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={started && attempt === null}
      tone={attempt?.ok === true && attempt.record.outcome === 'restored' ? 'normal' : 'danger'}
      wide
      testId="restore-dialog"
    >
      {!started ? (
        <Confirm snapshot={snapshot} running={running} onConfirm={onConfirm} onClose={onClose} />
      ) : (
        <Follow snapshot={snapshot} attempt={attempt} job={job} fromDump={fromDump} onClose={onClose} onUndo={onUndo} />
      )}
    </Dialog>
  )
}

function Confirm({
  snapshot,
  running,
  onConfirm,
  onClose,
}: {
  snapshot: SnapshotSummary
  running: boolean
  onConfirm: (confirm: string, options: RestoreChoices) => void
  onClose: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const id = useId()
  const [typed, setTyped] = useState('')
  const [keepSetid, setKeepSetid] = useState(false)
  const [fromDump, setFromDump] = useState(false)
  const imported = snapshot.origin === 'import'
  const matches = typed === snapshot.id
  const wrong = typed !== '' && !snapshot.id.startsWith(typed)
  const empty = snapshot.volumes.length === 0
  const canRestore = matches && !running && !empty

  return (
    <form
      className="stack restore-confirm"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (canRestore)
          onConfirm(typed, { keepSetid: imported && keepSetid, fromDump: snapshot.dump !== null && fromDump })
      }}
    >
      <div className="banner banner-danger restore-warning">
        <p className="banner-title">{t('restore.dialog.warning')}</p>
        {snapshot.consistency.mayBeInconsistent && (
          <p className="strong" data-testid="restore-may-be-inconsistent">
            {t('restore.dialog.mayBeInconsistent')}
          </p>
        )}
        {empty ? (
          <p data-testid="restore-volumes">{t('restore.reason.no_volumes')}</p>
        ) : (
          <>
            <p>{t('restore.dialog.volumesIntro')}</p>
            <ul className="restore-volumes" data-testid="restore-volumes">
              {snapshot.volumes.map((volume) => (
                <li key={volume.index} data-index={volume.index}>
                  <span className="mono strong">{volumeMounts(volume)}</span>
                  <span className="hint">
                    {t('restore.dialog.volumeFacts', {
                      kind: volumeKindLabel(t, volume.kind),
                      size: formatBytes(language, volume.bytes),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      <dl className="facts restore-facts">
        <dt>{t('restore.dialog.taken')}</dt>
        <dd>
          <time dateTime={snapshot.createdAt}>{formatDateTime(language, snapshot.createdAt)}</time>
        </dd>
        <dt>{t('restore.dialog.label')}</dt>
        <dd data-testid="restore-snapshot-label">{snapshot.label ?? t('restore.dialog.noLabel')}</dd>
        <dt>{t('restore.dialog.origin')}</dt>
        <dd>{originLabel(t, snapshot.origin)}</dd>
      </dl>

      <ol className="restore-what">
        <li>{t('restore.dialog.whatStage')}</li>
        <li>{t('restore.dialog.whatSwap')}</li>
        <li>{t('restore.dialog.whatKeep')}</li>
      </ol>

      {snapshot.dump !== null && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={fromDump}
            onChange={(event) => setFromDump(event.target.checked)}
            aria-describedby={`${id}-dump`}
            data-testid="restore-from-dump"
          />
          <span>
            {t('restore.dialog.fromDump', { service: snapshot.dump.service })}
            <span className="hint" id={`${id}-dump`}>
              {' '}
              {t('restore.dialog.fromDumpHint')}
            </span>
          </span>
        </label>
      )}

      {imported && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={keepSetid}
            onChange={(event) => setKeepSetid(event.target.checked)}
            aria-describedby={`${id}-setid`}
            data-testid="restore-keep-setid"
          />
          <span>
            {t('restore.dialog.keepSetid')}
            <span className="hint" id={`${id}-setid`}>
              {' '}
              {t('restore.dialog.keepSetidHint')}
            </span>
          </span>
        </label>
      )}

      <div className="form-field restore-typed">
        <label htmlFor={`${id}-confirm`}>{t('restore.dialog.typeId')}</label>
        <CopyableText value={snapshot.id} label={t('restore.dialog.snapshotId')} testId="restore-snapshot-id" />
        <input
          id={`${id}-confirm`}
          type="text"
          className="mono"
          value={typed}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-invalid={wrong}
          aria-describedby={wrong ? `${id}-mismatch` : undefined}
          onChange={(event) => setTyped(event.target.value)}
          data-testid="restore-confirm-input"
          data-autofocus
        />
        {wrong && (
          <span className="field-error" id={`${id}-mismatch`}>
            {t('restore.dialog.mismatch')}
          </span>
        )}
      </div>
      {running && (
        <p className="error" role="status" data-testid="restore-busy">
          {t('restore.busy')}
        </p>
      )}

      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-testid="cancel-restore">
          {t('common.cancel')}
        </button>
        <button type="submit" className="danger" disabled={!canRestore} data-testid="confirm-restore">
          {t('restore.dialog.confirm')}
        </button>
      </div>
    </form>
  )
}

function Follow({
  snapshot,
  attempt,
  job,
  fromDump,
  onClose,
  onUndo,
}: {
  snapshot: SnapshotSummary
  attempt: RestoreAttempt | null
  job: RestoreJob | null
  fromDump: boolean
  onClose: () => void
  onUndo: (preRestoreSnapshotId: string) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const region = useRef<HTMLDivElement>(null)
  const close = useRef<HTMLButtonElement>(null)
  const ended = attempt !== null

  // The confirm button went away with the form: keep focus inside the dialog, on what changed.
  useEffect(() => {
    if (ended) close.current?.focus()
    else region.current?.focus()
  }, [ended])

  return (
    <div className="stack restore-follow">
      <div ref={region} tabIndex={-1} className="restore-follow-region" aria-live="polite">
        {attempt === null && <p>{t('restore.progress.intro')}</p>}
        {(attempt === null || attempt.ok || job !== null) && (
          <RestoreSteps
            job={job}
            fromDump={fromDump}
            finished={attempt?.ok === true}
            failed={attempt !== null && !attempt.ok}
          />
        )}
      </div>
      {attempt?.ok === true && <RestoreResult record={attempt.record} snapshot={snapshot} onUndo={onUndo} />}
      {attempt !== null && !attempt.ok && (
        <RestoreError error={attempt.error} record={attempt.record} position={job?.position ?? null} />
      )}
      {ended && (
        <div className="dialog-actions">
          <button ref={close} type="button" onClick={onClose} data-testid="close-restore">
            {t('common.close')}
          </button>
        </div>
      )}
    </div>
  )
}
