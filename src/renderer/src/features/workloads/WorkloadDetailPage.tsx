import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkloadDetail } from '../../../../shared/types/workloads'
import { navigate } from '../../app/route'
import { ErrorText } from '../../components/ErrorText'
import { hostDisplayName } from '../hosts/hostText'
import { useHosts } from '../hosts/queries'
import { MetricsPanel } from '../metrics/MetricsPanel'
import { RestoresSection } from '../restore/RestoresSection'
import { useRestoreFlow } from '../restore/useRestoreFlow'
import { ActionError } from './ActionError'
import { ContainersSection } from './ContainersSection'
import { ComposeExportDialog } from './ComposeExportDialog'
import { DeleteWorkloadDialog } from './DeleteWorkloadDialog'
import { DeployHistory } from './DeployHistory'
import { UndeployedChanges } from './UndeployedChanges'
import { formValuesFromWorkload } from './formModel'
import { JobProgressList } from './JobProgressList'
import { workloadListHash } from './links'
import { LogsPanel } from './LogsPanel'
import { useWorkload, useWorkloadAction, useWorkloadJobs, type WorkloadAction } from './queries'
import { ServicesSummary } from './ServicesSummary'
import { databaseServices } from '../../../../shared/databases'
import { SnapshotsPanel } from './SnapshotsPanel'
import { StateBadge } from './StateBadge'
import { deployErrorText } from './workloadText'
import { WorkloadForm } from './WorkloadForm'

type Overlay = 'edit' | 'delete' | 'export' | null

/** One workload: what runs, its deploy history and logs, and the actions on it. */
export function WorkloadDetailPage({ hostId, workloadId }: { hostId: string; workloadId: string }) {
  const { t } = useTranslation()
  const workload = useWorkload(workloadId)
  const hosts = useHosts()
  const host = hosts.data?.find((candidate) => candidate.id === (workload.data?.hostId ?? hostId))
  const hostName = host === undefined ? hostId : hostDisplayName(t, host)

  return (
    <section className="workload-detail" data-testid="workload-detail">
      <p className="breadcrumb">
        <a href={workloadListHash(workload.data?.hostId ?? hostId)} data-testid="back-to-workloads">
          {t('workloads.detail.back', { host: hostName })}
        </a>
      </p>
      {workload.isPending && <p className="muted">{t('common.loading')}</p>}
      {workload.isError && <ErrorText error={workload.error} />}
      {workload.data !== undefined && <Loaded workload={workload.data} hostName={hostName} />}
    </section>
  )
}

function Loaded({ workload, hostName }: { workload: WorkloadDetail; hostName: string }): React.JSX.Element {
  const { t } = useTranslation()
  const action = useWorkloadAction(workload.id)
  const jobs = useWorkloadJobs(workload.id)
  const restore = useRestoreFlow(workload.id)
  const [overlay, setOverlay] = useState<Overlay>(null)
  const busy = action.isPending
  const running = action.isPending ? action.variables : null

  const button = (name: WorkloadAction, label: string, busyLabel: string, hint: string, disabled = false) => (
    <button
      type="button"
      className={name === 'deploy' ? 'primary' : undefined}
      disabled={busy || disabled}
      title={hint}
      onClick={() => action.mutate(name)}
      data-testid={name}
    >
      {running === name ? busyLabel : label}
    </button>
  )

  return (
    <>
      <header className="page-header detail-header">
        <div className="detail-title">
          <h1 data-testid="workload-title">{workload.name}</h1>
          <StateBadge state={workload.state} />
          <span className="muted" data-testid="workload-host">
            {t('workloads.detail.onHost', { host: hostName })}
          </span>
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('workloads.detail.actions')}>
          {button(
            'deploy',
            t('workloads.actions.deploy'),
            t('workloads.actions.deploying'),
            t('workloads.actions.deployHint'),
          )}
          {button(
            'redeploy',
            t('workloads.actions.redeploy'),
            t('workloads.actions.redeploying'),
            t('workloads.actions.redeployHint'),
          )}
          {button(
            'start',
            t('workloads.actions.start'),
            t('workloads.actions.starting'),
            t('workloads.actions.startHint'),
            workload.state === 'running',
          )}
          {button(
            'stop',
            t('workloads.actions.stop'),
            t('workloads.actions.stopping'),
            t('workloads.actions.stopHint'),
            workload.state === 'stopped' || workload.state === 'missing',
          )}
          <button type="button" disabled={busy} onClick={() => setOverlay('edit')} data-testid="edit-workload">
            {t('workloads.actions.edit')}
          </button>
          <button type="button" onClick={() => setOverlay('export')} data-testid="export-compose">
            {t('workloads.compose.export')}
          </button>
          <button
            type="button"
            className="danger-text"
            disabled={busy}
            onClick={() => setOverlay('delete')}
            data-testid="delete-workload"
          >
            {t('workloads.actions.delete')}
          </button>
        </div>
      </header>

      <ActionOutcome action={action} />
      <UndeployedChanges workload={workload} />
      {/* Captures show, with their rate and Cancel, in the snapshots panel; restores in their dialog. */}
      <JobProgressList jobs={jobs.filter((job) => job.kind !== 'capture' && job.kind !== 'restore')} />

      <ContainersSection workload={workload} />
      <ServicesSummary workload={workload} />
      <MetricsPanel workloadId={workload.id} />
      <DeployHistory workload={workload} disabled={busy} />
      <LogsPanel workload={workload} />
      <SnapshotsPanel
        workloadId={workload.id}
        workloadName={workload.name}
        databases={databaseServices(workload.services)}
        services={workload.services}
        rowActions={restore.rowActions}
      />
      <RestoresSection workloadId={workload.id} />
      {restore.dialog}

      {overlay === 'edit' && (
        <WorkloadForm
          hostId={workload.hostId}
          hostName={hostName}
          workload={workload}
          initial={formValuesFromWorkload(workload)}
          onCancel={() => setOverlay(null)}
          onSaved={() => setOverlay(null)}
        />
      )}
      {overlay === 'export' && <ComposeExportDialog workload={workload} onClose={() => setOverlay(null)} />}
      {overlay === 'delete' && (
        <DeleteWorkloadDialog
          workload={workload}
          onClose={() => setOverlay(null)}
          onDeleted={() => navigate(workloadListHash(workload.hostId))}
        />
      )}
    </>
  )
}

/** Why the last action failed: the error's code, and for a deploy the step that failed. */
function ActionOutcome({ action }: { action: ReturnType<typeof useWorkloadAction> }): React.JSX.Element | null {
  const { t } = useTranslation()
  if (action.isError) {
    return (
      <div className="action-outcome" data-testid="action-error">
        <ActionError error={action.error} />
      </div>
    )
  }
  const record = action.isSuccess ? action.data : null
  if (record?.status !== 'failure') return null
  return (
    <div className="action-outcome" data-testid="action-error">
      <p className="error" role="alert" data-code={record.errorCode ?? undefined}>
        {record.errorCode === null
          ? t('workloads.detail.deployFailed')
          : t('workloads.detail.deployFailedBecause', {
              reason: deployErrorText(t, record.errorCode, record.errorService),
            })}
      </p>
    </div>
  )
}
