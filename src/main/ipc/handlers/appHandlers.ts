import type { Settings } from '../../../shared/types/app'
import type { Platform, SecretStore } from '../../platform/ports'
import { readAppSettings, updateAppSettings } from '../../settings/appSettings'
import type { SettingsStore } from '../../settings/settingsStore'
import type { Handlers } from '../router'

export function appHandlers(
  platform: Pick<Platform, 'appVersion' | 'shell'>,
  settings: SettingsStore,
  secrets: Pick<SecretStore, 'protection'>,
  onChanged: (saved: Settings) => void = () => undefined,
): Pick<Handlers, 'app.info' | 'settings.get' | 'settings.update'> {
  return {
    'app.info': () => ({ version: platform.appVersion, shell: platform.shell, secretStorage: secrets.protection }),
    'settings.get': () => readAppSettings(settings),
    'settings.update': (patch) => {
      const saved = updateAppSettings(settings, {
        ...(patch.language === undefined ? {} : { language: patch.language }),
        ...(patch.deployHistoryLimit === undefined ? {} : { deployHistoryLimit: patch.deployHistoryLimit }),
        ...(patch.metricsIntervalSeconds === undefined ? {} : { metricsIntervalSeconds: patch.metricsIntervalSeconds }),
        ...(patch.preRestorePinDays === undefined ? {} : { preRestorePinDays: patch.preRestorePinDays }),
        ...(patch.allowWeakSecretStorage === undefined ? {} : { allowWeakSecretStorage: patch.allowWeakSecretStorage }),
      })
      onChanged(saved)
      return saved
    },
  }
}
