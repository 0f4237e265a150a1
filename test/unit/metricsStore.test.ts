import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MAX_POINTS,
  MetricsStore,
  RETENTION,
  stepFor,
  WINDOW_MS,
  type RawSample,
} from '../../src/main/metrics/metricsStore'
import { openDatabase, type Db } from '../../src/main/store/database'
import { migrate } from '../../src/main/store/migrate'
import { migrations } from '../../src/main/store/migrations'
import { METRIC_WINDOWS } from '../../src/shared/types/metrics'
import { tempDir } from '../helpers/tempDir'

const MINUTE = 60_000
/** A fixed "now", on a quarter hour, so bucket edges are easy to reason about. */
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0)

function freshStore(workloads: readonly string[] = ['w1', 'w2']): { db: Db; store: MetricsStore } {
  const db = openDatabase(join(tempDir('metrics-'), 'slipway.db'))
  migrate(db, migrations)
  for (const id of workloads)
    db.prepare(
      "INSERT INTO workloads (id, host_id, name, created_at, updated_at) VALUES (?, 'local', ?, 'now', 'now')",
    ).run(id, id)
  return { db, store: new MetricsStore(db) }
}

/** Deterministic, uneven values: two containers per workload, one tick every 15 s. */
function ticks(workloadId: string, from: number, to: number, seed = 1): RawSample[] {
  const out: RawSample[] = []
  for (let at = from, i = 0; at < to; at += 15_000, i++) {
    for (const c of ['a', 'b']) {
      const x = (i * 7919 + seed * 104_729 + (c === 'a' ? 0 : 31)) % 1000
      out.push({
        workloadId,
        containerId: c,
        at,
        cpuPercent: i === 0 && c === 'b' ? null : x / 10,
        memoryBytes: 1_000_000 + x * 1000,
      })
    }
  }
  return out
}

/** min/avg/max over ticks of the per-tick sums, computed here independently of the SQL. */
function expected(samples: readonly RawSample[], from: number, to: number) {
  const perTick = new Map<number, { cpu: number | null; mem: number }>()
  for (const s of samples) {
    if (s.at < from || s.at >= to) continue
    const t = perTick.get(s.at) ?? { cpu: null, mem: 0 }
    if (s.cpuPercent !== null) t.cpu = (t.cpu ?? 0) + s.cpuPercent
    t.mem += s.memoryBytes
    perTick.set(s.at, t)
  }
  const cpu = [...perTick.values()].flatMap((t) => (t.cpu === null ? [] : [t.cpu]))
  const mem = [...perTick.values()].map((t) => t.mem)
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  return {
    cpuMin: Math.min(...cpu),
    cpuAvg: avg(cpu),
    cpuMax: Math.max(...cpu),
    memMin: Math.min(...mem),
    memAvg: avg(mem),
    memMax: Math.max(...mem),
  }
}

/** A rollup row's min/avg/max under the names of a MetricPoint. */
function figures(row: Record<string, number>): Record<string, number | undefined> {
  return {
    cpuMin: row['cpu_min'],
    cpuAvg: row['cpu_avg'],
    cpuMax: row['cpu_max'],
    memMin: row['mem_min'],
    memAvg: row['mem_avg'],
    memMax: row['mem_max'],
  }
}

function close(
  actual: Record<string, number | null | undefined>,
  wanted: Record<string, number | null | undefined>,
): void {
  for (const [key, value] of Object.entries(wanted)) expect(actual[key] ?? NaN, key).toBeCloseTo(value ?? NaN, 6)
}

