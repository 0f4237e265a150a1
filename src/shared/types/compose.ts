import type { NetworkSpec, ServiceSpec, VolumeSpec } from '../serviceSpec'

export type ComposeProblemCode =
  /** The text is not YAML (or over the size limit). */
  | 'yaml'
  /** The compose specification's schema refuses it. */
  | 'schema'
  /** A `${VAR:?message}` whose variable is missing, or a `${` never closed. */
  | 'interpolation'
  /** A key Slipway cannot run yet (`build`, `deploy.replicas` > 1, `configs`, `secrets`, `include`, `develop`). */
  | 'unsupported'
  /** A key with no effect on a single engine (`deploy.placement`…), or one Slipway leaves out: said, never dropped silently. */
  | 'no_effect'
  /** A value Slipway's service spec refuses (a bad duration, a port range of unequal length…). */
  | 'invalid'
  /** A service, network or volume named but not defined; a relative path with no folder to resolve it against. */
  | 'reference'

export interface ComposeProblem {
  readonly severity: 'error' | 'warning'
  readonly code: ComposeProblemCode
  /** The dotted path in the file (`services.web.build`). */
  readonly path: string
  readonly line: number
  readonly column: number
  /** The technical detail, as written (the key, the expected form); untranslated. */
  readonly detail: string
}

/** What importing a compose file would create. */
export interface ComposeWorkload {
  readonly name: string
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

export interface ComposePreview {
  /** null when any problem is an error: nothing can be created from the file as it is. */
  readonly workload: ComposeWorkload | null
  readonly problems: readonly ComposeProblem[]
  /** Env variables whose values go to the secret store (they look secret, or came from `.env`). */
  readonly secretNames: readonly string[]
  /** The profiles the file declares; the user picks which to run. */
  readonly profiles: readonly string[]
}

export interface ComposeExport {
  readonly compose: string
  /** `NAME=` lines for every secret (values only when asked for). */
  readonly env: string
}
