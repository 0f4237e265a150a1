import type { RestoreOutcome, RestoreRecord, RestoreVolumeReport } from '../../shared/types/restore'
import type { Db } from '../store/database'
import { planSchema, type RestorePlan } from './restorePlan'

interface Row {
  id: string
  workload_id: string
  host_id: string
  snapshot_id: string
  requested_by: string
  step: string
  outcome: RestoreOutcome
  plan: string
  volume_states: string
  pre_restore_snapshot_id: string | null
  recovered: number
  error_code: string | null
  started_at: string
  finished_at: string | null
}

/** The local half of the write-ahead journal, and the audit record of every restore. */
export class RestoreJournal {
  constructor(private readonly db: Db) {}

  begin(plan: RestorePlan, hostId: string, requestedBy: string, volumes: RestoreVolumeReport[]): void {
    this.db
      .prepare(
        `INSERT INTO restores (id, workload_id, host_id, snapshot_id, requested_by, step, outcome, plan, volume_states, started_at)
         VALUES (?, ?, ?, ?, ?, 'verify', 'running', ?, ?, ?)`,
      )
      .run(
        plan.restoreId,
        plan.workloadId,
        hostId,
        plan.snapshotId,
        requestedBy,
        JSON.stringify(plan),
        JSON.stringify(volumes),
        new Date().toISOString(),
      )
  }

  /** The audit record of a restore refused before anything was touched (verify or pre-flight). */
  refused(
    entry: { restoreId: string; workloadId: string; hostId: string; snapshotId: string; requestedBy: string },
    step: string,
    errorCode: string,
  ): void {
    const now = new Date().toISOString()
    this.db
      .prepare(
        `INSERT INTO restores (id, workload_id, host_id, snapshot_id, requested_by, step, outcome, plan, volume_states, error_code, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, 'failed', '{}', '[]', ?, ?, ?)`,
      )
      .run(
        entry.restoreId,
        entry.workloadId,
        entry.hostId,
        entry.snapshotId,
        entry.requestedBy,
        step,
        errorCode,
        now,
        now,
      )
  }

  /** Adopts a journal found on a host (this Slipway lost its own copy). */
  adopt(plan: RestorePlan, hostId: string, step: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO restores (id, workload_id, host_id, snapshot_id, requested_by, step, outcome, plan, volume_states, started_at, recovered)
         VALUES (?, ?, ?, ?, 'unknown', ?, 'running', ?, '[]', ?, 1)`,
      )
      .run(
        plan.restoreId,
        plan.workloadId,
        hostId,
        plan.snapshotId,
        step,
        JSON.stringify(plan),
        new Date().toISOString(),
      )
  }

  step(id: string, step: string, plan?: RestorePlan): void {
    if (plan === undefined) this.db.prepare('UPDATE restores SET step = ? WHERE id = ?').run(step, id)
    else this.db.prepare('UPDATE restores SET step = ?, plan = ? WHERE id = ?').run(step, JSON.stringify(plan), id)
  }

  preRestoreSnapshot(id: string, snapshotId: string): void {
    this.db.prepare('UPDATE restores SET pre_restore_snapshot_id = ? WHERE id = ?').run(snapshotId, id)
  }

  finish(
    id: string,
    outcome: Exclude<RestoreOutcome, 'running'>,
    volumes: RestoreVolumeReport[],
    errorCode: string | null,
    recovered: boolean,
  ): void {
    this.db
      .prepare(
        `UPDATE restores SET outcome = ?, volume_states = ?, error_code = ?, finished_at = ?, recovered = MAX(recovered, ?),
           step = CASE WHEN ? = 'restored' THEN 'done' ELSE step END
         WHERE id = ?`,
      )
      .run(outcome, JSON.stringify(volumes), errorCode, new Date().toISOString(), recovered ? 1 : 0, outcome, id)
  }

  running(hostId: string): { id: string; step: string; plan: RestorePlan; preRestoreSnapshotId: string | null }[] {
    const rows = this.db
      .prepare("SELECT * FROM restores WHERE host_id = ? AND outcome = 'running'")
      .all(hostId) as Row[]
    return rows.map((r) => ({
      id: r.id,
      step: r.step,
      plan: planSchema.parse(JSON.parse(r.plan)),
      preRestoreSnapshotId: r.pre_restore_snapshot_id,
    }))
  }

  known(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM restores WHERE id = ?').get(id) !== undefined
  }

  get(id: string): RestoreRecord | undefined {
    const row = this.db.prepare('SELECT * FROM restores WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  list(workloadId: string): RestoreRecord[] {
    return (
      this.db.prepare('SELECT * FROM restores WHERE workload_id = ? ORDER BY started_at DESC').all(workloadId) as Row[]
    ).map(toRecord)
  }
}

function toRecord(row: Row): RestoreRecord {
  return {
    id: row.id,
    workloadId: row.workload_id,
    snapshotId: row.snapshot_id,
    requestedBy: row.requested_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    step: row.step,
    outcome: row.outcome,
    preRestoreSnapshotId: row.pre_restore_snapshot_id,
    recovered: row.recovered === 1,
    errorCode: row.error_code,
    volumes: JSON.parse(row.volume_states) as RestoreVolumeReport[],
  }
}
