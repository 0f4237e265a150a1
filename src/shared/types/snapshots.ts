import type { SnapshotPlaces } from './stores'

/**
 * How the app is held still while its volumes are read: stopped (the default), paused (every file
 * from one frozen moment, no restart), or not at all (a raw live copy: files written meanwhile may
 * not be consistent with each other).
 */
export type CaptureMode = 'stop' | 'pause' | 'live'

export interface SnapshotConsistency {
  /** How long the app was paused for a pause-mode capture; null for the other modes. */
  readonly pausedMs: number | null
  /** A raw live copy of a service recognised as a database: it may not restore to a consistent state. */
  readonly mayBeInconsistent: boolean
}

export type SnapshotOrigin = 'manual' | 'schedule' | 'pre-deploy' | 'pre-restore' | 'import'

export interface SnapshotVolume {
  readonly index: number
  /** Where the volume is mounted, per service: what a restore resolves targets by. */
  readonly mounts: readonly { readonly service: string; readonly target: string }[]
  readonly kind: 'bind' | 'volume'
  /** The host path or volume name at capture time (informational: never trusted by a restore). */
  readonly source: string
  readonly files: number
  readonly bytes: number
  /** The local `.tar.gz`: 0 and null when the snapshot went to stores only. */
  readonly archiveBytes: number
  readonly sha256: string | null
  /** The plain tar (what a store holds); absent in snapshots taken before stores. */
  readonly tarBytes?: number | undefined
  readonly tarSha256?: string | undefined
}

export interface SnapshotSummary {
  readonly id: string
  readonly hostId: string
  readonly hostName: string
  readonly workloadId: string | null
  readonly workloadName: string
  readonly label: string | null
  readonly origin: SnapshotOrigin
  readonly mode: CaptureMode
  readonly consistency: SnapshotConsistency
  readonly pinned: boolean
  readonly createdAt: string
  readonly files: number
  readonly bytes: number
  readonly archiveBytes: number
  readonly volumes: readonly SnapshotVolume[]
  /** Where its data is: this computer and/or snapshot stores. */
  readonly places: SnapshotPlaces
  /** Whether its file tree is indexed here (a snapshot listed from a store is not until asked). */
  readonly indexed: boolean
  /** The capture hooks that ran with it, and how many of them failed (details: `snapshots.hookRuns`). */
  readonly hooks: { readonly ran: number; readonly failed: number }
  /** A database dump captured with it (a preset's pre hook), which a restore can load instead of the raw files. */
  readonly dump: SnapshotDump | null
}

export interface SnapshotDump {
  readonly engine: 'postgres'
  readonly service: string
  /** The snapshot volume holding it, and its path at that volume's root. */
  readonly volume: number
  readonly file: string
}

export type HookPhase = 'pre' | 'post'

/** A command run with `/bin/sh -c` inside one of the workload's running services around a capture. */
export interface CaptureHook {
  readonly phase: HookPhase
  readonly service: string
  readonly command: string
  readonly timeoutSeconds: number
}

export interface CaptureHooks {
  /** In order: the pre-capture ones run before the app is stopped or paused, the post ones after it runs again. */
  readonly hooks: readonly CaptureHook[]
  /** A failing pre-capture hook aborts the capture unless this is set; post hooks run in every case. */
  readonly continueOnPreFailure: boolean
}

/**
 * ok; exit: a non-zero exit code; timeout: cut off at its timeout; not_running: the service had no
 * running container; error: the engine could not run it (details in the log).
 */
export type HookOutcome = 'ok' | 'exit' | 'timeout' | 'cancelled' | 'not_running' | 'error'

export interface HookRun {
  readonly phase: HookPhase
  readonly service: string
  readonly command: string
  readonly outcome: HookOutcome
  readonly exitCode: number | null
  /** stdout and stderr interleaved; only the tail when `truncated`. */
  readonly output: string
  readonly truncated: boolean
  readonly startedAt: string
  readonly durationMs: number
}

export type FileType = 'file' | 'directory' | 'symlink' | 'hardlink'

export interface SnapshotEntry {
  readonly path: string
  readonly name: string
  readonly type: FileType
  readonly size: number
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtime: string
  readonly linkTarget: string | null
}

export interface DirectoryListing {
  readonly entries: readonly SnapshotEntry[]
  readonly total: number
}

export interface FilePreview {
  /** null when the file is not text. */
  readonly text: string | null
  readonly truncated: boolean
  readonly size: number
}

export interface VerifyResult {
  readonly ok: boolean
  readonly volumes: readonly { readonly index: number; readonly ok: boolean }[]
}

export interface RetentionPolicy {
  readonly scheduleEnabled: boolean
  /** How scheduled snapshots hold the app still. */
  readonly scheduleMode: CaptureMode
  /** Local time of day, HH:MM, for the daily scheduled snapshot. */
  readonly scheduleTime: string
  readonly keepLast: number
  readonly keepDaily: number
  readonly keepWeekly: number
}