describe('metrics store', () => {
  it('1-minute and 15-minute rollups hold the min/avg/max of the raw per-tick sums', () => {
    const { store, db } = freshStore()
    const samples = [...ticks('w1', T0 - 60 * MINUTE, T0), ...ticks('w2', T0 - 60 * MINUTE, T0, 2)]
    store.insert(samples)
    store.rollUp(T0 + MINUTE)

    const minute = db
      .prepare('SELECT * FROM metric_rollup_1m WHERE workload_id = ? AND bucket = ?')
      .get('w1', T0 - 17 * MINUTE) as Record<string, number>
    const wantMinute = expected(
      samples.filter((s) => s.workloadId === 'w1'),
      T0 - 17 * MINUTE,
      T0 - 16 * MINUTE,
    )
    close(figures(minute), wantMinute)
    expect(minute['ticks']).toBe(4)

    const quarter = db
      .prepare('SELECT * FROM metric_rollup_15m WHERE workload_id = ? AND bucket = ?')
      .get('w2', T0 - 45 * MINUTE) as Record<string, number>
    close(
      figures(quarter),
      expected(
        samples.filter((s) => s.workloadId === 'w2'),
        T0 - 45 * MINUTE,
        T0 - 30 * MINUTE,
      ),
    )
    expect(quarter['ticks']).toBe(60)
    // Only complete minutes and quarters: the minute that just ended waits until it has settled.
    expect(db.prepare('SELECT COUNT(*) FROM metric_rollup_1m WHERE workload_id = ?').pluck().get('w1')).toBe(60)
    expect(db.prepare('SELECT COUNT(*) FROM metric_rollup_15m WHERE workload_id = ?').pluck().get('w1')).toBe(4)
  })

  it('rolls up the same again when run twice, and catches up samples older than what is rolled up', () => {
    const { store, db } = freshStore()
    store.insert(ticks('w1', T0 - 10 * MINUTE, T0))
    store.rollUp(T0 + MINUTE)
    store.rollUp(T0 + MINUTE)
    const before = db.prepare('SELECT * FROM metric_rollup_1m ORDER BY bucket').all()
    expect(before).toHaveLength(10)
    store.insert(ticks('w1', T0 - 30 * MINUTE, T0 - 20 * MINUTE))
    store.rollUp(T0 + 2 * MINUTE)
    expect(db.prepare('SELECT COUNT(*) FROM metric_rollup_1m').pluck().get()).toBe(20)
    expect(
      db.prepare('SELECT * FROM metric_rollup_1m WHERE bucket >= ? ORDER BY bucket').all(T0 - 10 * MINUTE),
    ).toEqual(before)
  })

  it('a window answers with the same figures from rollups as from raw samples', () => {
    const { store } = freshStore()
    const samples = ticks('w1', T0 - 6 * 60 * MINUTE, T0)
    store.insert(samples)
    const raw = store.series('w1', '6h', T0, 15)
    store.rollUp(T0)
    const rolled = store.series('w1', '6h', T0, 15)
    expect(rolled.stepSeconds).toBe(60)
    expect(rolled.points).toHaveLength(raw.points.length)
    rolled.points.forEach((p, i) => close({ ...p }, { ...(raw.points[i] ?? {}) }))
    const bucket = rolled.points.find((p) => p.t === T0 - 90 * MINUTE)
    close({ ...bucket }, expected(samples, T0 - 90 * MINUTE, T0 - 89 * MINUTE))
  })

  it('7 days come from 15-minute rollups plus the finer tail, in at most ~500 points', () => {
    const { store } = freshStore()
    const samples = ticks('w1', T0 - 7 * 24 * 60 * MINUTE, T0 + 20 * MINUTE)
    store.insert(samples)
    store.rollUp(T0)
    const now = T0 + 20 * MINUTE
    const series = store.series('w1', '7d', now, 15)
    expect(series.stepSeconds).toBe(1800)
    expect(series.points.length).toBeLessThanOrEqual(MAX_POINTS)
    // The newest bucket mixes 15-minute rollups, 1-minute rollups and raw samples.
    const newest = series.points.at(-1)
    expect(newest?.t).toBe(T0)
    close({ ...newest }, expected(samples, T0, now + 1))
    const middle = series.points.find((p) => p.t === T0 - 3 * 24 * 60 * MINUTE)
    close({ ...middle }, expected(samples, T0 - 3 * 24 * 60 * MINUTE, T0 - 3 * 24 * 60 * MINUTE + 30 * MINUTE))
  })

  it('every window stays within ~500 points at the shortest interval', () => {
    for (const window of METRIC_WINDOWS) {
      const step = stepFor(WINDOW_MS[window], 5)
      expect(WINDOW_MS[window] / 1000 / step, window).toBeLessThanOrEqual(MAX_POINTS)
    }
  })

  it('pruning removes what is past retention and nothing else', () => {
    const { store, db } = freshStore()
    const now = T0
    store.insert([
      { workloadId: 'w1', containerId: 'a', at: now - RETENTION.raw - 1, cpuPercent: 1, memoryBytes: 1 },
      { workloadId: 'w1', containerId: 'a', at: now - RETENTION.raw, cpuPercent: 1, memoryBytes: 1 },
      { workloadId: 'w1', containerId: 'a', at: now - 1000, cpuPercent: 1, memoryBytes: 1 },
    ])
    const rollup = (table: string, bucket: number) =>
      db
        .prepare(
          `INSERT INTO ${table} (workload_id, bucket, ticks, cpu_ticks, cpu_min, cpu_avg, cpu_max, mem_min, mem_avg, mem_max)
           VALUES ('w1', ?, 1, 1, 1, 1, 1, 1, 1, 1)`,
        )
        .run(bucket)
    rollup('metric_rollup_1m', now - RETENTION.rollup1m - MINUTE)
    rollup('metric_rollup_1m', now - RETENTION.rollup1m)
    rollup('metric_rollup_15m', now - RETENTION.rollup15m - 15 * MINUTE)
    rollup('metric_rollup_15m', now - RETENTION.rollup15m)
    expect(store.prune(now)).toEqual({ raw: 1, rollup1m: 1, rollup15m: 1 })
    expect(db.prepare('SELECT at FROM metric_samples ORDER BY at').pluck().all()).toEqual([
      now - RETENTION.raw,
      now - 1000,
    ])
    expect(db.prepare('SELECT bucket FROM metric_rollup_1m').pluck().all()).toEqual([now - RETENTION.rollup1m])
    expect(db.prepare('SELECT bucket FROM metric_rollup_15m').pluck().all()).toEqual([now - RETENTION.rollup15m])
  })

  it("a deleted workload's metrics go with it", () => {
    const { store, db } = freshStore()
    store.insert(ticks('w1', T0 - 10 * MINUTE, T0))
    store.rollUp(T0 + MINUTE)
    db.prepare("DELETE FROM workloads WHERE id = 'w1'").run()
    expect(db.prepare('SELECT COUNT(*) FROM metric_samples').pluck().get()).toBe(0)
    expect(db.prepare('SELECT COUNT(*) FROM metric_rollup_1m').pluck().get()).toBe(0)
  })
})
