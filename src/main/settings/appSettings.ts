import { z } from 'zod'
import { languageSchema } from '../../shared/schema'
import type { Settings } from '../../shared/types/app'
import type { SettingsStore } from './settingsStore'

export const DEFAULT_DEPLOY_HISTORY_LIMIT = 50
export const DEFAULT_METRICS_INTERVAL_SECONDS = 15

export function readAppSettings(store: SettingsStore): Settings {
  return {
    language: store.get('language', languageSchema.nullable()) ?? null,
    deployHistoryLimit:
      store.get('deployHistoryLimit', z.number().int().min(1).max(1000)) ?? DEFAULT_DEPLOY_HISTORY_LIMIT,
    metricsIntervalSeconds:
      store.get('metricsIntervalSeconds', z.number().int().min(5).max(300)) ?? DEFAULT_METRICS_INTERVAL_SECONDS,
    allowWeakSecretStorage: store.get('allowWeakSecretStorage', z.boolean()) ?? false,
  }
}

export function updateAppSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  if (patch.language !== undefined) store.set('language', patch.language)
  if (patch.deployHistoryLimit !== undefined) store.set('deployHistoryLimit', patch.deployHistoryLimit)
  if (patch.metricsIntervalSeconds !== undefined) store.set('metricsIntervalSeconds', patch.metricsIntervalSeconds)
  if (patch.allowWeakSecretStorage !== undefined) store.set('allowWeakSecretStorage', patch.allowWeakSecretStorage)
  return readAppSettings(store)
}
