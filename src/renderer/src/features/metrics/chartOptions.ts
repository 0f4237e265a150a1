import type { TFunction } from 'i18next'
import uPlot from 'uplot'
import { formatClockTime, formatDateTime, formatNumber, formatShortDate } from '../../components/format'
import { COLUMN, type MetricKind } from './chartData'
import { withAlpha, type ChartTheme } from './chartTheme'
import { formatCpu, formatMebibytes, tickDigits } from './metricFormat'

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>

export interface ChartSpec {
  readonly kind: MetricKind
  readonly theme: ChartTheme
  readonly language: string
  readonly t: TFunction
  /** Charts sharing a key move their cursors together. */
  readonly syncKey: string
}

const DAY_MS = 86_400_000
const NO_VALUE = '—'

const isLocalMidnight = (ms: number): boolean => {
  const date = new Date(ms)
  return date.getHours() === 0 && date.getMinutes() === 0
}

/** Rough width of axis labels in CSS pixels: uPlot's fixed default cuts off "1 024" or "250 %". */
const labelWidth = (values: readonly string[] | null): number =>
  Math.max(40, ...(values ?? []).map((value) => value.length * 7)) + 16

/**
 * uPlot options for one metric: the average as the line, min and max as faint lines with the band
 * between them filled, a time axis and values in the UI language.
 */
export function chartOptions({ kind, theme, language, t, syncKey }: ChartSpec): ChartOptions {
  const color = kind === 'cpu' ? theme.cpu : theme.memory
  const legendValue = (value: number | null): string => {
    if (value === null) return NO_VALUE
    return kind === 'cpu' ? formatCpu(language, value) : formatMebibytes(t, language, value)
  }
  const tick = (value: number, digits: number): string =>
    kind === 'cpu' ? formatCpu(language, value, digits) : formatNumber(language, value, digits)
  const edge = {
    stroke: withAlpha(color, 0.45),
    width: 1,
    value: (_: uPlot, value: number | null) => legendValue(value),
  }

  return {
    ms: 1,
    series: [
      {
        label: t('metrics.time'),
        value: (_, value: number | null) => (value === null ? NO_VALUE : formatDateTime(language, value)),
      },
      { ...edge, label: t('metrics.average'), stroke: color, width: 2 },
      { ...edge, label: t('metrics.min') },
      { ...edge, label: t('metrics.max') },
    ],
    bands: [{ series: [COLUMN.max, COLUMN.min], fill: withAlpha(color, 0.15) }],
    scales: {
      // Usage grows from zero: a y axis that starts at 80 % exaggerates every wobble.
      y: { range: (_, _min, max) => uPlot.rangeNum(0, Math.max(max, 1), 0.1, true) },
    },
    axes: [
      {
        stroke: theme.muted,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1 },
        space: 70,
        values: (_, splits, _axis, _space, increment) =>
          splits.map((ms) =>
            increment >= DAY_MS || isLocalMidnight(ms) ? formatShortDate(language, ms) : formatClockTime(language, ms),
          ),
      },
      {
        stroke: theme.muted,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid, width: 1 },
        size: (_, values) => labelWidth(values),
        values: (_, splits, _axis, _space, increment) => splits.map((value) => tick(value, tickDigits(increment))),
      },
    ],
    // The window buttons choose the time range; drag-to-zoom would fight the window's fixed bounds.
    // Only the time line is shared: a horizontal line at the same height means nothing in other units.
    cursor: { sync: { key: syncKey }, drag: { x: false, y: false }, y: false },
    legend: { live: true },
  }
}
