import { z } from 'zod'
import { languageSchema } from '../../shared/schema'
import type { Settings } from '../../shared/types/app'
import type { SettingsStore } from './settingsStore'

export const DEFAULT_DEPLOY_HISTORY_LIMIT = 50
export const DEFAULT_METRICS_INTERVAL_SECONDS = 15
export const DEFAULT_PRE_RESTORE_PIN_DAYS = 30

export function readAppSettings(store: SettingsStore): Settings {
  return {
    language: store.get('language', languageSchema.nullable()) ?? null,
    deployHistoryLimit:
      store.get('deployHistoryLimit', z.number().int().min(1).max(1000)) ?? DEFAULT_DEPLOY_HISTORY_LIMIT,
    metricsIntervalSeconds:
      store.get('metricsIntervalSeconds', z.number().int().min(5).max(300)) ?? DEFAULT_METRICS_INTERVAL_SECONDS,
    preRestorePinDays:
      store.get('preRestorePinDays', z.number().int().min(1).max(3650)) ?? DEFAULT_PRE_RESTORE_PIN_DAYS,
    allowWeakSecretStorage: store.get('allowWeakSecretStorage', z.boolean()) ?? false,
  }
}

export function updateAppSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  if (patch.language !== undefined) store.set('language', patch.language)
  if (patch.deployHistoryLimit !== undefined) store.set('deployHistoryLimit', patch.deployHistoryLimit)
  if (patch.metricsIntervalSeconds !== undefined) store.set('metricsIntervalSeconds', patch.metricsIntervalSeconds)
  if (patch.preRestorePinDays !== undefined) store.set('preRestorePinDays', patch.preRestorePinDays)
  if (patch.allowWeakSecretStorage !== undefined) store.set('allowWeakSecretStorage', patch.allowWeakSecretStorage)
  return readAppSettings(store)
}
