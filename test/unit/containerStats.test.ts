import type { EngineInspector } from '../../src/main/docker/engine'
import { describe, expect, it } from 'vitest'
import { cpuPercent, cpuReading, memoryBytes } from '../../src/main/metrics/containerStats'
import { MetricsSampler } from '../../src/main/metrics/metricsSampler'
import { silentLogger } from '../../src/main/log'

const v1Memory = {
  usage: 300_000_000,
  stats: { cache: 100_000_000, total_cache: 100_000_000, rss: 180_000_000, total_inactive_file: 60_000_000 },
}
const v2Memory = { usage: 300_000_000, stats: { anon: 180_000_000, file: 100_000_000, inactive_file: 40_000_000 } }

describe('container stats as docker stats shows them', () => {
  it('memory is usage minus cache on cgroup v1, minus inactive_file on cgroup v2', () => {
    expect(memoryBytes({ memory_stats: v1Memory })).toBe(200_000_000)
    expect(memoryBytes({ memory_stats: v2Memory })).toBe(260_000_000)
    expect(memoryBytes({ memory_stats: { usage: 5, stats: {} } })).toBe(5)
    expect(memoryBytes({ memory_stats: {} })).toBeNull()
  })

  it('CPU % is the container delta over the system delta times the online CPUs', () => {
    const at = (container: number, system: number, online?: number, percpu?: number[]) =>
      cpuReading({
        cpu_stats: {
          cpu_usage: { total_usage: container, percpu_usage: percpu ?? null },
          system_cpu_usage: system,
          ...(online === undefined ? {} : { online_cpus: online }),
        },
      })
    const first = at(1_000, 10_000, 4)
    const second = at(1_500, 12_000, 4)
    if (first === null || second === null) throw new Error('no reading')
    expect(cpuPercent(undefined, second)).toBeNull()
    expect(cpuPercent(first, second)).toBeCloseTo((500 / 2000) * 4 * 100)
    // Without online_cpus the per-CPU list gives the count.
    const a = at(0, 0, undefined, [1, 1])
    const b = at(1_000, 1_000, undefined, [1, 1])
    if (a === null || b === null) throw new Error('no reading')
    expect(cpuPercent(a, b)).toBeCloseTo(200)
    // Counters that went back (a restart) give no figure rather than a negative one.
    expect(cpuPercent(second, first)).toBeNull()
    expect(cpuReading({})).toBeNull()
  })
})

describe('the sampler', () => {
  it('skips a container that disappears between the list and its stats, and other workloads', async () => {
    const stats = (total: number) => ({
      cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: total * 4, online_cpus: 2 },
      memory_stats: v2Memory,
    })
    let calls = 0
    const docker = {
      listContainers: async () => [
        { Id: 'c-live', Labels: { 'io.slipway.workload': 'w1' } },
        { Id: 'c-gone', Labels: { 'io.slipway.workload': 'w1' } },
        { Id: 'c-other', Labels: { 'io.slipway.workload': 'not-ours' } },
      ],
      stats: async (id: string) => {
        if (id === 'c-gone') throw Object.assign(new Error('no such container'), { statusCode: 404 })
        if (id === 'c-other') throw new Error('must not be read')
        calls += 1
        return stats(calls * 1000)
      },
    } as unknown as EngineInspector
    const sampler = new MetricsSampler({
      hosts: () => [{ hostId: 'h', engine: docker, workloadIds: new Set(['w1']) }],
      log: silentLogger,
      concurrencyPerHost: 2,
      requestTimeoutMs: 1000,
    })
    const first = await sampler.tick(1)
    expect(first).toMatchObject({ containers: 2, skipped: 1 })
    expect(first.samples).toEqual([
      { workloadId: 'w1', containerId: 'c-live', at: 1, cpuPercent: null, memoryBytes: 260_000_000 },
    ])
    const second = await sampler.tick(2)
    expect(second.samples[0]?.cpuPercent).toBeCloseTo(50)
  })

  it('a stats request that never answers is abandoned: the tick ends, the sample is skipped', async () => {
    const docker = {
      listContainers: async () => [{ Id: 'c-stuck', Labels: { 'io.slipway.workload': 'w1' } }],
      stats: (_id: string, signal: AbortSignal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')))
        }),
    } as unknown as EngineInspector
    const sampler = new MetricsSampler({
      hosts: () => [{ hostId: 'h', engine: docker, workloadIds: new Set(['w1']) }],
      log: silentLogger,
      concurrencyPerHost: 2,
      requestTimeoutMs: 50,
    })
    expect(await sampler.tick(1)).toEqual({ samples: [], containers: 1, skipped: 1 })
  })

  it('a host whose engine does not answer is left out of the tick', async () => {
    const down = {
      listContainers: async () => {
        throw new Error('connect ENOENT')
      },
    } as unknown as EngineInspector
    const sampler = new MetricsSampler({
      hosts: () => [{ hostId: 'h', engine: down, workloadIds: new Set(['w1']) }],
      log: silentLogger,
      concurrencyPerHost: 2,
      requestTimeoutMs: 1000,
    })
    expect(await sampler.tick(1)).toEqual({ samples: [], containers: 0, skipped: 0 })
  })
})
