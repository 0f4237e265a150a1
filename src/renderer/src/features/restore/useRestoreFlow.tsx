import { useState, type ReactNode } from 'react'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { slipway } from '../../api/client'
import { useRestoreJob, useStartRestore, type RestoreJob } from './queries'
import { RestoreButton } from './RestoreButton'
import { RestoreDialog } from './RestoreDialog'

export interface RestoreFlow {
  /** A restore of the workload runs (started here or anywhere else). */
  readonly busy: boolean
  /** The running restore's progress, if any. */
  readonly job: RestoreJob | null
  /** The Restore button of a snapshot row. */
  readonly rowActions: (snapshot: SnapshotSummary) => ReactNode
  /** The open dialog, or null. */
  readonly dialog: ReactNode
}

/**
 * Restoring a workload's snapshots, held by the workload's page so that the row buttons, the
 * dialog and the progress share one busy state: Restore button → typed confirmation → steps →
 * result or error.
 */
export function useRestoreFlow(workloadId: string): RestoreFlow {
  const start = useStartRestore(workloadId)
  const { job, forget } = useRestoreJob(workloadId)
  const [snapshot, setSnapshot] = useState<SnapshotSummary | null>(null)
  const [fromDump, setFromDump] = useState(false)
  const busy = start.isPending || job?.progress.state === 'running'
  const started = !start.isIdle

  const rowActions = (row: SnapshotSummary): ReactNode => (
    <RestoreButton
      snapshot={row}
      busy={busy}
      onClick={() => {
        start.reset()
        setSnapshot(row)
      }}
    />
  )

  const dialog =
    snapshot === null ? null : (
      <RestoreDialog
        snapshot={snapshot}
        running={busy}
        started={started}
        attempt={start.data ?? null}
        job={started ? job : null}
        fromDump={fromDump}
        onConfirm={(confirm, choices) => {
          forget()
          setFromDump(choices.fromDump)
          start.mutate({ snapshotId: snapshot.id, confirm, ...choices })
        }}
        onUndo={(preRestore) => {
          // The user asked for exactly this on the result of the restore it undoes: one click.
          void slipway.snapshots.get({ snapshotId: preRestore }).then((summary) => {
            start.reset()
            forget()
            setSnapshot(summary)
            setFromDump(false)
            start.mutate({ snapshotId: summary.id, confirm: summary.id, keepSetid: false, fromDump: false })
          })
        }}
        onClose={() => {
          setSnapshot(null)
          start.reset()
        }}
      />
    )

  return { busy, job, rowActions, dialog }
}
