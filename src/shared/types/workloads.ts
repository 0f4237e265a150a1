import type { NetworkSpec, PortMapping, ServiceSpec, VolumeSpec } from '../serviceSpec'

export type {
  BindMount,
  DataMount,
  Dependency,
  DependencyCondition,
  EnvFile,
  EnvVar,
  Healthcheck,
  NamedVolumeMount,
  NetworkSpec,
  PortMapping,
  RestartPolicy,
  ServiceNetwork,
  ServiceSpec,
  TmpfsMount,
  VolumeMount,
  VolumeSpec,
} from '../serviceSpec'

export type WorkloadState = 'running' | 'partial' | 'stopped' | 'missing' | 'unknown'

export interface ContainerView {
  readonly id: string
  readonly service: string
  readonly name: string
  readonly image: string
  readonly imageId: string
  readonly state: string
  readonly status: string
}

export type DeployReason = 'deploy' | 'redeploy' | 'rollback' | 'adopt' | 'restore'

export type DeployStatus = 'running' | 'success' | 'failure'

/** Generic failure codes: the raw engine error can hold secrets and only goes to the log. */
export type DeployErrorCode =
  | 'image_missing'
  | 'pull_failed'
  | 'image_gone'
  | 'create_failed'
  | 'start_failed'
  /** A service's healthcheck said unhealthy, or never said healthy in time (`errorService` names it). */
  | 'unhealthy'
  /** A service others wait for to complete exited with an error (`errorService` names it). */
  | 'dependency_failed'
  | 'engine_unavailable'
  | 'interrupted'
  | 'internal'

export type PreDeploySnapshot = 'skipped' | 'taken' | 'failed'

export interface DeployPin {
  readonly service: string
  readonly imageRef: string
  readonly imageId: string
}

/** A workload's configuration as a deploy pinned it. */
export interface DeployConfig {
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

export interface DeployRecord {
  readonly id: string
  readonly workloadId: string
  readonly reason: DeployReason
  readonly status: DeployStatus
  readonly errorCode: DeployErrorCode | null
  /** The service the failure is about, when it is about one. */
  readonly errorService: string | null
  readonly pins: readonly DeployPin[]
  /** What this deploy deployed, secret values left out; null for deploys recorded before Slipway kept it. */
  readonly config: DeployConfig | null
  readonly preDeploySnapshot: PreDeploySnapshot
  readonly snapshotId: string | null
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly durationMs: number | null
}

export interface WorkloadSummary {
  readonly id: string
  readonly hostId: string
  readonly name: string
  readonly state: WorkloadState
  readonly images: readonly string[]
  readonly ports: readonly PortMapping[]
  readonly lastDeploy: DeployRecord | null
}

export interface WorkloadDetail extends WorkloadSummary {
  readonly services: readonly ServiceSpec[]
  /** Networks the services name (besides the default one Slipway makes). */
  readonly networks: readonly NetworkSpec[]
  /** Named volumes declared with a driver, options or as external. */
  readonly volumes: readonly VolumeSpec[]
  readonly snapshotBeforeDeploy: boolean
  readonly containers: readonly ContainerView[]
}

/** A running container (or compose project) Slipway does not manage yet. */
export interface AdoptionCandidate {
  readonly kind: 'container' | 'compose'
  /** Container id, or compose project name. */
  readonly key: string
  readonly name: string
  readonly containers: readonly {
    readonly id: string
    readonly name: string
    readonly image: string
    readonly state: string
  }[]
}

/** A setting the engine reports on a container that Slipway would not reproduce on a redeploy. */
export interface UnsupportedSetting {
  readonly service: string
  /** The engine's own name for it (`HostConfig.OomScoreAdj`). */
  readonly setting: string
  /** Its value as the engine reports it, shortened; secrets never reach here (env is not compared). */
  readonly value: string
}

/** What adopting would record, read from the engine before anything changes. */
export interface AdoptionPreview {
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
  readonly unsupported: readonly UnsupportedSetting[]
}

export interface LogLine {
  readonly service: string
  readonly stream: 'stdout' | 'stderr'
  readonly text: string
}
