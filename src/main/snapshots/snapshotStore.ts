import type {
  CaptureMode,
  DirectoryListing,
  FileType,
  HookOutcome,
  HookRun,
  RetentionPolicy,
  SnapshotDump,
  SnapshotOrigin,
  SnapshotSummary,
} from '../../shared/types/snapshots'
import { dumpInSnapshot } from '../../shared/hookPresets'
import { AppError } from '../errors'
import type { Db } from '../store/database'
import type { IndexedEntry } from './capture/tarTap'
import { manifestSchema, type Manifest } from './manifest'

interface Row {
  id: string
  host_id: string
  host_name: string
  workload_id: string | null
  workload_name: string
  label: string | null
  origin: SnapshotOrigin
  mode: CaptureMode
  pinned: number
  created_at: string
  files: number
  bytes: number
  archive_bytes: number
  manifest: string
  local: number
  indexed: number
}

/** One indexed entry as the restore drill compares it with what it restored. */
export interface IndexEntryRow {
  readonly path: string
  readonly type: FileType
  readonly size: number
  readonly mode: number
  readonly link: string | null
  readonly mtimeSeconds: number
}

export const DEFAULT_POLICY: RetentionPolicy = {
  scheduleEnabled: false,
  scheduleMode: 'stop',
  scheduleTime: '03:00',
  keepLast: 7,
  keepDaily: 7,
  keepWeekly: 4,
}

const INDEX_BATCH = 2000

/** Snapshot rows, their per-file index, and retention policies. */
export class SnapshotStore {
  constructor(private readonly db: Db) {}

  /** Buffers index rows and writes them in batches; rows stay invisible until the snapshot row exists. */
  indexWriter(snapshotId: string, volume: number): { add(entry: IndexedEntry): void; flush(): void } {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO snapshot_files (snapshot_id, volume, parent, name, type, size, mode, uid, gid, mtime, link)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    let batch: IndexedEntry[] = []
    const flush = (): void => {
      const rows = batch
      batch = []
      this.db.transaction(() => {
        for (const e of rows) {
          insert.run(snapshotId, volume, e.parent, e.name, e.type, e.size, e.mode, e.uid, e.gid, e.mtime, e.link)
        }
      })()
    }
    return {
      add: (entry) => {
        batch.push(entry)
        if (batch.length >= INDEX_BATCH) flush()
      },
      flush,
    }
  }

  dropIndex(snapshotId: string): void {
    this.db.prepare('DELETE FROM snapshot_files WHERE snapshot_id = ?').run(snapshotId)
  }

  /** Index rows of snapshots that were never committed (a crash mid-capture). */
  sweepOrphanIndex(): number {
    return this.db.prepare('DELETE FROM snapshot_files WHERE snapshot_id NOT IN (SELECT id FROM snapshots)').run()
      .changes
  }

