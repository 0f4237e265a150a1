import type { Settings } from '../../../shared/types/app'
import type { Platform } from '../../platform/ports'
import { readAppSettings, updateAppSettings } from '../../settings/appSettings'
import type { SettingsStore } from '../../settings/settingsStore'
import type { Handlers } from '../router'

export function appHandlers(
  platform: Pick<Platform, 'appVersion' | 'shell'>,
  settings: SettingsStore,
  onChanged: (saved: Settings) => void = () => undefined,
): Pick<Handlers, 'app.info' | 'settings.get' | 'settings.update'> {
  return {
    'app.info': () => ({ version: platform.appVersion, shell: platform.shell }),
    'settings.get': () => readAppSettings(settings),
    'settings.update': (patch) => {
      const saved = updateAppSettings(settings, {
        ...(patch.language === undefined ? {} : { language: patch.language }),
        ...(patch.deployHistoryLimit === undefined ? {} : { deployHistoryLimit: patch.deployHistoryLimit }),
        ...(patch.metricsIntervalSeconds === undefined ? {} : { metricsIntervalSeconds: patch.metricsIntervalSeconds }),
      })
      onChanged(saved)
      return saved
    },
  }
}
