import { useTranslation } from 'react-i18next'
import type { RestoreRecord } from '../../../../shared/types/restore'
import { ErrorText } from '../../components/ErrorText'
import { formatDateTime, formatDuration } from '../../components/format'
import { snapshotHash } from '../snapshots/links'
import { useRestores } from './queries'
import { OUTCOME_BADGE, outcomeLabel, recordErrorText, shortId } from './restoreText'
import { VolumeStates } from './VolumeStates'

/** The workload's restores, newest first: the audit trail of every time its data was replaced. */
export function RestoresSection({ workloadId }: { workloadId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const restores = useRestores(workloadId)
  return (
    <section className="section" aria-labelledby="workload-restores" data-testid="restores-section">
      <h2 id="workload-restores" className="section-title">
        {t('restore.list.title')}
      </h2>
      {restores.isPending && <p className="muted">{t('common.loading')}</p>}
      {restores.isError && <ErrorText error={restores.error} />}
      {restores.isSuccess && restores.data.length === 0 && (
        <p className="muted" data-testid="restores-empty">
          {t('restore.list.empty')}
        </p>
      )}
      {restores.isSuccess && restores.data.length > 0 && (
        <div className="table-wrap">
          <table className="table restores-table" data-testid="restores-table">
            <thead>
              <tr>
                <th scope="col">{t('restore.list.started')}</th>
                <th scope="col">{t('restore.list.by')}</th>
                <th scope="col">{t('restore.list.snapshot')}</th>
                <th scope="col">{t('restore.list.outcome')}</th>
                <th scope="col">{t('restore.list.preRestore')}</th>
                <th scope="col">{t('restore.list.volumes')}</th>
              </tr>
            </thead>
            <tbody>
              {restores.data.map((record) => (
                <RestoreRow key={record.id} record={record} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function RestoreRow({ record }: { record: RestoreRecord }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const took = record.finishedAt === null ? null : Date.parse(record.finishedAt) - Date.parse(record.startedAt)
  return (
    <tr
      data-testid={`restore-row-${record.id}`}
      data-outcome={record.outcome}
      data-recovered={String(record.recovered)}
    >
      <td>
        <time dateTime={record.startedAt}>{formatDateTime(language, record.startedAt)}</time>
        {took !== null && Number.isFinite(took) && took >= 0 && (
          <div className="hint">{t('restore.list.took', { duration: formatDuration(language, took) })}</div>
        )}
      </td>
      <td>
        {record.requestedBy === 'unknown' ? (
          <span className="muted">{t('restore.list.unknownUser')}</span>
        ) : (
          record.requestedBy
        )}
      </td>
      <td>
        <a
          href={snapshotHash(record.snapshotId)}
          className="mono"
          title={record.snapshotId}
          aria-label={t('restore.list.browseSnapshot', { id: record.snapshotId })}
        >
          {shortId(record.snapshotId)}
        </a>
      </td>
      <td>
        <span className={`badge ${OUTCOME_BADGE[record.outcome]}`}>{outcomeLabel(t, record.outcome)}</span>
        {record.recovered && (
          <div>
            <span
              className="badge badge-pending"
              title={t('restore.list.recoveredHint')}
              data-testid="restore-recovered"
            >
              {t('restore.list.recovered')}
            </span>
          </div>
        )}
        {record.errorCode !== null && (
          <div className="error small-text" data-testid="restore-row-error" data-code={record.errorCode}>
            {recordErrorText(t, record.errorCode)}
          </div>
        )}
      </td>
      <td>
        {record.preRestoreSnapshotId === null ? (
          <span className="muted">—</span>
        ) : (
          <a
            href={snapshotHash(record.preRestoreSnapshotId)}
            className="mono"
            title={record.preRestoreSnapshotId}
            aria-label={t('restore.result.browsePreRestore', { id: record.preRestoreSnapshotId })}
            data-testid="restore-row-pre-restore"
          >
            {shortId(record.preRestoreSnapshotId)}
          </a>
        )}
      </td>
      <td>
        {record.volumes.length === 0 ? <span className="muted">—</span> : <VolumeStates volumes={record.volumes} />}
      </td>
    </tr>
  )
}
