import { useTranslation } from 'react-i18next'
import type { DeployRecord, WorkloadSummary } from '../../../../shared/types/workloads'
import { formatDateTime, formatRelative } from '../../components/format'
import { CurrentUsage } from '../metrics/CurrentUsage'
import { useCurrentMetrics } from '../metrics/queries'
import { workloadHash } from './links'
import { StateBadge } from './StateBadge'
import { deployErrorText, formatPort, reasonLabel, STATUS_BADGE, statusLabel } from './workloadText'

/** The managed workloads of a host, each linking to its page. */
export function WorkloadTable({
  hostId,
  workloads,
}: {
  hostId: string
  workloads: readonly WorkloadSummary[]
}): React.JSX.Element {
  const { t } = useTranslation()
  const current = useCurrentMetrics(hostId)
  return (
    <div className="table-wrap">
      <table className="table" data-testid="workloads-table">
        <thead>
          <tr>
            <th scope="col">{t('workloads.list.name')}</th>
            <th scope="col">{t('workloads.list.state')}</th>
            <th scope="col">{t('workloads.list.usage')}</th>
            <th scope="col">{t('workloads.list.images')}</th>
            <th scope="col">{t('workloads.list.ports')}</th>
            <th scope="col">{t('workloads.list.lastDeploy')}</th>
          </tr>
        </thead>
        <tbody>
          {workloads.map((workload) => (
            <tr key={workload.id} data-testid={`workload-row-${workload.name}`}>
              <th scope="row">
                <a href={workloadHash(hostId, workload.id)} data-testid="workload-link">
                  {workload.name}
                </a>
              </th>
              <td>
                <StateBadge state={workload.state} />
              </td>
              <td>
                <CurrentUsage
                  workloadId={workload.id}
                  metric={current.data?.get(workload.id)}
                  fetchedAt={current.dataUpdatedAt}
                />
              </td>
              <td>
                <ul className="plain-list mono">
                  {workload.images.map((image) => (
                    <li key={image}>{image}</li>
                  ))}
                </ul>
              </td>
              <td>
                {workload.ports.length === 0 ? (
                  <span className="muted">{t('workloads.list.noPorts')}</span>
                ) : (
                  <ul className="plain-list mono">
                    {workload.ports.map((port) => {
                      const text = formatPort(port)
                      return <li key={text}>{text}</li>
                    })}
                  </ul>
                )}
              </td>
              <td>
                {workload.lastDeploy === null ? (
                  <span className="muted">{t('workloads.list.neverDeployed')}</span>
                ) : (
                  <LastDeploy record={workload.lastDeploy} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function LastDeploy({ record }: { record: DeployRecord }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <div className="last-deploy" data-testid="last-deploy" data-status={record.status} data-reason={record.reason}>
      <span className={`badge ${STATUS_BADGE[record.status]}`}>{statusLabel(t, record.status)}</span>{' '}
      <span>{reasonLabel(t, record.reason)}</span>{' '}
      <time className="muted" dateTime={record.startedAt} title={formatDateTime(i18n.language, record.startedAt)}>
        {formatRelative(i18n.language, record.startedAt)}
      </time>
      {record.errorCode !== null && (
        <div className="error small-text">{deployErrorText(t, record.errorCode, record.errorService)}</div>
      )}
    </div>
  )
}
