/**
 * `restored_not_running`: the data is the snapshot's, but the app did not come up on it;
 * `restored_unhealthy`: it came up, but its healthcheck never passed (see errorCode). Either way the
 * pinned pre-restore snapshot undoes the restore.
 */
export type RestoreOutcome =
  'running' | 'restored' | 'restored_not_running' | 'restored_unhealthy' | 'reverted' | 'failed'

/** What a volume holds after a restore or its recovery: the data from before, or the snapshot's. */
export type VolumeState = 'old' | 'new' | 'unknown'

export interface RestoreVolumeReport {
  readonly index: number
  readonly service: string
  readonly target: string
  readonly state: VolumeState
}

/** The audit record of one restore. */
export interface RestoreRecord {
  readonly id: string
  readonly workloadId: string
  readonly snapshotId: string
  readonly requestedBy: string
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly step: string
  readonly outcome: RestoreOutcome
  /** The pinned snapshot of the data the restore replaced, once it is committed. */
  readonly preRestoreSnapshotId: string | null
  /** Set when the outcome came from the recovery sweep after a crash or a cut link. */
  readonly recovered: boolean
  readonly errorCode: string | null
  readonly volumes: readonly RestoreVolumeReport[]
}
