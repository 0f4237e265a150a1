import type { SettingsStore } from '../settings/settingsStore'

/** Narrow ports for what differs between Electron, the dev-web harness and tests. */

export interface SecretStore {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface Platform {
  readonly dataDir: string
  /** The user's home: ~/.ssh and ~/.docker are read from here. */
  readonly homeDir: string
  readonly shell: 'electron' | 'web'
  readonly appVersion: string
  /** Built once the store is open: Electron's keeps ciphertext in SQLite. */
  readonly secrets: (settings: SettingsStore) => SecretStore
  readonly clock: Clock
  readonly env: Readonly<Record<string, string | undefined>>
  /** better-sqlite3 binary for a non-Node ABI (Electron). */
  readonly sqliteNativeBinding?: string
}
