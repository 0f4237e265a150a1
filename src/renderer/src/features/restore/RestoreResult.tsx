import { useTranslation } from 'react-i18next'
import type { RestoreRecord } from '../../../../shared/types/restore'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { formatDateTime } from '../../components/format'
import { snapshotHash } from '../snapshots/links'
import { outcomeLabel, recordErrorText } from './restoreText'
import { VolumeStates } from './VolumeStates'

/** A finished restore: what each volume holds now, and the pre-restore snapshot that undoes it. */
export function RestoreResult({
  record,
  snapshot,
  onUndo,
}: {
  record: RestoreRecord
  snapshot: SnapshotSummary
  onUndo: (preRestoreSnapshotId: string) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const restored = record.outcome === 'restored'
  return (
    <div className="restore-result" data-testid="restore-result" data-outcome={record.outcome}>
      <p className={restored ? 'ok-text' : 'error'} role="status">
        {restored
          ? t('restore.result.restored', {
              name: snapshot.workloadName,
              date: formatDateTime(i18n.language, snapshot.createdAt),
            })
          : record.outcome === 'restored_not_running'
            ? t('restore.result.notRunning', {
                name: snapshot.workloadName,
                date: formatDateTime(i18n.language, snapshot.createdAt),
              })
            : record.outcome === 'restored_unhealthy'
              ? t('restore.result.unhealthy', {
                  name: snapshot.workloadName,
                  date: formatDateTime(i18n.language, snapshot.createdAt),
                })
              : t('restore.result.other', { outcome: outcomeLabel(t, record.outcome) })}
      </p>
      {record.errorCode !== null && <p className="error">{recordErrorText(t, record.errorCode)}</p>}
      {record.volumes.length > 0 && (
        <>
          <p className="strong">{t('restore.result.volumes')}</p>
          <VolumeStates volumes={record.volumes} testId="restore-volume-states" />
        </>
      )}
      {record.preRestoreSnapshotId !== null &&
        (record.outcome === 'restored_unhealthy' || record.outcome === 'restored_not_running') && (
          <p>
            <button
              type="button"
              className="primary"
              onClick={() => onUndo(record.preRestoreSnapshotId ?? '')}
              data-testid="undo-restore"
            >
              {t('restore.result.undo')}
            </button>{' '}
            <span className="hint">{t('restore.result.undoHint')}</span>
          </p>
        )}
      {record.preRestoreSnapshotId !== null && (
        <p className="restore-undo">
          {t('restore.result.preRestore')}{' '}
          <a
            href={snapshotHash(record.preRestoreSnapshotId)}
            className="mono"
            aria-label={t('restore.result.browsePreRestore', { id: record.preRestoreSnapshotId })}
            data-testid="pre-restore-link"
            data-snapshot-id={record.preRestoreSnapshotId}
          >
            {record.preRestoreSnapshotId}
          </a>
        </p>
      )}
    </div>
  )
}
