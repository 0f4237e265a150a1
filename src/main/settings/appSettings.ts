import { z } from 'zod'
import { languageSchema } from '../../shared/schema'
import type { Settings } from '../../shared/types/app'
import type { SettingsStore } from './settingsStore'

export const DEFAULT_DEPLOY_HISTORY_LIMIT = 50

export function readAppSettings(store: SettingsStore): Settings {
  return {
    language: store.get('language', languageSchema.nullable()) ?? null,
    deployHistoryLimit:
      store.get('deployHistoryLimit', z.number().int().min(1).max(1000)) ?? DEFAULT_DEPLOY_HISTORY_LIMIT,
  }
}

export function updateAppSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  if (patch.language !== undefined) store.set('language', patch.language)
  if (patch.deployHistoryLimit !== undefined) store.set('deployHistoryLimit', patch.deployHistoryLimit)
  return readAppSettings(store)
}
