import type { CaptureHooks } from '../../../shared/types/snapshots'
import type { Db } from '../../store/database'

interface HookRow {
  phase: 'pre' | 'post'
  service: string
  command: string
  timeout_seconds: number
}

/** Each workload's capture hooks, in the order the user gave them. */
export class CaptureHookSettings {
  constructor(private readonly db: Db) {}

  get(workloadId: string): CaptureHooks {
    const rows = this.db
      .prepare(
        'SELECT phase, service, command, timeout_seconds FROM workload_capture_hooks WHERE workload_id = ? ORDER BY position',
      )
      .all(workloadId) as HookRow[]
    const setting = this.db
      .prepare('SELECT continue_on_pre_failure FROM workload_hook_settings WHERE workload_id = ?')
      .get(workloadId) as { continue_on_pre_failure: number } | undefined
    return {
      hooks: rows.map((r) => ({
        phase: r.phase,
        service: r.service,
        command: r.command,
        timeoutSeconds: r.timeout_seconds,
      })),
      continueOnPreFailure: setting?.continue_on_pre_failure === 1,
    }
  }

  set(workloadId: string, hooks: CaptureHooks): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM workload_capture_hooks WHERE workload_id = ?').run(workloadId)
      const insert = this.db.prepare(
        `INSERT INTO workload_capture_hooks (workload_id, position, phase, service, command, timeout_seconds)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      hooks.hooks.forEach((h, i) => insert.run(workloadId, i, h.phase, h.service, h.command, h.timeoutSeconds))
      this.db
        .prepare(
          `INSERT INTO workload_hook_settings (workload_id, continue_on_pre_failure) VALUES (?, ?)
           ON CONFLICT (workload_id) DO UPDATE SET continue_on_pre_failure = excluded.continue_on_pre_failure`,
        )
        .run(workloadId, hooks.continueOnPreFailure ? 1 : 0)
    })()
  }
}
