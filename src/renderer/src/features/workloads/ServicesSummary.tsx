import { useTranslation } from 'react-i18next'
import type { ServiceSpec, VolumeMount, WorkloadDetail } from '../../../../shared/types/workloads'
import { joinCommand } from '../../../../shared/commandLine'
import { formatPort, restartLabel } from './workloadText'

/** The saved configuration, read-only: what the next deploy will run. Secret values never show. */
export function ServicesSummary({ workload }: { workload: WorkloadDetail }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section className="section" aria-labelledby="workload-config">
      <h2 id="workload-config" className="section-title">
        {t('workloads.config.title')}
      </h2>
      <p className="hint">
        {workload.snapshotBeforeDeploy ? t('workloads.config.snapshotOn') : t('workloads.config.snapshotOff')}
      </p>
      <div className="service-summaries">
        {workload.services.map((service) => (
          <ServiceSummary key={service.name} service={service} />
        ))}
      </div>
    </section>
  )
}

function ServiceSummary({ service }: { service: ServiceSpec }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <article className="service-summary" data-testid={`service-summary-${service.name}`}>
      <h3>{service.name}</h3>
      <dl className="facts">
        <dt>{t('workloads.form.image')}</dt>
        <dd className="mono">{service.image}</dd>
        <dt>{t('workloads.form.command')}</dt>
        <dd className={service.command === null ? 'muted' : 'mono'}>
          {service.command === null ? t('workloads.config.defaultCommand') : joinCommand(service.command)}
        </dd>
        <dt>{t('workloads.form.restart')}</dt>
        <dd>{restartLabel(t, service.restart)}</dd>
        {service.ports.length > 0 && (
          <>
            <dt>{t('workloads.form.ports.title')}</dt>
            <dd className="mono">{service.ports.map(formatPort).join(', ')}</dd>
          </>
        )}
        {service.env.length > 0 && (
          <>
            <dt>{t('workloads.form.env.title')}</dt>
            <dd className="mono">
              {service.env
                .map((env) => (env.secret ? t('workloads.config.secretEnv', { name: env.name }) : env.name))
                .join(', ')}
            </dd>
          </>
        )}
        {service.volumes.length > 0 && (
          <>
            <dt>{t('workloads.form.volumes.title')}</dt>
            <dd>
              <ul className="plain-list">
                {service.volumes.map((volume) => (
                  <li key={volume.target}>
                    <MountText volume={volume} />
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </article>
  )
}

function MountText({ volume }: { volume: VolumeMount }): React.JSX.Element {
  const { t } = useTranslation()
  const notes = [
    volume.kind === 'bind' ? t('workloads.config.bind') : t('workloads.config.volume'),
    volume.readOnly ? t('workloads.form.volumes.readOnly') : null,
    volume.excludeFromSnapshots ? t('workloads.config.notSnapshotted') : null,
  ].filter((note) => note !== null)
  return (
    <>
      <span className="mono">{`${volume.source} → ${volume.target}`}</span>{' '}
      <span className="muted">{`(${notes.join(', ')})`}</span>
    </>
  )
}