  insert(
    manifest: Manifest,
    meta: {
      workloadId: string | null
      origin: SnapshotOrigin
      pinned: boolean
      /** Defaults: the archives are on this computer and the tree is indexed. */
      local?: boolean
      indexed?: boolean
    },
  ): SnapshotSummary {
    const files = manifest.volumes.reduce((n, v) => n + v.files, 0)
    const bytes = manifest.volumes.reduce((n, v) => n + v.bytes, 0)
    const archiveBytes = manifest.volumes.reduce((n, v) => n + v.archiveBytes, 0)
    this.db
      .prepare(
        `INSERT INTO snapshots (id, host_id, host_name, workload_id, workload_name, label, origin, mode, pinned, created_at,
           files, bytes, archive_bytes, manifest, auto_pinned, local, indexed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        manifest.id,
        manifest.host.id,
        manifest.host.name,
        meta.workloadId,
        manifest.workload.name,
        manifest.label,
        meta.origin,
        manifest.mode,
        meta.pinned ? 1 : 0,
        manifest.createdAt,
        files,
        bytes,
        archiveBytes,
        JSON.stringify(manifest),
        meta.pinned && meta.origin === 'pre-restore' ? 1 : 0,
        meta.local === false ? 0 : 1,
        meta.indexed === false ? 0 : 1,
      )
    return this.require(manifest.id)
  }

  find(id: string): SnapshotSummary | undefined {
    const row = this.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : this.toSummary(row)
  }

  require(id: string): SnapshotSummary {
    const found = this.find(id)
    if (found === undefined) throw new AppError('NOT_FOUND', 'unknown snapshot')
    return found
  }

  manifest(id: string): Manifest {
    const row = this.db.prepare('SELECT manifest FROM snapshots WHERE id = ?').get(id) as
      { manifest: string } | undefined
    if (row === undefined) throw new AppError('NOT_FOUND', 'unknown snapshot')
    return manifestSchema.parse(JSON.parse(row.manifest))
  }

  list(filter: { hostId?: string | undefined; workloadId?: string | undefined }): SnapshotSummary[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM snapshots WHERE (@host IS NULL OR host_id = @host) AND (@workload IS NULL OR workload_id = @workload)
         ORDER BY created_at DESC, id`,
      )
      .all({ host: filter.hostId ?? null, workload: filter.workloadId ?? null }) as Row[]
    return rows.map((row) => this.toSummary(row))
  }

  ids(): Set<string> {
    return new Set((this.db.prepare('SELECT id FROM snapshots').all() as { id: string }[]).map((r) => r.id))
  }

  /** The user's pin (or unpin): it never expires. */
  setPinned(id: string, pinned: boolean): SnapshotSummary {
    this.require(id)
    this.db.prepare('UPDATE snapshots SET pinned = ?, auto_pinned = 0 WHERE id = ?').run(pinned ? 1 : 0, id)
    return this.require(id)
  }

