import { useTranslation } from 'react-i18next'
import type { CurrentMetric } from '../../../../shared/types/metrics'
import { formatBytes, formatDateTime, formatRelative } from '../../components/format'
import { formatCpu } from './metricFormat'

/**
 * The workloads list's figure: latest CPU and memory. "—" when main has no recent sample (never
 * sampled, stopped, or the host is away: main leaves out samples older than a few intervals).
 */
export function CurrentUsage({
  workloadId,
  metric,
  fetchedAt,
}: {
  workloadId: string
  metric: CurrentMetric | undefined
  /** When the figures were fetched: the sample's age is told from then, not from whenever React renders. */
  fetchedAt: number
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const testId = `workload-metrics-${workloadId}`
  if (metric === undefined) {
    return (
      <span className="muted" data-testid={testId} title={t('metrics.current.none')}>
        —
      </span>
    )
  }
  const language = i18n.language
  const cpu = metric.cpuPercent === null ? '—' : formatCpu(language, metric.cpuPercent)
  return (
    <span
      className="nowrap"
      data-testid={testId}
      title={t('metrics.current.sampled', {
        when: formatRelative(language, metric.at, fetchedAt),
        time: formatDateTime(language, metric.at),
      })}
    >
      {t('metrics.current.figure', { cpu, memory: formatBytes(language, metric.memoryBytes) })}
    </span>
  )
}
