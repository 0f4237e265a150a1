import type { LogFields, Logger } from '../log'

export interface UndoOptions {
  /**
   * If this undo fails, the older ones do not run: what they would put back depends on it (the
   * app is not restarted on data that could not be put back).
   */
  readonly critical?: boolean
}

export interface UnwindReport {
  /** Every undo ran and succeeded: everything is as it was before the first phase. */
  readonly complete: boolean
  readonly ran: readonly string[]
  readonly failed: readonly string[]
}

interface Entry {
  readonly name: string
  readonly run: () => Promise<void>
  readonly critical: boolean
}

/**
 * What a failed engine must put back. Each phase pushes its undo the moment it has something to
 * undo, so every failure path, whatever phase it comes from, runs exactly the undos that apply,
 * newest first. On success the engine commits, and nothing is put back.
 */
export class UndoStack {
  private readonly entries: Entry[] = []

  constructor(
    private readonly log: Logger,
    private readonly context: LogFields = {},
  ) {}

  push(name: string, run: () => Promise<void>, options: UndoOptions = {}): void {
    this.entries.push({ name, run, critical: options.critical === true })
  }

  /** The undos registered so far, oldest first. */
  get pending(): readonly string[] {
    return this.entries.map((e) => e.name)
  }

  /** The work is done for good: nothing registered so far is ever undone. */
  commit(): void {
    this.entries.length = 0
  }

  /**
   * Runs the registered undos newest first. A failing one is logged and the older ones still run,
   * unless it was critical. The stack is empty afterwards.
   */
  async unwind(): Promise<UnwindReport> {
    const ran: string[] = []
    const failed: string[] = []
    while (this.entries.length > 0) {
      const entry = this.entries.pop()
      if (entry === undefined) break
      try {
        await entry.run()
        ran.push(entry.name)
      } catch (error) {
        failed.push(entry.name)
        this.log.error('an undo failed', { ...this.context, undo: entry.name, error })
        if (entry.critical) {
          const skipped = this.entries.splice(0).map((e) => e.name)
          if (skipped.length > 0) this.log.error('undos left for the recovery sweep', { ...this.context, skipped })
          return { complete: false, ran, failed: [...failed, ...skipped.reverse()] }
        }
      }
    }
    return { complete: failed.length === 0, ran, failed }
  }
}
