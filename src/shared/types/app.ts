import type { Language } from '../schema'

export interface AppInfo {
  readonly version: string
  /** Where the services run: inside Electron, or under Node behind the dev-web harness. */
  readonly shell: 'electron' | 'web'
}

export interface Settings {
  /** null: follow the system language. */
  readonly language: Language | null
  /** Deploy history rows kept per workload (newest first). */
  readonly deployHistoryLimit: number
  /** How often the metrics sampler reads every running workload container. */
  readonly metricsIntervalSeconds: number
}
