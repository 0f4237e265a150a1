/** The windows a workload's metrics chart offers. */
export const METRIC_WINDOWS = ['1h', '6h', '24h', '7d'] as const
export type MetricWindow = (typeof METRIC_WINDOWS)[number]

/**
 * One point of a workload's series: the workload's containers summed at each sample, then
 * min/avg/max over the samples that fall in [t, t + stepSeconds).
 */
export interface MetricPoint {
  /** Start of the bucket, ms since the epoch. */
  readonly t: number
  /**
   * CPU in percent of one CPU (200 = two CPUs busy), as `docker stats` shows it. Null when no
   * sample of the bucket had a CPU figure (a container's first sample has none).
   */
  readonly cpuMin: number | null
  readonly cpuAvg: number | null
  readonly cpuMax: number | null
  /** Memory in bytes, usage minus page cache, as `docker stats` shows it. */
  readonly memMin: number
  readonly memAvg: number
  readonly memMax: number
}

export interface MetricSeries {
  readonly workloadId: string
  readonly window: MetricWindow
  /** The bucket width of the points. */
  readonly stepSeconds: number
  /** The window, ms since the epoch: points lie in [from, to]. */
  readonly from: number
  readonly to: number
  /** Oldest first; buckets without samples are absent (a gap in the chart). */
  readonly points: readonly MetricPoint[]
}

/** The latest sample of a workload, for the workloads list. */
export interface CurrentMetric {
  readonly workloadId: string
  /** When it was sampled, ms since the epoch. */
  readonly at: number
  /** Null on a container's first sample: CPU % needs two. */
  readonly cpuPercent: number | null
  readonly memoryBytes: number
}
