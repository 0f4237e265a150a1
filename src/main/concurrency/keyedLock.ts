import { AppError } from '../errors'

/**
 * One holder per key at a time, in arrival order; different keys run in parallel.
 * `tryRun` is for single-flight callers: it refuses with BUSY instead of queueing.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly pending = new Map<string, number>()

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.tails.set(key, tail)
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1)
    try {
      await previous
      return await work()
    } finally {
      release()
      const left = (this.pending.get(key) ?? 1) - 1
      if (left === 0) {
        this.pending.delete(key)
        if (this.tails.get(key) === tail) this.tails.delete(key)
      } else {
        this.pending.set(key, left)
      }
    }
  }

  tryRun<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.isBusy(key)) return Promise.reject(new AppError('BUSY', `${key} is busy`))
    return this.run(key, work)
  }

  isBusy(key: string): boolean {
    return (this.pending.get(key) ?? 0) > 0
  }
}
