import { useTranslation } from 'react-i18next'
import type { NetworkSpec, ServiceSpec, VolumeSpec, WorkloadDetail } from '../../../../shared/types/workloads'
import { defaultNetworkName } from '../../../../shared/serviceSpec'
import { networksInUse } from '../../../../shared/workloadNetworks'
import { serviceSettings } from './serviceSettings'

/** The saved configuration, read-only and in full: what the next deploy will run. Secret values never show. */
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
      <WorkloadResources workload={workload} />
    </section>
  )
}

function ServiceSummary({ service }: { service: ServiceSpec }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <article className="service-summary" data-testid={`service-summary-${service.name}`}>
      <h3>{service.name}</h3>
      <dl className="facts">
        {serviceSettings(t, i18n.language, service).map((row) => (
          <div key={row.field} className="fact" data-setting={row.field}>
            <dt>{row.label}</dt>
            <dd className={row.mono ? 'mono' : undefined}>
              {row.lines.length === 1 ? (
                row.lines[0]
              ) : (
                <ul className="plain-list">
                  {row.lines.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  )
}

/** The networks the services join (declared, or the default one Slipway makes) and the declared volumes. */
function WorkloadResources({ workload }: { workload: WorkloadDetail }): React.JSX.Element | null {
  const { t } = useTranslation()
  const networks = networksInUse(workload)
  const declared = new Set(workload.networks.map((n) => n.name))
  if (networks.length === 0 && workload.volumes.length === 0) return null
  return (
    <article className="service-summary" data-testid="workload-resources">
      <h3>{t('workloads.config.resources')}</h3>
      <ul className="plain-list">
        {networks.map((network) => (
          <li key={network.name} className="mono" data-network={network.name}>
            {network.name === defaultNetworkName(workload.name) && !declared.has(network.name)
              ? t('workloads.config.defaultNetwork', { name: network.name })
              : t('workloads.config.networkLine', { name: networkText(t, network) })}
          </li>
        ))}
        {workload.volumes.map((volume) => (
          <li key={volume.name} className="mono" data-volume={volume.name}>
            {t('workloads.config.volumeLine', { name: volumeText(t, volume) })}
          </li>
        ))}
      </ul>
    </article>
  )
}

type T = ReturnType<typeof useTranslation>['t']

function networkText(t: T, network: NetworkSpec): string {
  const notes = [
    network.external ? t('workloads.config.external') : null,
    network.driver,
    network.internal ? t('workloads.config.internal') : null,
    ...(network.ipam?.config.map((c) => c.subnet) ?? []),
  ].filter((note) => note !== null)
  return notes.length === 0 ? network.name : `${network.name} (${notes.join(', ')})`
}

function volumeText(t: T, volume: VolumeSpec): string {
  const notes = [volume.external ? t('workloads.config.external') : null, volume.driver].filter((n) => n !== null)
  return notes.length === 0 ? volume.name : `${volume.name} (${notes.join(', ')})`
}
