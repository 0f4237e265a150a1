/**
 * One pending retry at a time, each waiting twice as long as the one before (up to a cap), until
 * reset after a success. The timer never keeps the process alive.
 */
export class BackoffTimer {
  private timer: NodeJS.Timeout | undefined
  private delay: number

  constructor(private readonly policy: { readonly firstMs: number; readonly maxMs: number }) {
    this.delay = policy.firstMs
  }

  /** Replaces any pending retry with `retry` after the current delay; returns that delay. */
  schedule(retry: () => void): number {
    this.cancel()
    const delay = this.delay
    this.delay = Math.min(this.delay * 2, this.policy.maxMs)
    this.timer = setTimeout(retry, delay)
    this.timer.unref()
    return delay
  }

  /** Drops the pending retry, if any; the next delay stays as it was. */
  cancel(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** After a success: the next failure waits the first delay again. */
  reset(): void {
    this.delay = this.policy.firstMs
  }
}
