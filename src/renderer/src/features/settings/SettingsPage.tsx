import { useTranslation } from 'react-i18next'
import { languageSchema } from '../../../../shared/schema'
import { ErrorText } from '../../components/ErrorText'
import { LANGUAGES } from '../../i18n'
import { HistoryLimitField } from './HistoryLimitField'
import { MetricsIntervalField } from './MetricsIntervalField'
import { useSetLanguage, useSettings } from './queries'

const SYSTEM = 'system'

export function SettingsPage(): React.JSX.Element {
  const { t } = useTranslation()
  const settings = useSettings()
  const setLanguage = useSetLanguage()
  return (
    <section>
      <h1>{t('settings.title')}</h1>
      <label className="field">
        <span>{t('settings.language')}</span>
        <select
          data-testid="language-select"
          value={settings.data?.language ?? SYSTEM}
          disabled={settings.isPending || setLanguage.isPending}
          onChange={(event) => {
            const parsed = languageSchema.safeParse(event.target.value)
            setLanguage.mutate(parsed.success ? parsed.data : null)
          }}
        >
          <option value={SYSTEM}>{t('settings.languageSystem')}</option>
          {LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {t(`languages.${language}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{t('settings.themeNote')}</p>
      {setLanguage.isError && <ErrorText error={setLanguage.error} />}
      <HistoryLimitField current={settings.data?.deployHistoryLimit} />
      <MetricsIntervalField current={settings.data?.metricsIntervalSeconds} />
    </section>
  )
}
