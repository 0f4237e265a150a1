import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { slipway } from '../../api/client'
import { ErrorText } from '../../components/ErrorText'
import { useSettings, useUpdateSettings } from './queries'

/**
 * Where passphrases and secret env values are kept. Without an OS keychain (Linux with no keyring)
 * Electron could only hide them under a key built into every copy of it: the user is told so
 * plainly and nothing is stored that way until they agree.
 */
export function SecretStorageSection(): React.JSX.Element | null {
  const { t } = useTranslation()
  const info = useQuery({ queryKey: ['app', 'info'], queryFn: () => slipway.app.info() })
  const settings = useSettings()
  const update = useUpdateSettings()
  const storage = info.data?.secretStorage
  if (storage === undefined) return null
  return (
    <section className="stack secret-storage" data-testid="secret-storage" data-storage={storage}>
      <h2>{t('settings.secrets.title')}</h2>
      <p className={storage === 'weak' ? 'error' : 'muted'}>{t(`settings.secrets.${storage}`)}</p>
      {storage === 'weak' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.data?.allowWeakSecretStorage === true}
            disabled={settings.isPending || update.isPending}
            onChange={(event) => update.mutate({ allowWeakSecretStorage: event.target.checked })}
            data-testid="allow-weak-secrets"
          />
          <span>{t('settings.secrets.allowWeak')}</span>
        </label>
      )}
      {update.isError && <ErrorText error={update.error} />}
    </section>
  )
}
