import type { Database, Statement } from 'better-sqlite3'
import type { MetricPoint, MetricWindow } from '../../shared/types/metrics'

export interface RawSample {
  readonly workloadId: string
  readonly containerId: string
  /** The tick's time (ms): every container of one tick shares it. */
  readonly at: number
  readonly cpuPercent: number | null
  readonly memoryBytes: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const RETENTION = { raw: DAY, rollup1m: 7 * DAY, rollup15m: 90 * DAY } as const
export const WINDOW_MS: Readonly<Record<MetricWindow, number>> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
}
/** A query returns at most about this many points. */
export const MAX_POINTS = 500
const STEPS_SECONDS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400]
/** A minute is rolled up once it has been over for this long (a tick still writing its samples). */
const SETTLE_MS = 30_000

interface Bucket {
  t: number
  ticks: number
  cpuTicks: number
  cpuMin: number | null
  cpuSum: number
  cpuMax: number | null
  memMin: number
  memSum: number
  memMax: number
}

interface BucketRow {
  readonly t: number
  readonly ticks: number
  readonly cpu_ticks: number
  readonly cpu_min: number | null
  readonly cpu_sum: number | null
  readonly cpu_max: number | null
  readonly mem_min: number
  readonly mem_sum: number
  readonly mem_max: number
}

type Source = 'raw' | 'metric_rollup_1m' | 'metric_rollup_15m'

/** Per-workload sums per tick, as a subquery over raw samples in [from, to). */
const TICK_SUMS = `SELECT at, SUM(cpu) AS cpu, SUM(mem) AS mem FROM metric_samples
  WHERE workload_id = @workloadId AND at >= @from AND at < @to GROUP BY at`

const rollupFromRaw = (table: string, width: number): string => `
  INSERT OR REPLACE INTO ${table}
    (workload_id, bucket, ticks, cpu_ticks, cpu_min, cpu_avg, cpu_max, mem_min, mem_avg, mem_max)
  SELECT workload_id, (at / ${width}) * ${width} AS b, COUNT(*), COUNT(cpu), MIN(cpu), AVG(cpu), MAX(cpu),
         MIN(mem), AVG(mem), MAX(mem)
  FROM (SELECT workload_id, at, SUM(cpu) AS cpu, SUM(mem) AS mem FROM metric_samples
        WHERE at >= @from AND at < @to GROUP BY workload_id, at)
  GROUP BY workload_id, b`

const rollupFromRollup = (table: string, source: string, width: number): string => `
  INSERT OR REPLACE INTO ${table}
    (workload_id, bucket, ticks, cpu_ticks, cpu_min, cpu_avg, cpu_max, mem_min, mem_avg, mem_max)
  SELECT workload_id, (bucket / ${width}) * ${width} AS b, SUM(ticks), SUM(cpu_ticks), MIN(cpu_min),
         SUM(cpu_avg * cpu_ticks) / NULLIF(SUM(cpu_ticks), 0), MAX(cpu_max),
         MIN(mem_min), SUM(mem_avg * ticks) / SUM(ticks), MAX(mem_max)
  FROM ${source} WHERE bucket >= @from AND bucket < @to
  GROUP BY workload_id, b`

const bucketsFromRaw = `
  SELECT CAST(at / @step AS INTEGER) * @step AS t, COUNT(*) AS ticks, COUNT(cpu) AS cpu_ticks, MIN(cpu) AS cpu_min,
         SUM(cpu) AS cpu_sum, MAX(cpu) AS cpu_max, MIN(mem) AS mem_min, SUM(mem) AS mem_sum, MAX(mem) AS mem_max
  FROM (${TICK_SUMS}) GROUP BY t`

