import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { navigate } from '../../app/route'
import { ErrorText } from '../../components/ErrorText'
import { hostDisplayName } from '../hosts/hostText'
import { useHosts } from '../hosts/queries'
import { CandidatesSection } from './CandidatesSection'
import { ComposeImportDialog } from './ComposeImportDialog'
import { emptyWorkloadForm } from './formModel'
import { HostSelect } from './HostSelect'
import { workloadHash, workloadListHash } from './links'
import { useWorkloads } from './queries'
import { WorkloadForm } from './WorkloadForm'
import { WorkloadTable } from './WorkloadTable'

/** The workloads of one host, and the containers on it that Slipway could adopt. */
export function WorkloadListPage({ hostId }: { hostId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const hosts = useHosts()
  const workloads = useWorkloads(hostId)
  const [creating, setCreating] = useState(false)
  const [importing, setImporting] = useState(false)
  const host = hosts.data?.find((candidate) => candidate.id === hostId)
  const hostName = host === undefined ? hostId : hostDisplayName(t, host)

  return (
    <section className="workloads-page">
      <header className="page-header">
        <h1>{t('workloads.title')}</h1>
        <div className="toolbar">
          <HostSelect hosts={hosts.data} hostId={hostId} onChange={(id) => navigate(workloadListHash(id))} />
          <button type="button" onClick={() => setImporting(true)} data-testid="import-compose">
            {t('workloads.compose.importButton')}
          </button>
          <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="new-workload">
            {t('workloads.new')}
          </button>
        </div>
      </header>
      {hosts.isError && <ErrorText error={hosts.error} />}

      <section className="section" aria-labelledby="workloads-managed">
        <h2 id="workloads-managed" className="section-title">
          {t('workloads.list.title', { host: hostName })}
        </h2>
        {workloads.isPending && <p className="muted">{t('common.loading')}</p>}
        {workloads.isError && <ErrorText error={workloads.error} />}
        {workloads.data?.length === 0 && (
          <p className="muted" data-testid="workloads-empty">
            {t('workloads.list.empty')}
          </p>
        )}
        {workloads.data !== undefined && workloads.data.length > 0 && (
          <WorkloadTable hostId={hostId} workloads={workloads.data} />
        )}
      </section>

      <CandidatesSection hostId={hostId} />

      {importing && <ComposeImportDialog hostId={hostId} onClose={() => setImporting(false)} />}
      {creating && (
        <WorkloadForm
          hostId={hostId}
          hostName={hostName}
          workload={null}
          initial={emptyWorkloadForm()}
          onCancel={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false)
            navigate(workloadHash(hostId, saved.id))
          }}
        />
      )}
    </section>
  )
}
