import { useLayoutEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { ChartOptions } from './chartOptions'

interface UPlotChartProps {
  readonly options: ChartOptions
  readonly data: uPlot.AlignedData
  /** The x range to show, whatever the data covers: a window with samples only in its last hour still spans a day. */
  readonly xRange: readonly [number, number]
  readonly height: number
  readonly testId: string
  /** Exposed for tests: how many points the chart was given, and how many breaks were put between them. */
  readonly points: number
  readonly gaps: number
}

/**
 * A uPlot chart that fills its container's width. It is built once per `options` (theme, language);
 * fresh data is handed to the same instance, so a refetch keeps the hover position and legend.
 */
export function UPlotChart({
  options,
  data,
  xRange,
  height,
  testId,
  points,
  gaps,
}: UPlotChartProps): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | null>(null)
  // Read by the x scale on every redraw, so new bounds only need a setData.
  const latest = useRef({ data, xRange })

  useLayoutEffect(() => {
    latest.current = { data, xRange }
    chart.current?.setData(data)
  }, [data, xRange])

  useLayoutEffect(() => {
    const element = container.current
    if (element === null) return
    const plot = new uPlot(
      {
        ...options,
        width: element.clientWidth,
        height,
        scales: {
          ...options.scales,
          x: { ...options.scales?.['x'], time: true, range: () => [...latest.current.xRange] },
        },
      },
      latest.current.data,
      element,
    )
    chart.current = plot
    let width = element.clientWidth
    const observer = new ResizeObserver(() => {
      // The legend wraps and changes the height too; only a new width needs a new canvas.
      if (element.clientWidth === width) return
      width = element.clientWidth
      plot.setSize({ width, height })
    })
    observer.observe(element)
    return () => {
      observer.disconnect()
      plot.destroy()
      chart.current = null
    }
  }, [options, height])

  return <div ref={container} className="metrics-chart" data-testid={testId} data-points={points} data-gaps={gaps} />
}
