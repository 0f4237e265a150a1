import { safeStorage } from 'electron'
import type { SettingsStore } from '../settings/settingsStore'
import { z } from 'zod'
import type { SecretStore } from '../platform/ports'

const encrypted = z.string()

/**
 * Secrets encrypted by the OS keychain through safeStorage; only ciphertext reaches SQLite. On
 * Linux without a keyring safeStorage falls back to `basic_text`, a key built into Electron: the
 * store says so (`weak`), and the app asks the user before storing anything with it.
 */
export function createSafeStorageSecrets(settings: SettingsStore): SecretStore {
  const key = (name: string): string => `secret:${name}`
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  return {
    protection: backend === 'basic_text' || backend === 'unknown' ? 'weak' : 'os',
    async get(name) {
      const value = settings.get(key(name), encrypted)
      return value === undefined ? null : safeStorage.decryptString(Buffer.from(value, 'base64'))
    },
    async set(name, value) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS secret storage is not available')
      settings.set(key(name), safeStorage.encryptString(value).toString('base64'))
    },
    async delete(name) {
      settings.delete(key(name))
    },
  }
}
