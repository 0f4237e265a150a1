import type { MetricsService } from '../../metrics/metricsService'
import type { Handlers } from '../router'

export function metricsHandlers(metrics: MetricsService): Pick<Handlers, 'metrics.series' | 'metrics.current'> {
  return {
    'metrics.series': ({ workloadId, window }) => metrics.series(workloadId, window),
    'metrics.current': ({ hostId }) => metrics.current(hostId),
  }
}
