import { useTranslation } from 'react-i18next'
import type { WorkloadDetail } from '../../../../shared/types/workloads'
import { containerStateLabel, shortImageId } from './workloadText'

const STATE_CLASS: Readonly<Record<string, string>> = {
  running: 'badge-ok',
  restarting: 'badge-pending',
  paused: 'badge-pending',
  created: 'badge-muted',
  exited: 'badge-bad',
  dead: 'badge-bad',
}

/** The containers the engine runs for this workload right now. */
export function ContainersSection({ workload }: { workload: WorkloadDetail }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section className="section" aria-labelledby="workload-containers">
      <h2 id="workload-containers" className="section-title">
        {t('workloads.containers.title')}
      </h2>
      {workload.containers.length === 0 ? (
        <p className="muted" data-testid="containers-empty">
          {t('workloads.containers.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="containers-table">
            <thead>
              <tr>
                <th scope="col">{t('workloads.containers.service')}</th>
                <th scope="col">{t('workloads.containers.name')}</th>
                <th scope="col">{t('workloads.containers.image')}</th>
                <th scope="col">{t('workloads.containers.state')}</th>
              </tr>
            </thead>
            <tbody>
              {workload.containers.map((container) => (
                <tr key={container.id} data-testid={`container-row-${container.service}`} data-state={container.state}>
                  <th scope="row">{container.service}</th>
                  <td className="mono">{container.name}</td>
                  <td className="mono" title={container.image}>
                    {container.image.startsWith('sha256:') ? shortImageId(container.image) : container.image}
                  </td>
                  <td>
                    <span className={`badge ${STATE_CLASS[container.state] ?? 'badge-muted'}`}>
                      {containerStateLabel(t, container.state)}
                    </span>{' '}
                    <span className="muted">{container.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
