import { useTranslation } from 'react-i18next'
import { languageSchema } from '../../../../shared/schema'
import { ErrorText } from '../../components/ErrorText'
import { LANGUAGES } from '../../i18n'
import { StoresSection } from '../stores/StoresSection'
import { IntegerSettingField } from './IntegerSettingField'
import { SecretStorageSection } from './SecretStorageSection'
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
      {/* Ranges as in the contract's schema, which decides in the end. */}
      <IntegerSettingField
        setting="deployHistoryLimit"
        current={settings.data?.deployHistoryLimit}
        min={1}
        max={1000}
        text={(range) => ({
          label: t('settings.historyLimit'),
          hint: t('settings.historyLimitHint', range),
          invalid: t('settings.historyLimitInvalid', range),
        })}
        testId="settings-history-limit"
      />
      {/* How often main samples CPU and memory; the charts and the workloads list poll at that pace. */}
      <IntegerSettingField
        setting="metricsIntervalSeconds"
        current={settings.data?.metricsIntervalSeconds}
        min={5}
        max={300}
        text={(range) => ({
          label: t('settings.metricsInterval'),
          hint: t('settings.metricsIntervalHint', range),
          invalid: t('settings.metricsIntervalInvalid', range),
        })}
        testId="metrics-interval-input"
      />
      {/* Pre-restore snapshots are pinned when made; this long, then the workload's policy applies (the newest stays). */}
      <IntegerSettingField
        setting="preRestorePinDays"
        current={settings.data?.preRestorePinDays}
        min={1}
        max={3650}
        text={(range) => ({
          label: t('settings.preRestorePinDays'),
          hint: t('settings.preRestorePinDaysHint', range),
          invalid: t('settings.preRestorePinDaysInvalid', range),
        })}
        testId="pre-restore-pin-days"
      />
      <SecretStorageSection />
      <StoresSection />
    </section>
  )
}
