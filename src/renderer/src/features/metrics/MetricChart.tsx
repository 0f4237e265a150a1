import { useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { MetricSeries } from '../../../../shared/types/metrics'
import { chartColumns, type MetricKind } from './chartData'
import { chartOptions } from './chartOptions'
import { useChartTheme } from './chartTheme'
import { UPlotChart } from './UPlotChart'

const HEIGHT = 180

/** One metric of the series with its title; hovering shows the values at that time in the legend. */
export function MetricChart({
  series,
  kind,
  syncKey,
}: {
  series: MetricSeries
  kind: MetricKind
  syncKey: string
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const theme = useChartTheme()
  const titleId = useId()
  const language = i18n.language
  const options = useMemo(
    () => chartOptions({ kind, theme, language, t, syncKey }),
    [kind, theme, language, t, syncKey],
  )
  const data = useMemo(() => chartColumns(series, kind), [series, kind])
  const xRange = useMemo(() => [series.from, series.to] as const, [series.from, series.to])

  return (
    <figure className="metrics-figure" aria-labelledby={titleId}>
      <figcaption id={titleId} className="metrics-chart-title">
        {kind === 'cpu' ? t('metrics.cpuTitle') : t('metrics.memoryTitle')}
      </figcaption>
      <UPlotChart
        options={options}
        data={data}
        xRange={xRange}
        height={HEIGHT}
        testId={`metrics-chart-${kind}`}
        points={series.points.length}
        gaps={data[0].length - series.points.length}
      />
    </figure>
  )
}
