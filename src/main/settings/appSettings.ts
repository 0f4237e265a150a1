import { languageSchema } from '../../shared/schema'
import type { Settings } from '../../shared/types/app'
import type { SettingsStore } from './settingsStore'

export function readAppSettings(store: SettingsStore): Settings {
  return { language: store.get('language', languageSchema.nullable()) ?? null }
}

export function updateAppSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  if (patch.language !== undefined) store.set('language', patch.language)
  return readAppSettings(store)
}