  /**
   * Slipway's own pins on pre-restore snapshots taken before `cutoff` are lifted, except each
   * workload's newest pre-restore snapshot's; resolves to the workloads whose pins were lifted.
   */
  expireAutoPins(cutoff: string): string[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT s.id, s.workload_id FROM snapshots s
           WHERE s.auto_pinned = 1 AND s.created_at < ? AND s.workload_id IS NOT NULL
             AND s.id != (SELECT n.id FROM snapshots n WHERE n.workload_id = s.workload_id AND n.origin = 'pre-restore'
                          ORDER BY n.created_at DESC, n.id DESC LIMIT 1)`,
        )
        .all(cutoff) as { id: string; workload_id: string }[]
      const unpin = this.db.prepare('UPDATE snapshots SET pinned = 0, auto_pinned = 0 WHERE id = ?')
      for (const row of rows) unpin.run(row.id)
      return [...new Set(rows.map((r) => r.workload_id))]
    })()
  }

  delete(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id)
      this.dropIndex(id)
    })()
  }

  lastBytes(workloadId: string): number | null {
    const row = this.db
      .prepare('SELECT bytes FROM snapshots WHERE workload_id = ? ORDER BY created_at DESC LIMIT 1')
      .get(workloadId) as { bytes: number } | undefined
    return row?.bytes ?? null
  }

  browse(id: string, volume: number, dir: string, offset: number, limit: number): DirectoryListing {
    this.require(id)
    const parent = dir.replace(/\/+$/, '')
    const total = (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM snapshot_files WHERE snapshot_id = ? AND volume = ? AND parent = ?')
        .get(id, volume, parent) as { n: number }
    ).n
    const rows = this.db
      .prepare(
        `SELECT parent, name, type, size, mode, uid, gid, mtime, link FROM snapshot_files
         WHERE snapshot_id = ? AND volume = ? AND parent = ?
         ORDER BY type != 'directory', name LIMIT ? OFFSET ?`,
      )
      .all(id, volume, parent, limit, offset) as {
      parent: string
      name: string
      type: FileType
      size: number
      mode: number
      uid: number
      gid: number
      mtime: number
      link: string | null
    }[]
    return {
      total,
      entries: rows.map((r) => ({
        path: r.parent === '' ? r.name : `${r.parent}/${r.name}`,
        name: r.name,
        type: r.type,
        size: r.size,
        mode: r.mode,
        uid: r.uid,
        gid: r.gid,
        mtime: new Date(r.mtime).toISOString(),
        linkTarget: r.link,
      })),
    }
  }

  entry(id: string, volume: number, path: string): { type: FileType; size: number; link: string | null } | undefined {
    const slash = path.lastIndexOf('/')
    const parent = slash < 0 ? '' : path.slice(0, slash)
    const name = slash < 0 ? path : path.slice(slash + 1)
    return this.db
      .prepare(
        'SELECT type, size, link FROM snapshot_files WHERE snapshot_id = ? AND volume = ? AND parent = ? AND name = ?',
      )
      .get(id, volume, parent, name) as { type: FileType; size: number; link: string | null } | undefined
  }

  /** Every indexed entry of a volume, as the restore drill compares them. */
  entries(id: string, volume: number): IndexEntryRow[] {
    const rows = this.db
      .prepare(
        'SELECT parent, name, type, size, mode, mtime, link FROM snapshot_files WHERE snapshot_id = ? AND volume = ?',
      )
      .all(id, volume) as {
      parent: string
      name: string
      type: FileType
      size: number
      mode: number
      mtime: number
      link: string | null
    }[]
    return rows.map((r) => ({
      path: r.parent === '' ? r.name : `${r.parent}/${r.name}`,
      type: r.type,
      size: r.size,
      mode: r.mode,
      link: r.link,
      mtimeSeconds: Math.floor(r.mtime / 1000),
    }))
  }

  policy(workloadId: string): RetentionPolicy {
    const row = this.db.prepare('SELECT * FROM snapshot_policies WHERE workload_id = ?').get(workloadId) as
      | {
          schedule_enabled: number
          schedule_mode: CaptureMode
          schedule_time: string
          keep_last: number
          keep_daily: number
          keep_weekly: number
        }
      | undefined
    if (row === undefined) return DEFAULT_POLICY
    return {
      scheduleEnabled: row.schedule_enabled === 1,
      scheduleMode: row.schedule_mode,
      scheduleTime: row.schedule_time,
      keepLast: row.keep_last,
      keepDaily: row.keep_daily,
      keepWeekly: row.keep_weekly,
    }
  }

  setPolicy(workloadId: string, policy: RetentionPolicy): RetentionPolicy {
    this.db
      .prepare(
        `INSERT INTO snapshot_policies (workload_id, schedule_enabled, schedule_mode, schedule_time, keep_last, keep_daily, keep_weekly)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workload_id) DO UPDATE SET schedule_enabled = excluded.schedule_enabled,
           schedule_mode = excluded.schedule_mode, schedule_time = excluded.schedule_time, keep_last = excluded.keep_last,
           keep_daily = excluded.keep_daily, keep_weekly = excluded.keep_weekly`,
      )
      .run(
        workloadId,
        policy.scheduleEnabled ? 1 : 0,
        policy.scheduleMode,
        policy.scheduleTime,
        policy.keepLast,
        policy.keepDaily,
        policy.keepWeekly,
      )
    return this.policy(workloadId)
  }

  lastScheduledAt(workloadId: string): string | null {
    const row = this.db
      .prepare('SELECT last_scheduled_at FROM snapshot_policies WHERE workload_id = ?')
      .get(workloadId) as { last_scheduled_at: string | null } | undefined
    return row?.last_scheduled_at ?? null
  }

  markScheduled(workloadId: string, at: string): void {
    this.db.prepare('UPDATE snapshot_policies SET last_scheduled_at = ? WHERE workload_id = ?').run(at, workloadId)
  }

  scheduledWorkloads(): string[] {
    return (
      this.db.prepare('SELECT workload_id FROM snapshot_policies WHERE schedule_enabled = 1').all() as {
        workload_id: string
      }[]
    ).map((r) => r.workload_id)
  }

  /** The local archives are gone (retention on this computer) while copies in stores remain. */
  markNotLocal(id: string): void {
    this.db.prepare('UPDATE snapshots SET local = 0, archive_bytes = 0 WHERE id = ?').run(id)
  }

  markIndexed(id: string): void {
    this.db.prepare('UPDATE snapshots SET indexed = 1 WHERE id = ?').run(id)
  }

  /** A snapshot listed from a store, whose workload this desktop did not know, is given one. */
  assignWorkload(id: string, workloadId: string): void {
    this.db.prepare('UPDATE snapshots SET workload_id = ? WHERE id = ?').run(workloadId, id)
  }

  /** The hooks that ran with a capture, pre and post in the order they ran. */
  recordHookRuns(id: string, runs: readonly HookRun[]): void {
    const insert = this.db.prepare(
      `INSERT INTO snapshot_hook_runs
         (snapshot_id, position, phase, service, command, outcome, exit_code, output, truncated, started_at, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.db.transaction(() => {
      runs.forEach((r, i) =>
        insert.run(
          id,
          i,
          r.phase,
          r.service,
          r.command,
          r.outcome,
          r.exitCode,
          r.output,
          r.truncated ? 1 : 0,
          r.startedAt,
          r.durationMs,
        ),
      )
    })()
  }

