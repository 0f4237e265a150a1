import { useTranslation } from 'react-i18next'
import { formatNumber } from '../../components/format'
import { IntegerSettingField } from './IntegerSettingField'

const MIN = 1
const MAX = 1000

/** How many deploy history entries each workload keeps. */
export function HistoryLimitField({ current }: { current: number | undefined }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const range = { min: formatNumber(i18n.language, MIN), max: formatNumber(i18n.language, MAX) }
  return (
    <IntegerSettingField
      setting="deployHistoryLimit"
      current={current}
      min={MIN}
      max={MAX}
      text={{
        label: t('settings.historyLimit'),
        hint: t('settings.historyLimitHint', range),
        invalid: t('settings.historyLimitInvalid', range),
      }}
      testId="settings-history-limit"
    />
  )
}
