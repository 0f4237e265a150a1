import { randomUUID } from 'node:crypto'
import type { JobProgress } from '../../shared/types/jobs'
import { AppError } from '../errors'
import type { EventBus } from '../events'
import type { Clock } from '../platform/ports'

export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  /** Reports progress; cheap to call often (events are throttled). */
  progress(phase: string, done: number, total: number | null, items?: number): void
}

export interface StartedJob<T> {
  readonly jobId: string
  readonly result: Promise<T>
}

const MIN_INTERVAL_MS = 100

/** Long-running work with an id, a cancel signal and throttled progress events. */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>()

  constructor(
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  start<T>(
    kind: string,
    unit: JobProgress['unit'],
    subject: string | null,
    run: (ctx: JobContext) => Promise<T>,
  ): StartedJob<T> {
    const jobId = randomUUID()
    const controller = new AbortController()
    this.running.set(jobId, controller)
    let last: Omit<JobProgress, 'state' | 'error'> = {
      jobId,
      kind,
      subject,
      phase: 'start',
      done: 0,
      total: null,
      unit,
      items: null,
    }
    let lastSent = 0
    const send = (state: JobProgress['state'], error: JobProgress['error']): void =>
      this.bus.emit('jobs.progress', { ...last, state, error })

    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (phase, done, total, items) => {
        const phaseChanged = phase !== last.phase
        last = { ...last, phase, done, total, items: items ?? last.items }
        const now = this.clock.now()
        if (phaseChanged || now - lastSent >= MIN_INTERVAL_MS) {
          lastSent = now
          send('running', null)
        }
      },
    }

    const result = (async () => {
      try {
        send('running', null)
        const value = await run(ctx)
        send('succeeded', null)
        return value
      } catch (error) {
        if (controller.signal.aborted) send('cancelled', 'CANCELLED')
        else send('failed', error instanceof AppError ? error.code : 'INTERNAL')
        throw error
      } finally {
        this.running.delete(jobId)
      }
    })()
    return { jobId, result }
  }

  cancel(jobId: string): void {
    const controller = this.running.get(jobId)
    if (controller === undefined) throw new AppError('NOT_FOUND', 'no such running job')
    controller.abort(new AppError('CANCELLED'))
  }

  get size(): number {
    return this.running.size
  }
}