  hookRuns(id: string): HookRun[] {
    this.require(id)
    return this.runsOf(id)
  }

  private runsOf(id: string): HookRun[] {
    const rows = this.db
      .prepare('SELECT * FROM snapshot_hook_runs WHERE snapshot_id = ? ORDER BY position')
      .all(id) as {
      phase: 'pre' | 'post'
      service: string
      command: string
      outcome: HookOutcome
      exit_code: number | null
      output: string
      truncated: number
      started_at: string
      duration_ms: number
    }[]
    return rows.map((r) => ({
      phase: r.phase,
      service: r.service,
      command: r.command,
      outcome: r.outcome,
      exitCode: r.exit_code,
      output: r.output,
      truncated: r.truncated === 1,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
    }))
  }

  private toSummary(row: Row): SnapshotSummary {
    const stores = this.db
      .prepare(
        `SELECT DISTINCT s.id AS storeId, s.name AS name FROM snapshot_copies c JOIN snapshot_stores s ON s.id = c.store_id
         WHERE c.snapshot_id = ? ORDER BY s.name`,
      )
      .all(row.id) as { storeId: string; name: string }[]
    const hooks = this.db
      .prepare(
        `SELECT COUNT(*) AS ran, COALESCE(SUM(outcome != 'ok'), 0) AS failed FROM snapshot_hook_runs WHERE snapshot_id = ?`,
      )
      .get(row.id) as { ran: number; failed: number }
    return summaryOf(row, { local: row.local === 1, stores }, hooks, (volumes) =>
      dumpInSnapshot(volumes, hooks.ran === 0 ? [] : this.runsOf(row.id)),
    )
  }
}

function summaryOf(
  row: Row,
  places: SnapshotSummary['places'],
  hooks: SnapshotSummary['hooks'],
  dumpOf: (volumes: Manifest['volumes']) => SnapshotDump | null,
): SnapshotSummary {
  const manifest = manifestSchema.parse(JSON.parse(row.manifest))
  return {
    id: row.id,
    hostId: row.host_id,
    hostName: row.host_name,
    workloadId: row.workload_id,
    workloadName: row.workload_name,
    label: row.label,
    origin: row.origin,
    mode: row.mode,
    consistency: manifest.consistency ?? { pausedMs: null, mayBeInconsistent: false },
    pinned: row.pinned === 1,
    createdAt: row.created_at,
    files: row.files,
    bytes: row.bytes,
    archiveBytes: row.archive_bytes,
    volumes: manifest.volumes,
    places,
    indexed: row.indexed === 1,
    hooks,
    dump: dumpOf(manifest.volumes),
  }
}
