import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MetricWindow } from '../../../../shared/types/metrics'
import { ErrorText } from '../../components/ErrorText'
import { formatSeconds } from '../../components/format'
import { MetricChart } from './MetricChart'
import { useMetricSeries, useMetricsIntervalSeconds } from './queries'
import { WindowSelector } from './WindowSelector'

/**
 * CPU and memory of the workload over a chosen window. The samples are stored locally, so the
 * history shows whether or not the host is reachable right now.
 */
export function MetricsPanel({ workloadId }: { workloadId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const [shown, setShown] = useState<MetricWindow>('1h')
  const series = useMetricSeries(workloadId, shown)
  const intervalSeconds = useMetricsIntervalSeconds()
  const titleId = useId()
  const syncKey = useId()
  const interval = formatSeconds(i18n.language, intervalSeconds)
  const data = series.data

  return (
    <section
      className="section metrics-panel"
      aria-labelledby={titleId}
      aria-busy={series.isPlaceholderData}
      data-testid="metrics-panel"
      data-window={data?.window}
    >
      <div className="section-header">
        <h2 id={titleId} className="section-title">
          {t('metrics.title')}
        </h2>
        <WindowSelector value={shown} onChange={setShown} />
      </div>
      {series.isPending && <p className="muted">{t('common.loading')}</p>}
      {series.isError && <ErrorText error={series.error} />}
      {data?.points.length === 0 && (
        <p className="muted" data-testid="metrics-empty">
          {t('metrics.empty', { interval })}
        </p>
      )}
      {data !== undefined && data.points.length > 0 && (
        <>
          <div className="metrics-charts">
            <MetricChart series={data} kind="cpu" syncKey={syncKey} />
            <MetricChart series={data} kind="memory" syncKey={syncKey} />
          </div>
          <p className="hint">{t('metrics.legendNote', { interval })}</p>
        </>
      )}
    </section>
  )
}
