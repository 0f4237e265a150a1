/**
 * metrics: one sampler tick over 50 running workload containers, locally and over SSH (the same
 * sampler code on the SSH host's engine client), as wall time and main-process CPU time; for
 * reference, `docker stats --no-stream` of the same containers in the same run. Then the query of
 * a 7-day window for one workload, with 100 workloads' data stored (a day of raw samples, a week
 * of 1-minute rollups, 90 days of 15-minute rollups).
 * Targets: a tick under 1.5 s wall and 150 ms CPU; the 7-day query under 50 ms.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { MetricsSampler } from '../src/main/metrics/metricsSampler'
import { MetricsStore, RETENTION, type RawSample } from '../src/main/metrics/metricsStore'
import { silentLogger } from '../src/main/log'
import { openDatabase } from '../src/main/store/database'
import { migrate } from '../src/main/store/migrate'
import { migrations } from '../src/main/store/migrations'
import { METRIC_WINDOWS } from '../src/shared/types/metrics'
import { importedImage } from '../test/helpers/images'
import { startInstance } from '../test/helpers/slipwayInstance'
import { defaultTuning } from '../src/main/app'
import { addTrustedSshHost } from '../test/helpers/sshHostFixture'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { testEnv } from '../test/helpers/testEnv'
import { deployedWorkload, value } from '../test/helpers/workloadFixtures'
import { median, round } from './stats'

const CONTAINERS = 50
const TICKS = 7

async function timedTicks(sampler: MetricsSampler): Promise<{ wall_ms: number; cpu_ms: number; samples: number }> {
  const walls: number[] = []
  const cpus: number[] = []
  let samples = 0
  for (let i = 0; i < TICKS + 2; i++) {
    const cpu = process.cpuUsage()
    const started = performance.now()
    const report = await sampler.tick(Date.now())
    const wall = performance.now() - started
    const used = process.cpuUsage(cpu)
    // The first two ticks warm up connections and the JIT.
    if (i < 2) continue
    walls.push(wall)
    cpus.push((used.user + used.system) / 1000)
    samples = report.samples.length
  }
  return { wall_ms: round(median(walls), 1), cpu_ms: round(median(cpus), 1), samples }
}

async function tickBench(): Promise<Record<string, unknown>> {
  const env = testEnv()
  importedImage('slipway-test/app:a', 'A')
  const instance = await startInstance({ dockerHost: env.dockerHost, tuning: { metricsSampling: false } })
  const ids: string[] = []
  try {
    for (let i = 0; i < CONTAINERS; i++)
      ids.push((await deployedWorkload(instance, 'local', `bench-metrics-${i}`, [])).id)
    const workloadIds = new Set(ids)
    const host = await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub }, 'bench')
    const sampler = (hostId: string) =>
      new MetricsSampler({
        hosts: () => [{ hostId, engine: instance.slipway.engines.engine(hostId).inspector, workloadIds }],
        log: silentLogger,
        concurrencyPerHost: defaultTuning.metricsConcurrencyPerHost,
        requestTimeoutMs: defaultTuning.metricsRequestTimeoutMs,
      })
    const local = await timedTicks(sampler('local'))
    const ssh = await timedTicks(sampler(host.id))
    const names = ids.map((_, i) => `bench-metrics-${i}-app`)
    const started = performance.now()
    execFileSync('docker', ['-H', env.dockerHost, 'stats', '--no-stream', ...names], { stdio: 'ignore' })
    const dockerStatsMs = performance.now() - started
    return {
      containers: CONTAINERS,
      local,
      ssh,
      docker_stats_no_stream_ms: round(dockerStatsMs, 1),
      target: 'tick < 1500 ms wall and < 150 ms CPU',
    }
  } finally {
    for (const id of ids)
      value(await instance.slipway.router.invoke('workloads.delete', { workloadId: id, keepVolumes: false }))
    await instance.close()
  }
}

function queryBench(): Record<string, unknown> {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-metrics-')), 'slipway.db'))
  migrate(db, migrations)
  const store = new MetricsStore(db)
  const now = Date.UTC(2026, 10, 1, 12, 0, 0)
  const workloads = Array.from({ length: 100 }, (_, i) => `w${String(i)}`)
  const insertWorkload = db.prepare(
    "INSERT INTO workloads (id, host_id, name, created_at, updated_at) VALUES (?, 'local', ?, 'now', 'now')",
  )
  for (const id of workloads) insertWorkload.run(id, id)
  // A day of raw samples (two containers each, every 15 s), rolled up as the app would.
  for (const id of workloads) {
    const samples: RawSample[] = []
    for (let at = now - RETENTION.raw; at < now; at += 15_000)
      for (const c of ['a', 'b'])
        samples.push({
          workloadId: id,
          containerId: c,
          at,
          cpuPercent: (at / 15_000) % 97,
          memoryBytes: 50e6 + (at % 7e6),
        })
    store.insert(samples)
  }
  store.rollUp(now)
  // Older history straight into the rollup tables: a week of minutes, 90 days of quarter hours.
  const rollup = (table: string) =>
    db.prepare(
      `INSERT OR IGNORE INTO ${table} (workload_id, bucket, ticks, cpu_ticks, cpu_min, cpu_avg, cpu_max, mem_min, mem_avg, mem_max)
       VALUES (?, ?, 4, 4, 1, 2, 3, 4e7, 5e7, 6e7)`,
    )
  const minute = rollup('metric_rollup_1m')
  const quarter = rollup('metric_rollup_15m')
  db.transaction(() => {
    for (const id of workloads) {
      for (let b = now - RETENTION.rollup1m; b < now - RETENTION.raw; b += 60_000) minute.run(id, b)
      for (let b = now - RETENTION.rollup15m; b < now - RETENTION.raw; b += 900_000) quarter.run(id, b)
    }
  })()
  const rows = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
  const query: Record<string, number> = {}
  let points = 0
  for (const window of METRIC_WINDOWS) {
    const times: number[] = []
    for (let i = 0; i < 25; i++) {
      const started = performance.now()
      points = store.series('w42', window, now, 15).points.length
      times.push(performance.now() - started)
    }
    query[`${window}_ms`] = round(median(times.slice(5)), 2)
    query[`${window}_points`] = points
  }
  const stored = {
    workloads: workloads.length,
    raw_rows: rows('metric_samples'),
    rollup_1m_rows: rows('metric_rollup_1m'),
    rollup_15m_rows: rows('metric_rollup_15m'),
  }
  db.close()
  return { stored, query, target: '7d query < 50 ms' }
}

export async function metricsBench(): Promise<Record<string, unknown>> {
  const tick = await tickBench()
  return { tick, ...queryBench() }
}
