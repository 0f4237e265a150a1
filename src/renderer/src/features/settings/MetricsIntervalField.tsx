import { useTranslation } from 'react-i18next'
import { formatNumber } from '../../components/format'
import { IntegerSettingField } from './IntegerSettingField'

const MIN = 5
const MAX = 300

/** How often main samples CPU and memory; the charts and the workloads list poll at the same pace. */
export function MetricsIntervalField({ current }: { current: number | undefined }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const range = { min: formatNumber(i18n.language, MIN), max: formatNumber(i18n.language, MAX) }
  return (
    <IntegerSettingField
      setting="metricsIntervalSeconds"
      current={current}
      min={MIN}
      max={MAX}
      text={{
        label: t('settings.metricsInterval'),
        hint: t('settings.metricsIntervalHint', range),
        invalid: t('settings.metricsIntervalInvalid', range),
      }}
      testId="metrics-interval-input"
    />
  )
}
