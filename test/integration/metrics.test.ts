import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CurrentMetric, MetricSeries } from '../../src/shared/types/metrics'
import { docker, importedImage } from '../helpers/images'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { PrivateSshd } from '../helpers/sshd'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const MIB = 1024 * 1024
const HELD_MIB = 96
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The workload's containers summed, from the newest tick. */
async function current(instance: Instance, hostId: string, workloadId: string): Promise<CurrentMetric | undefined> {
  const all = value<CurrentMetric[]>(await instance.slipway.router.invoke('metrics.current', { hostId }))
  return all.find((m) => m.workloadId === workloadId)
}

describe('metrics from the real engine', () => {
  let instance: Instance
  let sshd: PrivateSshd
  const removeAfter: string[] = []

  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    sshd = await PrivateSshd.start()
    instance = await startInstance({ dockerHost: env.dockerHost, tuning: { metricsSampling: false } })
  })
  afterAll(async () => {
    for (const id of removeAfter)
      await instance.slipway.router.invoke('workloads.delete', { workloadId: id, keepVolumes: false })
    await instance.close()
    await sshd.close()
  })

  it('a busy loop shows above 50 % CPU within two ticks, an idle app below 5 %, held memory within 10 %', async () => {
    const busy = await deployedWorkload(instance, 'local', 'metrics-busy', [], {
      command: ['/bin/sh', '-c', 'while :; do :; done'],
    })
    const idle = await deployedWorkload(instance, 'local', 'metrics-idle', [])
    // dd fills a 96 MiB buffer from /dev/zero, then blocks writing it to a pipe nobody reads.
    const held = await deployedWorkload(instance, 'local', 'metrics-memory', [], {
      command: ['/bin/sh', '-c', `dd if=/dev/zero bs=${HELD_MIB}M count=1 | sleep 3600`],
    })
    removeAfter.push(idle.id)
    await sleep(1500)

    const first = await instance.slipway.metrics.tick()
    expect(first.samples.map((s) => s.workloadId)).toEqual(expect.arrayContaining([busy.id, idle.id, held.id]))
    await sleep(2000)
    await instance.slipway.metrics.tick()

    expect((await current(instance, 'local', busy.id))?.cpuPercent).toBeGreaterThan(50)
    expect((await current(instance, 'local', idle.id))?.cpuPercent).toBeLessThan(5)
    const memory = (await current(instance, 'local', held.id))?.memoryBytes ?? 0
    expect(memory).toBeGreaterThan(HELD_MIB * MIB * 0.9)
    expect(memory).toBeLessThan(HELD_MIB * MIB * 1.1)

    // The same figures are in the stored history, summed per tick.
    const series = value<MetricSeries>(
      await instance.slipway.router.invoke('metrics.series', { workloadId: busy.id, window: '1h' }),
    )
    expect(series.stepSeconds).toBe(15)
    expect(series.points.length).toBeGreaterThanOrEqual(1)
    expect(Math.max(...series.points.map((p) => p.cpuMax ?? 0))).toBeGreaterThan(50)
    const rows = instance.slipway.db
      .prepare('SELECT COUNT(*) FROM metric_samples WHERE workload_id = ?')
      .pluck()
      .get(held.id) as number
    expect(rows).toBe(2)
    for (const id of [busy.id, held.id])
      value(await instance.slipway.router.invoke('workloads.delete', { workloadId: id, keepVolumes: false }))
  })

  it('samples a workload on an SSH host, and stops when it is gone', async () => {
    const host = await addTrustedSshHost(instance, sshd)
    const w = await deployedWorkload(instance, host.id, 'metrics-remote', [], {
      command: ['/bin/sh', '-c', 'while :; do :; done'],
    })
    removeAfter.push(w.id)
    await instance.slipway.metrics.tick()
    await sleep(1500)
    const report = await instance.slipway.metrics.tick()
    expect(report.samples.filter((s) => s.workloadId === w.id)).toHaveLength(1)
    expect((await current(instance, host.id, w.id))?.cpuPercent).toBeGreaterThan(50)

    value(await instance.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
    const after = await instance.slipway.metrics.tick()
    expect(after.samples.filter((s) => s.workloadId === w.id)).toEqual([])
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).toBe('')
  })

  it('samples on its own timer at the interval the setting gives', async () => {
    const timed = await startInstance({ dockerHost: env.dockerHost })
    try {
      value(await timed.slipway.router.invoke('settings.update', { metricsIntervalSeconds: 5 }))
      const w = await deployedWorkload(timed, 'local', 'metrics-timer', [])
      const deadline = Date.now() + 20_000
      let count = 0
      while (Date.now() < deadline && count < 2) {
        await sleep(500)
        count = timed.slipway.db
          .prepare('SELECT COUNT(DISTINCT at) FROM metric_samples WHERE workload_id = ?')
          .pluck()
          .get(w.id) as number
      }
      expect(count).toBeGreaterThanOrEqual(2)
      value(await timed.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
    } finally {
      await timed.close()
    }
  })
})
