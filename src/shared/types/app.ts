import type { Language } from '../schema'

export interface AppInfo {
  readonly version: string
  /** Where the services run: inside Electron, or under Node behind the dev-web harness. */
  readonly shell: 'electron' | 'web'
  /** How stored secrets are protected: the OS keychain, a built-in key (no keychain), or a plain 0600 file. */
  readonly secretStorage: 'os' | 'weak' | 'file'
}

export interface Settings {
  /** null: follow the system language. */
  readonly language: Language | null
  /** Deploy history rows kept per workload (newest first). */
  readonly deployHistoryLimit: number
  /** How often the metrics sampler reads every running workload container. */
  readonly metricsIntervalSeconds: number
  /** Days Slipway keeps its own pin on a pre-restore snapshot; then the retention policy applies (the newest stays pinned). */
  readonly preRestorePinDays: number
  /** The user agreed to store secrets although no OS keychain protects them. */
  readonly allowWeakSecretStorage: boolean
}
