import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DeployPin, DeployRecord, WorkloadDetail } from '../../../../shared/types/workloads'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { formatDateTime, formatDuration } from '../../components/format'
import { ActionError } from './ActionError'
import { useDeployHistory, useRollback } from './queries'
import { ConfigDiffList } from './ConfigDiffList'
import { deployedRecord } from './UndeployedChanges'
import { deployErrorText, reasonLabel, shortImageId, snapshotLabel, STATUS_BADGE, statusLabel } from './workloadText'

const SNAPSHOT_BADGE = { skipped: 'badge-muted', taken: 'badge-ok', failed: 'badge-bad' } as const

const newestFirst = (records: readonly DeployRecord[]): DeployRecord[] =>
  [...records].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))

/** Every deploy of the workload, newest first; older successful ones can be rolled back to. */
export function DeployHistory({
  workload,
  disabled,
}: {
  workload: WorkloadDetail
  /** Another action runs: no rollback meanwhile. */
  disabled: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const history = useDeployHistory(workload.id)
  const [rollingBackTo, setRollingBackTo] = useState<DeployRecord | null>(null)
  const records = history.data === undefined ? [] : newestFirst(history.data)
  const current = deployedRecord(records)
  const canRollBackTo = (record: DeployRecord): boolean =>
    record.status === 'success' && record.id !== current?.id && record.pins.length > 0

  return (
    <section className="section" aria-labelledby="workload-history">
      <h2 id="workload-history" className="section-title">
        {t('workloads.history.title')}
      </h2>
      {history.isPending && <p className="muted">{t('common.loading')}</p>}
      {history.isError && <ErrorText error={history.error} />}
      {history.isSuccess && records.length === 0 && (
        <p className="muted" data-testid="history-empty">
          {t('workloads.history.empty')}
        </p>
      )}
      {records.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">{t('workloads.history.started')}</th>
                <th scope="col">{t('workloads.history.reason')}</th>
                <th scope="col">{t('workloads.history.status')}</th>
                <th scope="col">{t('workloads.history.images')}</th>
                <th scope="col">{t('workloads.history.snapshot')}</th>
                <th scope="col">{t('workloads.history.duration')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('workloads.history.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {records.map((record, i) => (
                <HistoryRow
                  key={record.id}
                  record={record}
                  previous={records.slice(i + 1).find((older) => older.config !== null) ?? null}
                  isCurrent={record.id === current?.id}
                  onRollback={canRollBackTo(record) ? () => setRollingBackTo(record) : null}
                  disabled={disabled}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rollingBackTo !== null && (
        <RollbackDialog workload={workload} record={rollingBackTo} onClose={() => setRollingBackTo(null)} />
      )}
    </section>
  )
}

interface HistoryRowProps {
  readonly record: DeployRecord
  /** The entry before it (with a configuration), to compare with. */
  readonly previous: DeployRecord | null
  readonly isCurrent: boolean
  readonly onRollback: (() => void) | null
  readonly disabled: boolean
}

function HistoryRow({ record, previous, isCurrent, onRollback, disabled }: HistoryRowProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <tr data-testid={`history-row-${record.id}`} data-reason={record.reason} data-status={record.status}>
      <td>
        <time dateTime={record.startedAt}>{formatDateTime(i18n.language, record.startedAt)}</time>
        {isCurrent && (
          <div>
            <span className="badge badge-ok" data-testid="history-current">
              {t('workloads.history.current')}
            </span>
          </div>
        )}
      </td>
      <td>{reasonLabel(t, record.reason)}</td>
      <td>
        <span className={`badge ${STATUS_BADGE[record.status]}`}>{statusLabel(t, record.status)}</span>
        {record.errorCode !== null && (
          <div className="error small-text" data-testid="history-error" data-code={record.errorCode}>
            {deployErrorText(t, record.errorCode, record.errorService)}
          </div>
        )}
      </td>
      <td>
        <Pins pins={record.pins} />
        {record.config !== null && previous !== null && previous.config !== null && (
          <details className="config-changes" data-testid={`config-changes-${record.id}`}>
            <summary>{t('workloads.history.configChanges')}</summary>
            <ConfigDiffList before={previous.config} after={record.config} />
          </details>
        )}
      </td>
      <td>
        <span className={`badge ${SNAPSHOT_BADGE[record.preDeploySnapshot]}`} data-snapshot={record.preDeploySnapshot}>
          {snapshotLabel(t, record.preDeploySnapshot)}
        </span>
      </td>
      <td className="nowrap">
        {record.durationMs === null ? (
          <span className="muted">{record.status === 'running' ? t('workloads.history.inProgress') : '—'}</span>
        ) : (
          formatDuration(i18n.language, record.durationMs)
        )}
      </td>
      <td>
        {onRollback !== null && (
          <button
            type="button"
            className="small"
            disabled={disabled}
            onClick={onRollback}
            data-testid={`rollback-${record.id}`}
          >
            {t('workloads.history.rollback')}
          </button>
        )}
      </td>
    </tr>
  )
}

function Pins({ pins }: { pins: readonly DeployPin[] }): React.JSX.Element {
  const { t } = useTranslation()
  if (pins.length === 0) return <span className="muted">—</span>
  return (
    <ul className="plain-list pins">
      {pins.map((pin) => (
        <li key={pin.service}>
          <span className="pin-service">{pin.service}</span> <span className="mono">{pin.imageRef}</span>{' '}
          <span
            className="mono muted"
            title={pin.imageId}
            aria-label={t('workloads.history.imageId', { id: pin.imageId })}
          >
            {shortImageId(pin.imageId)}
          </span>
        </li>
      ))}
    </ul>
  )
}

function RollbackDialog({
  workload,
  record,
  onClose,
}: {
  workload: WorkloadDetail
  record: DeployRecord
  onClose: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const rollback = useRollback(workload.id)
  const failed = rollback.data?.status === 'failure' ? rollback.data : null
  return (
    <Dialog
      title={t('workloads.rollback.title', { name: workload.name })}
      onClose={onClose}
      busy={rollback.isPending}
      testId="rollback-dialog"
    >
      <p>{t('workloads.rollback.intro', { date: formatDateTime(i18n.language, record.startedAt) })}</p>
      <ul className="plain-list rollback-pins" data-testid="rollback-images">
        {record.pins.map((pin) => (
          <li key={pin.service}>
            <span className="strong">{pin.service}</span> <span className="mono">{pin.imageRef}</span>{' '}
            <span className="mono muted">{shortImageId(pin.imageId)}</span>
          </li>
        ))}
      </ul>
      {record.config === null ? (
        <p className="hint">{t('workloads.rollback.note')}</p>
      ) : (
        <>
          <p className="hint">{t('workloads.rollback.configNote')}</p>
          <ConfigDiffList
            before={{ services: workload.services, networks: workload.networks, volumes: workload.volumes }}
            after={record.config}
          />
        </>
      )}
      {workload.snapshotBeforeDeploy && <p className="hint">{t('workloads.rollback.snapshotNote')}</p>}
      {rollback.isError && <ActionError error={rollback.error} />}
      {failed !== null && (
        <p className="error" role="alert">
          {failed.errorCode === null
            ? t('workloads.detail.deployFailed')
            : t('workloads.detail.deployFailedBecause', {
                reason: deployErrorText(t, failed.errorCode, failed.errorService),
              })}
        </p>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          onClick={onClose}
          disabled={rollback.isPending}
          data-testid="cancel-rollback"
          data-autofocus
        >
          {failed === null ? t('common.cancel') : t('common.close')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={rollback.isPending}
          onClick={() =>
            rollback.mutate(record.id, {
              onSuccess: (result) => {
                if (result.status !== 'failure') onClose()
              },
            })
          }
          data-testid="confirm-rollback"
        >
          {rollback.isPending ? t('workloads.rollback.running') : t('workloads.rollback.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
