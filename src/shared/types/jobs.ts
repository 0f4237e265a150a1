import type { ErrorCode } from '../errors'

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobProgress {
  readonly jobId: string
  readonly kind: string
  /** What the job works on (a workload id), so a page can show the jobs of what it shows. */
  readonly subject: string | null
  readonly state: JobState
  /** A step name the renderer translates (e.g. `extract`, `swap`). */
  readonly phase: string
  readonly done: number
  readonly total: number | null
  readonly unit: 'bytes' | 'files' | 'steps'
  /** Files (or other items) handled so far, beside `done`, when the job counts them. */
  readonly items: number | null
  readonly error: ErrorCode | null
}
