import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { CurrentMetric, MetricWindow } from '../../../../shared/types/metrics'
import { slipway } from '../../api/client'
import { useSettings } from '../settings/queries'

export const metricKeys = {
  all: ['metrics'] as const,
  series: (workloadId: string, window: MetricWindow) => ['metrics', 'series', workloadId, window] as const,
  current: (hostId: string) => ['metrics', 'current', hostId] as const,
}

/** What main samples at when the settings have not loaded yet (its own default). */
const DEFAULT_INTERVAL_SECONDS = 15

/** The sampler's interval: polling faster would only fetch the same samples again. */
export function useMetricsIntervalSeconds(): number {
  return useSettings().data?.metricsIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS
}

/**
 * A workload's chart data for one window. The previous window's data stays shown while the next one
 * loads, so switching windows does not collapse the panel.
 */
export function useMetricSeries(workloadId: string, window: MetricWindow) {
  const intervalSeconds = useMetricsIntervalSeconds()
  return useQuery({
    queryKey: metricKeys.series(workloadId, window),
    queryFn: () => slipway.metrics.series({ workloadId, window }),
    refetchInterval: intervalSeconds * 1000,
    placeholderData: keepPreviousData,
  })
}

const byWorkload = (metrics: readonly CurrentMetric[]): ReadonlyMap<string, CurrentMetric> =>
  new Map(metrics.map((metric) => [metric.workloadId, metric]))

/** The latest sample of every workload on a host, by workload id. */
export function useCurrentMetrics(hostId: string) {
  const intervalSeconds = useMetricsIntervalSeconds()
  return useQuery({
    queryKey: metricKeys.current(hostId),
    queryFn: () => slipway.metrics.current({ hostId }),
    refetchInterval: intervalSeconds * 1000,
    select: byWorkload,
  })
}
