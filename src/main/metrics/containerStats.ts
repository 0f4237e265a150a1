/**
 * CPU and memory figures from the engine's stats, computed the way `docker stats` computes them.
 * One-shot stats carry no previous reading, so CPU % comes from this reading and the sampler's
 * previous one of the same container.
 */

/** The part of the engine's stats JSON this reads (cgroup v1 and v2 differ in `memory_stats.stats`). */
export interface EngineStats {
  readonly read?: string
  readonly cpu_stats?: {
    readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: readonly number[] | null }
    readonly system_cpu_usage?: number
    readonly online_cpus?: number
  }
  readonly memory_stats?: {
    readonly usage?: number
    readonly stats?: Readonly<Record<string, number>>
  }
}

export interface CpuReading {
  /** ns of CPU the container used, all CPUs together. */
  readonly containerNs: number
  /** ns of CPU the whole host used (all CPUs together), as the engine counts it. */
  readonly systemNs: number
  readonly onlineCpus: number
}

export function cpuReading(stats: EngineStats): CpuReading | null {
  const cpu = stats.cpu_stats
  const containerNs = cpu?.cpu_usage?.total_usage
  const systemNs = cpu?.system_cpu_usage
  if (containerNs === undefined || systemNs === undefined) return null
  const onlineCpus = cpu?.online_cpus ?? cpu?.cpu_usage?.percpu_usage?.length ?? 0
  return { containerNs, systemNs, onlineCpus: onlineCpus > 0 ? onlineCpus : 1 }
}

/** Percent of one CPU (200 = two CPUs busy); null without a usable earlier reading. */
export function cpuPercent(previous: CpuReading | undefined, current: CpuReading): number | null {
  if (previous === undefined) return null
  const containerDelta = current.containerNs - previous.containerNs
  const systemDelta = current.systemNs - previous.systemNs
  // A restarted container's counters start again from zero: no figure this time.
  if (containerDelta < 0 || systemDelta <= 0) return null
  return (containerDelta / systemDelta) * current.onlineCpus * 100
}

/** Usage minus page cache: `inactive_file` on cgroup v2, `cache` on cgroup v1. */
export function memoryBytes(stats: EngineStats): number | null {
  const usage = stats.memory_stats?.usage
  if (usage === undefined) return null
  const detail = stats.memory_stats?.stats ?? {}
  const cache = isCgroupV1(detail) ? detail['cache'] : detail['inactive_file']
  return cache !== undefined && cache < usage ? usage - cache : usage
}

/** v1 reports hierarchical `total_*` counters; v2 has none. */
function isCgroupV1(detail: Readonly<Record<string, number>>): boolean {
  return 'total_cache' in detail || 'total_rss' in detail || ('cache' in detail && !('anon' in detail))
}
