import type { Logger } from '../log'
import type { Clock } from '../platform/ports'
import { lastDueAt } from './retention'
import type { SnapshotStore } from './snapshotStore'

export interface SchedulerDeps {
  readonly store: SnapshotStore
  readonly clock: Clock
  readonly log: Logger
  /** Takes a scheduled snapshot and applies the retention policy. */
  readonly run: (workloadId: string) => Promise<void>
  /** Housekeeping at every tick (pins that expired). */
  readonly maintain?: () => void
}

/**
 * Daily scheduled snapshots while Slipway runs. A tick runs every workload whose schedule fell
 * due since it last ran (a schedule missed while Slipway was closed runs once at the next tick).
 */
export class SnapshotScheduler {
  private timer: NodeJS.Timeout | undefined
  private running = false

  constructor(private readonly deps: SchedulerDeps) {}

  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  async tick(): Promise<string[]> {
    if (this.running) return []
    this.running = true
    const ran: string[] = []
    try {
      try {
        this.deps.maintain?.()
      } catch (error) {
        this.deps.log.warn('snapshot housekeeping failed', { error })
      }
      const now = new Date(this.deps.clock.now())
      for (const workloadId of this.deps.store.scheduledWorkloads()) {
        const policy = this.deps.store.policy(workloadId)
        const due = lastDueAt(now, policy.scheduleTime)
        const last = this.deps.store.lastScheduledAt(workloadId)
        if (last !== null && Date.parse(last) >= due.getTime()) continue
        this.deps.store.markScheduled(workloadId, now.toISOString())
        try {
          await this.deps.run(workloadId)
          ran.push(workloadId)
        } catch (error) {
          this.deps.log.warn('scheduled snapshot failed', { workloadId, error })
        }
      }
    } finally {
      this.running = false
    }
    return ran
  }
}
