import type { EngineRoles } from '../../docker/engine'
import type { WorkloadRecord } from '../workloadStore'

export interface PreDeployContext {
  readonly deployId: string
  readonly engine: EngineRoles
  /** Stops the running containers for a consistent copy; the deploy starts the new ones (or, on failure, these again). */
  readonly quiesce: () => Promise<void>
}

/**
 * Called by the dispatch point before a deploy starts new containers, when the workload asks for
 * it. Fail-open: a failure is recorded on the deploy and shown, and the deploy goes on.
 */
export interface PreDeploySnapshotHook {
  /** Resolves to null when no snapshot engine is there to ask (recorded as skipped). */
  snapshot(workload: WorkloadRecord, context: PreDeployContext): Promise<{ readonly snapshotId: string } | null>
}

export const noPreDeploySnapshot: PreDeploySnapshotHook = {
  snapshot: () => Promise.resolve(null),
}
