import { useTranslation } from 'react-i18next'
import type { ConnectionTest } from '../../../../shared/types/hosts'
import { ErrorText } from '../../components/ErrorText'
import type { useTestConnection } from './queries'

/** What "Test connection" found: a round trip to the engine, and what it can tell about the host. */
export function ConnectionTestPanel({
  test,
}: {
  test: ReturnType<typeof useTestConnection>
}): React.JSX.Element | null {
  if (test.isIdle) return null
  return (
    <div className="test-panel" aria-live="polite">
      {test.isPending && <TestRunning />}
      {test.isError && <ErrorText error={test.error} />}
      {test.isSuccess && <TestResult result={test.data} />}
    </div>
  )
}

function TestRunning(): React.JSX.Element {
  const { t } = useTranslation()
  return <p className="muted">{t('hosts.test.running')}</p>
}

function TestResult({ result }: { result: ConnectionTest }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const latency = new Intl.NumberFormat(i18n.language, {
    style: 'unit',
    unit: 'millisecond',
    unitDisplay: 'short',
    maximumFractionDigits: 0,
  })
  const { engine } = result
  return (
    <div className="test-result" data-testid="test-result">
      <p className="test-ok">{t('hosts.test.ok')}</p>
      <dl className="facts">
        <dt>{t('hosts.engine.version')}</dt>
        <dd data-testid="test-version">{engine.version}</dd>
        <dt>{t('hosts.engine.apiVersion')}</dt>
        <dd data-testid="test-api-version">{engine.apiVersion}</dd>
        <dt>{t('hosts.engine.platform')}</dt>
        <dd data-testid="test-platform">{t('hosts.engine.osArch', { os: engine.os, arch: engine.arch })}</dd>
        <dt>{t('hosts.test.storageDriver')}</dt>
        <dd data-testid="test-storage-driver">{engine.storageDriver}</dd>
        <dt>{t('hosts.test.canCreate')}</dt>
        <dd data-testid="test-can-create" data-value={String(result.canCreateContainers)}>
          {result.canCreateContainers === null
            ? t('hosts.test.unknown')
            : result.canCreateContainers
              ? t('common.yes')
              : t('common.no')}
        </dd>
        <dt>{t('hosts.test.latency')}</dt>
        <dd data-testid="test-latency">{latency.format(result.latencyMs)}</dd>
      </dl>
    </div>
  )
}
