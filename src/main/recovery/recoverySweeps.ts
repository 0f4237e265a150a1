import { BackoffTimer } from '../concurrency/backoffTimer'
import type { Logger } from '../log'

export interface RecoverySweepsOptions {
  /** One full sweep of a host: leftover helpers, interrupted restores, quiesced apps. */
  readonly sweep: (hostId: string) => Promise<void>
  /** A failed sweep is only retried while its host is still reachable; a reconnect triggers a new one. */
  readonly isConnected: (hostId: string) => boolean
  readonly log: Logger
  readonly firstRetryMs: number
  readonly maxRetryMs: number
}

interface HostSweep {
  running: Promise<void> | null
  /** Bumped by every trigger: a sweep that ends behind it runs once more. */
  requested: number
  readonly retry: BackoffTimer
}

/**
 * Runs recovery sweeps one at a time per host. A sweep that fails (the link dropped again, the
 * engine was busy) is retried with backoff until one completes, so an interrupted restore is never
 * left waiting for a reconnect that may not come. A trigger during a sweep runs one more after it.
 */
export class RecoverySweeps {
  private readonly hosts = new Map<string, HostSweep>()
  private closed = false

  constructor(private readonly options: RecoverySweepsOptions) {}

  /** Starts a sweep of the host (or queues one after the running sweep); resolves when it has ended. */
  trigger(hostId: string): Promise<void> {
    if (this.closed) return Promise.resolve()
    const state = this.stateOf(hostId)
    state.retry.cancel()
    state.requested += 1
    if (state.running !== null) return state.running
    state.running = this.run(hostId, state)
    return state.running
  }

  /** Stops retries and waits for running sweeps, so none touches a closed store. */
  async close(): Promise<void> {
    this.closed = true
    for (const state of this.hosts.values()) state.retry.cancel()
    await Promise.all([...this.hosts.values()].flatMap((s) => (s.running === null ? [] : [s.running])))
  }

  private stateOf(hostId: string): HostSweep {
    let state = this.hosts.get(hostId)
    if (state === undefined) {
      state = {
        running: null,
        requested: 0,
        retry: new BackoffTimer({ firstMs: this.options.firstRetryMs, maxMs: this.options.maxRetryMs }),
      }
      this.hosts.set(hostId, state)
    }
    return state
  }

  private async run(hostId: string, state: HostSweep): Promise<void> {
    const { log } = this.options
    let failed = false
    let swept = -1
    while (swept !== state.requested && !this.closed) {
      swept = state.requested
      try {
        await this.options.sweep(hostId)
        failed = false
        state.retry.reset()
      } catch (error) {
        failed = true
        log.warn('host recovery failed', { hostId, error })
      }
    }
    state.running = null
    if (failed && !this.closed && this.options.isConnected(hostId)) {
      const retryMs = state.retry.schedule(() => void this.trigger(hostId))
      log.info('host recovery will be retried', { hostId, retryMs })
    }
  }
}
