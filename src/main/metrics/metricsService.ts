import type { CurrentMetric, MetricSeries, MetricWindow } from '../../shared/types/metrics'
import type { Logger } from '../log'
import type { Clock } from '../platform/ports'
import type { WorkloadStore } from '../workloads/workloadStore'
import type { MetricsSampler, TickReport } from './metricsSampler'
import type { MetricsStore, RawSample } from './metricsStore'

export interface MetricsDeps {
  readonly store: MetricsStore
  readonly sampler: MetricsSampler
  readonly workloads: WorkloadStore
  readonly clock: Clock
  readonly log: Logger
  /** Read before every tick, so a changed setting takes effect at the next one. */
  readonly intervalSeconds: () => number
  /** How often rollups and pruning run. */
  readonly maintenanceMs: number
}

/** A current figure older than this many intervals is not current any more. */
const STALE_INTERVALS = 3

/** Sampling on a timer, rollups and pruning on another, and the queries the UI asks. */
export class MetricsService {
  private readonly latest = new Map<string, CurrentMetric>()
  private tickTimer: NodeJS.Timeout | undefined
  private maintenanceTimer: NodeJS.Timeout | undefined
  private ticking: Promise<unknown> = Promise.resolve()
  private inTick = false
  private lastTickStart = 0
  private running = false

  constructor(private readonly deps: MetricsDeps) {}

  start(): void {
    if (this.running) return
    this.running = true
    this.maintain()
    this.maintenanceTimer = setInterval(() => this.maintain(), this.deps.maintenanceMs)
    this.maintenanceTimer.unref()
    this.scheduleTick(0)
  }

  async stop(): Promise<void> {
    this.running = false
    clearTimeout(this.tickTimer)
    clearInterval(this.maintenanceTimer)
    await this.ticking.catch(() => undefined)
  }

  /** Samples every connected host once and stores the result. */
  async tick(): Promise<TickReport> {
    const at = this.deps.clock.now()
    const report = await this.deps.sampler.tick(at)
    this.record(report.samples)
    return report
  }

  record(samples: readonly RawSample[]): void {
    if (samples.length === 0) return
    this.deps.store.insert(samples)
    const ticks = new Map<string, { at: number; cpu: number | null; mem: number }>()
    for (const s of samples) {
      const key = `${s.workloadId}\n${String(s.at)}`
      const sum = ticks.get(key) ?? { at: s.at, cpu: null, mem: 0 }
      if (s.cpuPercent !== null) sum.cpu = (sum.cpu ?? 0) + s.cpuPercent
      sum.mem += s.memoryBytes
      ticks.set(key, sum)
    }
    for (const [key, sum] of ticks) {
      const workloadId = key.slice(0, key.indexOf('\n'))
      const seen = this.latest.get(workloadId)
      if (seen !== undefined && seen.at > sum.at) continue
      this.latest.set(workloadId, { workloadId, at: sum.at, cpuPercent: sum.cpu, memoryBytes: sum.mem })
    }
  }

  series(workloadId: string, window: MetricWindow): MetricSeries {
    this.deps.workloads.require(workloadId)
    const now = this.deps.clock.now()
    const { stepSeconds, from, points } = this.deps.store.series(workloadId, window, now, this.deps.intervalSeconds())
    return { workloadId, window, stepSeconds, from, to: now, points }
  }

  current(hostId: string): CurrentMetric[] {
    const oldest = this.deps.clock.now() - STALE_INTERVALS * this.deps.intervalSeconds() * 1000
    return [...this.deps.workloads.ids(hostId)].flatMap((id) => {
      const metric = this.latest.get(id)
      return metric !== undefined && metric.at >= oldest ? [metric] : []
    })
  }

  /** Rollups and pruning; also run at start so a long pause is caught up at once. */
  maintain(): void {
    try {
      const now = this.deps.clock.now()
      this.deps.store.rollUp(now)
      this.deps.store.prune(now)
    } catch (error) {
      this.deps.log.error('metrics maintenance failed', { error })
    }
  }

  /** The interval setting changed: the next tick comes an interval (the new one) after the last. */
  intervalChanged(): void {
    if (!this.running || this.inTick) return
    clearTimeout(this.tickTimer)
    this.scheduleTick(this.untilNextTick())
  }

  private untilNextTick(): number {
    return Math.max(0, this.deps.intervalSeconds() * 1000 - (Date.now() - this.lastTickStart))
  }

  private scheduleTick(delayMs: number): void {
    if (!this.running) return
    this.tickTimer = setTimeout(() => {
      this.inTick = true
      this.lastTickStart = Date.now()
      this.ticking = this.tick()
        .catch((error: unknown) => this.deps.log.warn('metrics tick failed', { error }))
        .finally(() => {
          this.inTick = false
          // The next tick is an interval after this one started, never overlapping it.
          this.scheduleTick(this.untilNextTick())
        })
    }, delayMs)
    this.tickTimer.unref()
  }
}
