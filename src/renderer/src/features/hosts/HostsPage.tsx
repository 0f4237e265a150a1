import { useTranslation } from 'react-i18next'
import type { HostView } from '../../../../shared/types/hosts'
import { ErrorText } from '../../components/ErrorText'
import { useEngineFacts, useHosts } from './queries'

export function HostsPage(): React.JSX.Element {
  const { t } = useTranslation()
  const hosts = useHosts()
  return (
    <section>
      <h1>{t('hosts.title')}</h1>
      {hosts.isPending && <p className="muted">{t('common.loading')}</p>}
      {hosts.isError && <ErrorText error={hosts.error} />}
      <div className="cards">
        {hosts.data?.map((host) => (
          <HostCard key={host.id} host={host} />
        ))}
      </div>
    </section>
  )
}

function HostCard({ host }: { host: HostView }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const engine = useEngineFacts(host.id)
  const number = new Intl.NumberFormat(i18n.language)
  const reachable = engine.isSuccess
  return (
    <article className="card" data-testid={`host-${host.id}`}>
      <header className="card-header">
        <h2>{host.kind === 'local' ? t('hosts.localName') : host.name}</h2>
        <span
          className={`badge ${engine.isPending ? 'badge-pending' : reachable ? 'badge-ok' : 'badge-bad'}`}
          data-testid="engine-status"
        >
          {engine.isPending
            ? t('hosts.status.checking')
            : reachable
              ? t('hosts.status.reachable')
              : t('hosts.status.unreachable')}
        </span>
      </header>
      {engine.isError && <ErrorText error={engine.error} />}
      {engine.data && (
        <dl className="facts">
          <dt>{t('hosts.engine.version')}</dt>
          <dd data-testid="engine-version">{engine.data.version}</dd>
          <dt>{t('hosts.engine.apiVersion')}</dt>
          <dd>{engine.data.apiVersion}</dd>
          <dt>{t('hosts.engine.platform')}</dt>
          <dd>{t('hosts.engine.osArch', { os: engine.data.os, arch: engine.data.arch })}</dd>
          <dt>{t('hosts.engine.containers')}</dt>
          <dd data-testid="engine-containers">
            {t('hosts.engine.containersValue', {
              total: number.format(engine.data.containers),
              running: number.format(engine.data.containersRunning),
            })}
          </dd>
          <dt>{t('hosts.engine.images')}</dt>
          <dd data-testid="engine-images">{number.format(engine.data.images)}</dd>
        </dl>
      )}
    </article>
  )
}