const bucketsFromRollup = (table: string): string => `
  SELECT CAST(bucket / @step AS INTEGER) * @step AS t, SUM(ticks) AS ticks, SUM(cpu_ticks) AS cpu_ticks, MIN(cpu_min) AS cpu_min,
         SUM(cpu_avg * cpu_ticks) AS cpu_sum, MAX(cpu_max) AS cpu_max, MIN(mem_min) AS mem_min,
         SUM(mem_avg * ticks) AS mem_sum, MAX(mem_max) AS mem_max
  FROM ${table} WHERE workload_id = @workloadId AND bucket >= @from AND bucket < @to GROUP BY t`

/**
 * Samples and their rollups. Raw samples are kept a day, 1-minute rollups a week, 15-minute
 * rollups 90 days. A window is answered from the coarsest table its step allows, with the finer
 * tables filling in the recent part the coarser ones have not rolled up yet.
 */
export class MetricsStore {
  private readonly insertSample: Statement
  private readonly statements: {
    readonly rollup1m: Statement
    readonly rollup15m: Statement
    readonly buckets: Readonly<Record<Source, Statement>>
    readonly watermark: Statement
    readonly setWatermark: Statement
    readonly oldestRaw: Statement
  }

  constructor(private readonly db: Database) {
    this.insertSample = db.prepare(
      'INSERT OR REPLACE INTO metric_samples (workload_id, at, container_id, cpu, mem) VALUES (?, ?, ?, ?, ?)',
    )
    this.statements = {
      rollup1m: db.prepare(rollupFromRaw('metric_rollup_1m', MINUTE)),
      rollup15m: db.prepare(rollupFromRollup('metric_rollup_15m', 'metric_rollup_1m', 15 * MINUTE)),
      buckets: {
        raw: db.prepare(bucketsFromRaw),
        metric_rollup_1m: db.prepare(bucketsFromRollup('metric_rollup_1m')),
        metric_rollup_15m: db.prepare(bucketsFromRollup('metric_rollup_15m')),
      },
      watermark: db.prepare('SELECT upto FROM metric_watermarks WHERE name = ?').pluck(),
      setWatermark: db.prepare('INSERT OR REPLACE INTO metric_watermarks (name, upto) VALUES (?, ?)'),
      oldestRaw: db.prepare('SELECT MIN(at) FROM metric_samples').pluck(),
    }
  }

  insert(samples: readonly RawSample[]): void {
    this.db.transaction(() => {
      let oldest = Number.POSITIVE_INFINITY
      for (const s of samples) {
        this.insertSample.run(s.workloadId, s.at, s.containerId, s.cpuPercent, Math.round(s.memoryBytes))
        oldest = Math.min(oldest, s.at)
      }
      // Samples behind what is rolled up (a clock set back, history imported) are rolled up again.
      for (const [name, width] of [
        ['1m', MINUTE],
        ['15m', 15 * MINUTE],
      ] as const) {
        const upto = this.watermark(name)
        if (upto !== undefined && oldest < upto)
          this.statements.setWatermark.run(name, Math.floor(oldest / width) * width)
      }
    })()
  }

  /** Rolls up every minute (and quarter hour) that has been over for a while; idempotent. */
  rollUp(now: number): void {
    const settled = now - SETTLE_MS
    this.db.transaction(() => {
      const end1m = Math.floor(settled / MINUTE) * MINUTE
      const from1m = this.watermark('1m') ?? this.oldestRawBucket(MINUTE) ?? end1m
      if (end1m > from1m) this.statements.rollup1m.run({ from: from1m, to: end1m })
      this.statements.setWatermark.run('1m', Math.max(end1m, from1m))

      const end15m = Math.floor(Math.max(end1m, from1m) / (15 * MINUTE)) * 15 * MINUTE
      const from15m = this.watermark('15m') ?? Math.floor(from1m / (15 * MINUTE)) * 15 * MINUTE
      if (end15m > from15m) this.statements.rollup15m.run({ from: from15m, to: end15m })
      this.statements.setWatermark.run('15m', Math.max(end15m, from15m))
    })()
  }

