import { describe, expect, it } from 'vitest'
import { EventBus } from '../../src/main/events'
import { createRouter, SubscriptionTable, type Handlers } from '../../src/main/ipc/router'
import { topicSources } from '../../src/main/ipc/topicSources'
import { silentLogger } from '../../src/main/log'
import type { JobProgress } from '../../src/shared/types/jobs'

const progress = (jobId: string): JobProgress => ({
  jobId,
  kind: 'k',
  subject: null,
  state: 'running',
  phase: 'p',
  done: 0,
  total: null,
  unit: 'steps',
  items: null,
  error: null,
})

describe('subscriptions', () => {
  it('deliver filtered events until removed, and clear() ends them all', () => {
    const bus = new EventBus()
    const router = createRouter({
      handlers: {} as Handlers,
      topics: topicSources(bus, { followLogs: () => () => undefined }),
      log: silentLogger,
    })
    const table = new SubscriptionTable(router)
    const onlyA: unknown[] = []
    const all: unknown[] = []
    expect(table.add('a', 'jobs.progress', { jobId: 'A' }, (p) => onlyA.push(p)).ok).toBe(true)
    expect(table.add('b', 'jobs.progress', {}, (p) => all.push(p)).ok).toBe(true)
    expect(table.add('b', 'jobs.progress', {}, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    })

    bus.emit('jobs.progress', progress('A'))
    bus.emit('jobs.progress', progress('B'))
    expect(onlyA).toHaveLength(1)
    expect(all).toHaveLength(2)

    table.remove('a')
    bus.emit('jobs.progress', progress('A'))
    expect(onlyA).toHaveLength(1)
    expect(all).toHaveLength(3)

    table.clear()
    bus.emit('jobs.progress', progress('A'))
    expect(all).toHaveLength(3)
    expect(table.size).toBe(0)
  })
})
