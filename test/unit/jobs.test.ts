import { describe, expect, it } from 'vitest'
import { EventBus } from '../../src/main/events'
import { AppError } from '../../src/main/errors'
import { JobRegistry } from '../../src/main/jobs/jobRegistry'
import type { JobProgress } from '../../src/shared/types/jobs'

function setup() {
  let now = 0
  const bus = new EventBus()
  const events: JobProgress[] = []
  bus.on('jobs.progress', (e) => events.push(e))
  const jobs = new JobRegistry(bus, { now: () => now })
  return { jobs, events, advance: (ms: number) => (now += ms) }
}

describe('jobs', () => {
  it('reports start, throttled progress, phase changes and success', async () => {
    const { jobs, events, advance } = setup()
    const job = jobs.start('capture', 'bytes', null, async (ctx) => {
      ctx.progress('read', 1, 10)
      ctx.progress('read', 2, 10) // within the throttle window: dropped
      advance(150)
      ctx.progress('read', 3, 10)
      ctx.progress('compress', 4, 10) // phase change: always sent
      return 'done'
    })
    await expect(job.result).resolves.toBe('done')
    expect(events.map((e) => [e.state, e.phase, e.done])).toEqual([
      ['running', 'start', 0],
      ['running', 'read', 1],
      ['running', 'read', 3],
      ['running', 'compress', 4],
      ['succeeded', 'compress', 4],
    ])
    expect(jobs.size).toBe(0)
  })

  it('cancels through the signal and reports CANCELLED; unknown jobs are NOT_FOUND', async () => {
    const { jobs, events } = setup()
    const job = jobs.start(
      'capture',
      'bytes',
      null,
      (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error))),
    )
    jobs.cancel(job.jobId)
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', error: 'CANCELLED' })
    expect(() => jobs.cancel(job.jobId)).toThrow(AppError)
  })

  it('reports a failure by code only', async () => {
    const { jobs, events } = setup()
    const job = jobs.start('capture', 'bytes', null, async () => {
      throw new Error('disk full at /secret/path')
    })
    await expect(job.result).rejects.toThrow()
    expect(events.at(-1)).toMatchObject({ state: 'failed', error: 'INTERNAL' })
    expect(JSON.stringify(events)).not.toContain('/secret/path')
  })
})
