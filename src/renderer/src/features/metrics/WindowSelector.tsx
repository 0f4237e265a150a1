import { useTranslation } from 'react-i18next'
import { METRIC_WINDOWS, type MetricWindow } from '../../../../shared/types/metrics'

/** The chart's time window as a row of toggle buttons; the pressed one is shown. */
export function WindowSelector({
  value,
  onChange,
}: {
  value: MetricWindow
  onChange: (next: MetricWindow) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="segmented" role="group" aria-label={t('metrics.windowLabel')}>
      {METRIC_WINDOWS.map((option) => (
        <button
          key={option}
          type="button"
          className="small"
          aria-pressed={option === value}
          title={t(`metrics.windowTitle.${option}`)}
          onClick={() => onChange(option)}
          data-testid={`metrics-window-${option}`}
        >
          {t(`metrics.window.${option}`)}
        </button>
      ))}
    </div>
  )
}
