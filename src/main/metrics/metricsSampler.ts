import { forEachLimited } from '../concurrency/limited'
import type { ContainerListing, EngineInspector } from '../docker/engine'
import type { Logger } from '../log'
import { LABELS } from '../workloads/dispatch/labels'
import { cpuPercent, cpuReading, memoryBytes, type CpuReading, type EngineStats } from './containerStats'
import type { RawSample } from './metricsStore'

export interface SamplerDeps {
  /** The hosts to sample now: the connected ones, with their engine and their workloads' ids. */
  readonly hosts: () => readonly { hostId: string; engine: EngineInspector; workloadIds: ReadonlySet<string> }[]
  readonly log: Logger
  /** Stats requests in flight per host at most. */
  readonly concurrencyPerHost: number
  /** A request that takes longer is abandoned (the engine answers stats within about a second). */
  readonly requestTimeoutMs: number
}

export interface TickReport {
  readonly samples: RawSample[]
  readonly containers: number
  readonly skipped: number
}

/**
 * One tick reads every running workload container of every connected host: one-shot stats (no
 * second of waiting per container), hosts side by side, a few requests at a time on each.
 * CPU % needs the previous tick's reading of the same container, kept here.
 */
export class MetricsSampler {
  private previous = new Map<string, CpuReading>()

  constructor(private readonly deps: SamplerDeps) {}

  async tick(at: number): Promise<TickReport> {
    const timeoutMs = this.deps.requestTimeoutMs
    const seen = new Map<string, CpuReading>()
    const samples: RawSample[] = []
    let containers = 0
    let skipped = 0
    await Promise.all(
      this.deps.hosts().map(async ({ hostId, engine, workloadIds }) => {
        let running: ContainerListing[]
        try {
          running = await engine.listContainers({
            labels: [LABELS.workload],
            status: ['running'],
            signal: AbortSignal.timeout(timeoutMs),
          })
        } catch (error) {
          this.deps.log.debug('metrics: host not sampled', { hostId, error })
          return
        }
        const ours = running.filter((c) => workloadIds.has(c.Labels[LABELS.workload] ?? ''))
        containers += ours.length
        await forEachLimited(ours, this.deps.concurrencyPerHost, async (c) => {
          const workloadId = c.Labels[LABELS.workload] ?? ''
          let stats: EngineStats
          try {
            // A tick must end: a reply that never comes (a link half gone) is a skipped sample.
            stats = (await engine.stats(c.Id, AbortSignal.timeout(timeoutMs))) as EngineStats
          } catch {
            // Gone or stopped between the list and the read: not an error, just no sample.
            skipped += 1
            return
          }
          const memory = memoryBytes(stats)
          const reading = cpuReading(stats)
          if (memory === null || reading === null) {
            skipped += 1
            return
          }
          seen.set(c.Id, reading)
          samples.push({
            workloadId,
            containerId: c.Id,
            at,
            cpuPercent: cpuPercent(this.previous.get(c.Id), reading),
            memoryBytes: memory,
          })
        })
      }),
    )
    // Containers not seen this tick are forgotten: a reading that old would make a wrong figure.
    this.previous = seen
    return { samples, containers, skipped }
  }
}
