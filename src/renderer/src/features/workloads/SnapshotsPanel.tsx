import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import type { ServiceSpec } from '../../../../shared/serviceSpec'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { CaptureDialog } from '../snapshots/CaptureDialog'
import { CaptureHooksSection } from '../snapshots/CaptureHooksSection'
import { CaptureProgress } from '../snapshots/CaptureProgress'
import { DeleteSnapshotDialog } from '../snapshots/DeleteSnapshotDialog'
import { DestinationsSection } from '../snapshots/DestinationsSection'
import { useCancelJob, useCapture, useCaptureJobs, useSnapshots } from '../snapshots/queries'
import { RetentionPolicySection } from '../snapshots/RetentionPolicySection'
import { SnapshotError } from '../snapshots/SnapshotError'
import { SnapshotTable } from '../snapshots/SnapshotTable'

type Overlay = { readonly kind: 'capture' } | { readonly kind: 'delete'; readonly snapshot: SnapshotSummary } | null

interface SnapshotsPanelProps {
  readonly workloadId: string
  /** For the capture dialog's title. */
  readonly workloadName?: string
  /** The services that run a database (the capture dialog pauses them by default). */
  readonly databases?: readonly string[]
  /** The services capture hooks can run in. */
  readonly services?: readonly ServiceSpec[]
  /** More actions per snapshot row (a Restore button), placed before Delete. */
  readonly rowActions?: (snapshot: SnapshotSummary) => ReactNode
}

/** The workload's volume snapshots: take one now, watch it run, list, pin, verify, browse, delete, and the schedule. */
export function SnapshotsPanel({
  workloadId,
  workloadName,
  databases = [],
  services = [],
  rowActions,
}: SnapshotsPanelProps): React.JSX.Element {
  const { t } = useTranslation()
  const snapshots = useSnapshots({ workloadId })
  const capture = useCapture(workloadId)
  const jobs = useCaptureJobs(workloadId)
  const cancel = useCancelJob()
  const [cancelled, setCancelled] = useState<ReadonlySet<string>>(new Set())
  const [overlay, setOverlay] = useState<Overlay>(null)
  const capturing = capture.isPending || jobs.length > 0
  const wasCancelled = capture.error instanceof SlipwayError && capture.error.code === 'CANCELLED'

  const onCancel = (jobId: string): void => {
    setCancelled((before) => new Set(before).add(jobId))
    cancel.mutate(jobId, {
      onError: () =>
        setCancelled((before) => {
          const next = new Set(before)
          next.delete(jobId)
          return next
        }),
    })
  }

  return (
    <section
      className="section"
      aria-labelledby="workload-snapshots"
      data-testid="snapshots-panel"
      data-workload-id={workloadId}
    >
      <div className="section-header">
        <h2 id="workload-snapshots" className="section-title">
          {t('workloads.snapshots.title')}
        </h2>
        <button
          type="button"
          className="small primary"
          disabled={capture.isPending}
          onClick={() => {
            capture.reset()
            setOverlay({ kind: 'capture' })
          }}
          data-testid="capture-now"
        >
          {t('snapshots.capture.button')}
        </button>
      </div>

      {capturing && (
        <div className="capture-list" aria-live="polite">
          {jobs.length === 0 ? (
            <CaptureProgress job={null} onCancel={null} cancelling={false} />
          ) : (
            jobs.map((job) => (
              <CaptureProgress
                key={job.progress.jobId}
                job={job}
                onCancel={onCancel}
                cancelling={cancelled.has(job.progress.jobId)}
              />
            ))
          )}
        </div>
      )}
      {cancel.isError && <ErrorText error={cancel.error} />}
      {capture.isError &&
        (wasCancelled ? (
          <p className="muted" role="status" data-testid="capture-cancelled">
            {t('snapshots.capture.cancelled')}
          </p>
        ) : (
          <div data-testid="capture-error">
            <SnapshotError error={capture.error} />
          </div>
        ))}
      {capture.isSuccess && (
        <p className="ok-text" role="status" data-testid="capture-done" data-snapshot-id={capture.data.id}>
          {t('snapshots.capture.done')}
        </p>
      )}

      {snapshots.isPending && <p className="muted">{t('common.loading')}</p>}
      {snapshots.isError && <ErrorText error={snapshots.error} />}
      {snapshots.isSuccess && snapshots.data.length === 0 && (
        <p className="muted" data-testid="snapshots-empty">
          {t('workloads.snapshots.empty')}
        </p>
      )}
      {snapshots.isSuccess && snapshots.data.length > 0 && (
        <SnapshotTable
          snapshots={snapshots.data}
          onDelete={(snapshot) => setOverlay({ kind: 'delete', snapshot })}
          rowActions={rowActions}
        />
      )}

      <RetentionPolicySection workloadId={workloadId} databases={databases} />
      <DestinationsSection workloadId={workloadId} />
      <CaptureHooksSection workloadId={workloadId} services={services} />

      {overlay?.kind === 'capture' && (
        <CaptureDialog
          workloadName={workloadName ?? null}
          databases={databases}
          onClose={() => setOverlay(null)}
          onCapture={(mode, label, acknowledgeInconsistent) => {
            setOverlay(null)
            setCancelled(new Set())
            capture.mutate({ mode, label, acknowledgeInconsistent })
          }}
        />
      )}
      {overlay?.kind === 'delete' && (
        <DeleteSnapshotDialog snapshot={overlay.snapshot} onClose={() => setOverlay(null)} />
      )}
    </section>
  )
}
