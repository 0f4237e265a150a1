import type { MetricPoint, MetricSeries } from '../../../../shared/types/metrics'

export type MetricKind = 'cpu' | 'memory'

const MIB = 1024 * 1024

/** A bucket further than this many steps from the previous one means samples are missing there. */
const GAP_STEPS = 1.5

/** The columns uPlot draws: x in ms, then avg, min and max, with null where the line must break. */
export type ChartColumns = [t: number[], avg: (number | null)[], min: (number | null)[], max: (number | null)[]]

/** The index of each y column in ChartColumns, for series and band definitions. */
export const COLUMN = { avg: 1, min: 2, max: 3 } as const

const pickers: Record<MetricKind, (point: MetricPoint) => readonly [number | null, number | null, number | null]> = {
  cpu: (point) => [point.cpuAvg, point.cpuMin, point.cpuMax],
  // The chart reads in MiB: bytes are unreadable on an axis.
  memory: (point) => [point.memAvg / MIB, point.memMin / MIB, point.memMax / MIB],
}

/**
 * One metric of a series as chart columns. The backend leaves empty buckets out, and uPlot would join
 * the points on either side; a null row right after the last bucket before a hole breaks the line there.
 */
export function chartColumns(series: MetricSeries, kind: MetricKind): ChartColumns {
  const pick = pickers[kind]
  const stepMs = series.stepSeconds * 1000
  const columns: ChartColumns = [[], [], [], []]
  const [t, avg, min, max] = columns
  let previous: number | null = null
  for (const point of series.points) {
    if (previous !== null && point.t - previous > GAP_STEPS * stepMs) {
      t.push(previous + stepMs)
      avg.push(null)
      min.push(null)
      max.push(null)
    }
    const [a, lo, hi] = pick(point)
    t.push(point.t)
    avg.push(a)
    min.push(lo)
    max.push(hi)
    previous = point.t
  }
  return columns
}
