import type { RestoreEngine } from '../../restore/restoreEngine'
import type { RestoreJournal } from '../../restore/restoreJournal'
import type { WorkloadStore } from '../../workloads/workloadStore'
import type { Handlers } from '../router'

export function restoreHandlers(
  engine: RestoreEngine,
  journal: RestoreJournal,
  workloads: WorkloadStore,
  user: string,
): Pick<Handlers, 'restore.start' | 'restore.list'> {
  return {
    'restore.start': ({ workloadId, snapshotId, confirm, keepSetid, fromDump }) =>
      engine.restore(workloadId, snapshotId, confirm, user, {
        keepSetid: keepSetid === true,
        fromDump: fromDump === true,
      }),
    'restore.list': ({ workloadId }) => {
      workloads.require(workloadId)
      return journal.list(workloadId)
    },
  }
}