  /** Drops what is past its retention, and nothing else. */
  prune(now: number): { raw: number; rollup1m: number; rollup15m: number } {
    return this.db.transaction(() => ({
      raw: this.db.prepare('DELETE FROM metric_samples WHERE at < ?').run(now - RETENTION.raw).changes,
      rollup1m: this.db.prepare('DELETE FROM metric_rollup_1m WHERE bucket < ?').run(now - RETENTION.rollup1m).changes,
      rollup15m: this.db.prepare('DELETE FROM metric_rollup_15m WHERE bucket < ?').run(now - RETENTION.rollup15m)
        .changes,
    }))()
  }

  /** At most ~MAX_POINTS buckets covering the window that ends at `now`, oldest first. */
  series(
    workloadId: string,
    window: MetricWindow,
    now: number,
    intervalSeconds: number,
  ): { stepSeconds: number; from: number; points: MetricPoint[] } {
    const stepSeconds = stepFor(WINDOW_MS[window], intervalSeconds)
    const step = stepSeconds * 1000
    const from = Math.floor((now - WINDOW_MS[window]) / step) * step
    const to = now + 1
    // Coarse first; each finer source covers from where the coarser one stops.
    const sources: { source: Source; upto: number }[] = []
    if (step % (15 * MINUTE) === 0) sources.push({ source: 'metric_rollup_15m', upto: this.watermark('15m') ?? from })
    if (step % MINUTE === 0) sources.push({ source: 'metric_rollup_1m', upto: this.watermark('1m') ?? from })
    sources.push({ source: 'raw', upto: to })
    const buckets = new Map<number, Bucket>()
    let start = from
    for (const { source, upto } of sources) {
      const end = Math.min(Math.max(upto, start), to)
      if (end <= start) continue
      const rows = this.statements.buckets[source].all({ workloadId, from: start, to: end, step }) as BucketRow[]
      for (const row of rows) merge(buckets, row)
      start = end
    }
    const points = [...buckets.values()].sort((a, b) => a.t - b.t).map(toPoint)
    return { stepSeconds, from, points }
  }

  private watermark(name: '1m' | '15m'): number | undefined {
    return this.statements.watermark.get(name) as number | undefined
  }

  private oldestRawBucket(width: number): number | undefined {
    const oldest = this.statements.oldestRaw.get() as number | null
    return oldest === null ? undefined : Math.floor(oldest / width) * width
  }
}

export function stepFor(windowMs: number, intervalSeconds: number): number {
  const least = Math.max(intervalSeconds, windowMs / 1000 / MAX_POINTS)
  return STEPS_SECONDS.find((s) => s >= least) ?? Math.ceil(least)
}

function merge(buckets: Map<number, Bucket>, row: BucketRow): void {
  const seen = buckets.get(row.t)
  if (seen === undefined) {
    buckets.set(row.t, {
      t: row.t,
      ticks: row.ticks,
      cpuTicks: row.cpu_ticks,
      cpuMin: row.cpu_min,
      cpuSum: row.cpu_sum ?? 0,
      cpuMax: row.cpu_max,
      memMin: row.mem_min,
      memSum: row.mem_sum,
      memMax: row.mem_max,
    })
    return
  }
  seen.ticks += row.ticks
  seen.cpuTicks += row.cpu_ticks
  seen.cpuMin = minOf(seen.cpuMin, row.cpu_min)
  seen.cpuMax = maxOf(seen.cpuMax, row.cpu_max)
  seen.cpuSum += row.cpu_sum ?? 0
  seen.memMin = Math.min(seen.memMin, row.mem_min)
  seen.memMax = Math.max(seen.memMax, row.mem_max)
  seen.memSum += row.mem_sum
}

function toPoint(b: Bucket): MetricPoint {
  return {
    t: b.t,
    cpuMin: b.cpuMin,
    cpuAvg: b.cpuTicks > 0 ? b.cpuSum / b.cpuTicks : null,
    cpuMax: b.cpuMax,
    memMin: b.memMin,
    memAvg: b.memSum / b.ticks,
    memMax: b.memMax,
  }
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))
