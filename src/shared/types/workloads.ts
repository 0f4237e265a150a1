export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure'

export interface EnvVar {
  readonly name: string
  /** null for a secret: secret values never leave main. */
  readonly value: string | null
  readonly secret: boolean
}

export interface PortMapping {
  readonly hostIp: string | null
  readonly hostPort: number
  readonly containerPort: number
  readonly protocol: 'tcp' | 'udp'
}

export interface VolumeMount {
  readonly kind: 'bind' | 'volume'
  /** A host path (bind) or a volume name. */
  readonly source: string
  /** Where it is mounted in the container: the key a restore resolves targets by. */
  readonly target: string
  readonly readOnly: boolean
  /** Left out of snapshots (e.g. big media). */
  readonly excludeFromSnapshots: boolean
}

export interface ServiceSpec {
  readonly name: string
  readonly image: string
  /** null: the image's default command. */
  readonly command: readonly string[] | null
  readonly env: readonly EnvVar[]
  readonly ports: readonly PortMapping[]
  readonly volumes: readonly VolumeMount[]
  readonly restart: RestartPolicy
}

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
  | 'engine_unavailable'
  | 'interrupted'
  | 'internal'

export type PreDeploySnapshot = 'skipped' | 'taken' | 'failed'

export interface DeployPin {
  readonly service: string
  readonly imageRef: string
  readonly imageId: string
}

export interface DeployRecord {
  readonly id: string
  readonly workloadId: string
  readonly reason: DeployReason
  readonly status: DeployStatus
  readonly errorCode: DeployErrorCode | null
  readonly pins: readonly DeployPin[]
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

export interface LogLine {
  readonly service: string
  readonly stream: 'stdout' | 'stderr'
  readonly text: string
}
