import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { networkSpecSchema, serviceSpecSchema, volumeSpecSchema } from '../../shared/serviceSpec'
import type {
  DeployConfig,
  DeployErrorCode,
  DeployPin,
  DeployReason,
  DeployRecord,
  DeployStatus,
  PreDeploySnapshot,
} from '../../shared/types/workloads'
import type { Clock } from '../platform/ports'
import type { Db } from '../store/database'

interface Row {
  id: string
  workload_id: string
  reason: DeployReason
  status: DeployStatus
  error_code: DeployErrorCode | null
  error_service: string | null
  pre_deploy_snapshot: PreDeploySnapshot
  snapshot_id: string | null
  started_at: string
  finished_at: string | null
  duration_ms: number | null
  config: string | null
}

/** The ledger of every dispatch per workload, with the image each service was pinned to. */
export class DeployHistory {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** `config` is the workload as this deploy runs it; secret values are never in it (the store keeps them null). */
  begin(workloadId: string, reason: DeployReason, config: DeployConfig | null = null): string {
    const id = randomUUID()
    const seq =
      (
        this.db.prepare('SELECT MAX(seq) AS s FROM deployments WHERE workload_id = ?').get(workloadId) as {
          s: number | null
        }
      ).s ?? 0
    this.db
      .prepare(
        `INSERT INTO deployments (id, workload_id, seq, reason, status, started_at, config) VALUES (?, ?, ?, ?, 'running', ?, ?)`,
      )
      .run(
        id,
        workloadId,
        seq + 1,
        reason,
        new Date(this.clock.now()).toISOString(),
        config === null ? null : JSON.stringify(secretFree(config)),
      )
    return id
  }

  preDeploySnapshot(id: string, outcome: PreDeploySnapshot, snapshotId: string | null): void {
    this.db
      .prepare('UPDATE deployments SET pre_deploy_snapshot = ?, snapshot_id = ? WHERE id = ?')
      .run(outcome, snapshotId, id)
  }

  /** A failed deploy: whatever ran before is the app still. */
  fail(
    id: string,
    failure: { readonly code: DeployErrorCode; readonly service: string | null },
    pins: readonly DeployPin[],
    keep: number,
  ): void {
    this.finish(id, { status: 'failure', errorCode: failure.code, errorService: failure.service, pins }, keep)
  }

  /**
   * The deploy's point of no return: it succeeded, and its containers are the app from now on (the
   * workload's live deploy, which the recovery after a crash keeps and builds on).
   */
  commit(id: string, pins: readonly DeployPin[], keep: number): void {
    this.db.transaction(() => {
      this.finish(id, { status: 'success', pins }, keep)
      this.db
        .prepare(
          'UPDATE workloads SET live_deploy_id = ? WHERE id = (SELECT workload_id FROM deployments WHERE id = ?)',
        )
        .run(id, id)
    })()
  }

  private finish(
    id: string,
    outcome:
      | { status: 'success'; pins: readonly DeployPin[] }
      | { status: 'failure'; errorCode: DeployErrorCode; errorService: string | null; pins: readonly DeployPin[] },
    keep: number,
  ): void {
    const finished = this.clock.now()
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT workload_id, started_at FROM deployments WHERE id = ?').get(id) as
        { workload_id: string; started_at: string } | undefined
      if (row === undefined) return
      this.db
        .prepare(
          'UPDATE deployments SET status = ?, error_code = ?, error_service = ?, finished_at = ?, duration_ms = ? WHERE id = ?',
        )
        .run(
          outcome.status,
          outcome.status === 'failure' ? outcome.errorCode : null,
          outcome.status === 'failure' ? outcome.errorService : null,
          new Date(finished).toISOString(),
          Math.max(0, finished - Date.parse(row.started_at)),
          id,
        )
      const insert = this.db.prepare(
        'INSERT OR REPLACE INTO deployment_pins (deployment_id, service, image_ref, image_id) VALUES (?, ?, ?, ?)',
      )
      for (const pin of outcome.pins) insert.run(id, pin.service, pin.imageRef, pin.imageId)
      this.prune(row.workload_id, keep)
    })()
  }

  /** Rows a crash left 'running' become failures marked interrupted. */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE deployments SET status = 'failure', error_code = 'interrupted', finished_at = started_at WHERE status = 'running'`,
      )
      .run().changes
  }

  list(workloadId: string): DeployRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM deployments WHERE workload_id = ? ORDER BY seq DESC')
      .all(workloadId) as Row[]
    return rows.map((r) => this.toRecord(r))
  }

  get(id: string): DeployRecord | undefined {
    const row = this.db.prepare('SELECT * FROM deployments WHERE id = ?').get(id) as Row | undefined
    return row === undefined ? undefined : this.toRecord(row)
  }

  latest(workloadId: string): DeployRecord | null {
    const row = this.db
      .prepare('SELECT * FROM deployments WHERE workload_id = ? ORDER BY seq DESC LIMIT 1')
      .get(workloadId) as Row | undefined
    return row === undefined ? null : this.toRecord(row)
  }

  private prune(workloadId: string, keep: number): void {
    this.db
      .prepare(
        `DELETE FROM deployments WHERE workload_id = ? AND status != 'running' AND id NOT IN
           (SELECT id FROM deployments WHERE workload_id = ? ORDER BY seq DESC LIMIT ?)`,
      )
      .run(workloadId, workloadId, keep)
  }

  private toRecord(row: Row): DeployRecord {
    const pins = this.db
      .prepare('SELECT service, image_ref, image_id FROM deployment_pins WHERE deployment_id = ? ORDER BY service')
      .all(row.id) as { service: string; image_ref: string; image_id: string }[]
    return {
      id: row.id,
      workloadId: row.workload_id,
      reason: row.reason,
      status: row.status,
      errorCode: row.error_code,
      errorService: row.error_service,
      pins: pins.map((p) => ({ service: p.service, imageRef: p.image_ref, imageId: p.image_id })),
      config: readConfig(row.config),
      preDeploySnapshot: row.pre_deploy_snapshot,
      snapshotId: row.snapshot_id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
    }
  }
}

const configSchema = z.object({
  services: z.array(serviceSpecSchema),
  networks: z.array(networkSpecSchema),
  volumes: z.array(volumeSpecSchema),
})

/** A stored config read through today's schemas (defaults for fields added since); unreadable is none. */
function readConfig(text: string | null): DeployConfig | null {
  if (text === null) return null
  const parsed = configSchema.safeParse(JSON.parse(text))
  return parsed.success ? parsed.data : null
}

function secretFree(config: DeployConfig): DeployConfig {
  return {
    ...config,
    services: config.services.map((s) => ({ ...s, env: s.env.map((e) => (e.secret ? { ...e, value: null } : e)) })),
  }
}
