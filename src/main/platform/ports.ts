import type { SettingsStore } from '../settings/settingsStore'

/** Narrow ports for what differs between Electron, the dev-web harness and tests. */

/**
 * How well stored secrets are protected: by the OS keychain (`os`), by a key built into Electron
 * because the OS offers none (`weak`: Linux without a keyring, safeStorage's `basic_text`), or in a
 * plain 0600 file (`file`: the dev-web harness and tests).
 */
export type SecretProtection = 'os' | 'weak' | 'file'

export interface SecretStore {
  readonly protection: SecretProtection
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Native file choosers; where none exist (the dev-web harness) they answer null and the UI asks for a path. */
export interface Dialogs {
  chooseDirectory(): Promise<string | null>
  chooseFile(): Promise<string | null>
}

export const noDialogs: Dialogs = {
  chooseDirectory: () => Promise.resolve(null),
  chooseFile: () => Promise.resolve(null),
}

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
  readonly dialogs?: Dialogs
  /** Test-only seams (fault injection); never set by the app. */
  readonly testHooks?: {
    /** A restore step was journaled (and its host script ran). */
    readonly afterRestoreJournal?: (step: string) => void
    /** The dispatch point just asked the engine to stop (or pause) a container it owes an undo. */
    readonly quiesceRequested?: (containerId: string) => void
  }
  /** better-sqlite3 binary for a non-Node ABI (Electron). */
  readonly sqliteNativeBinding?: string
}
