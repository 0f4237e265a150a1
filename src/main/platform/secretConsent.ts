import { AppError } from '../errors'
import type { SecretStore } from './ports'

/**
 * A secret store that stores nothing while it is weak (no OS keychain) unless the user agreed to
 * it, so no passphrase or password ends up under a built-in key without the user knowing.
 */
export function withWeakStorageConsent(store: SecretStore, consented: () => boolean): SecretStore {
  return {
    protection: store.protection,
    get: (key) => store.get(key),
    delete: (key) => store.delete(key),
    set: async (key, value) => {
      if (store.protection === 'weak' && !consented()) {
        throw new AppError('CONFLICT', 'secret storage is weak and the user has not agreed to use it', {
          details: { reason: 'weak_secret_storage' },
        })
      }
      await store.set(key, value)
    },
  }
}
