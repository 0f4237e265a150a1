import { useTranslation } from 'react-i18next'
import type { DeployRecord, WorkloadDetail } from '../../../../shared/types/workloads'
import { configDiff } from './configDiff'
import { ConfigDiffList } from './ConfigDiffList'
import { useDeployHistory } from './queries'

/** The newest deploy that succeeded and kept its configuration: what runs now. */
export function deployedRecord(records: readonly DeployRecord[]): DeployRecord | undefined {
  return [...records]
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .find((record) => record.status === 'success')
}

/**
 * What the saved configuration changes from the one the last successful deploy ran, shown beside
 * the deploy buttons so a redeploy never surprises. Secret values are in neither, so a changed
 * secret alone shows nothing (the note says so).
 */
export function UndeployedChanges({ workload }: { workload: WorkloadDetail }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const history = useDeployHistory(workload.id)
  const deployed = history.data === undefined ? undefined : deployedRecord(history.data)
  if (deployed === undefined || deployed.config === null) return null
  const saved = { services: workload.services, networks: workload.networks, volumes: workload.volumes }
  if (configDiff(t, i18n.language, deployed.config, saved).length === 0) return null
  return (
    <section className="notice" data-testid="undeployed-changes" aria-labelledby="undeployed-changes-title">
      <h2 id="undeployed-changes-title" className="section-title">
        {t('workloads.undeployed.title')}
      </h2>
      <p className="muted small-text">{t('workloads.undeployed.intro')}</p>
      <ConfigDiffList before={deployed.config} after={saved} />
    </section>
  )
}
