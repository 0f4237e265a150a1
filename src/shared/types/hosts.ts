import type { ErrorCode, ErrorDetails } from '../errors'

export type HostKind = 'local' | 'ssh'

export type ConnectionStatus = 'connected' | 'connecting' | 'offline'

export interface EngineFacts {
  readonly version: string
  readonly apiVersion: string
  readonly os: string
  readonly arch: string
  readonly kernelVersion: string
  readonly storageDriver: string
  readonly containers: number
  readonly containersRunning: number
  readonly images: number
}

/** How an SSH host is reached. The key passphrase is write-only: only whether one is stored shows. */
export interface SshSettings {
  /** A `Host` alias from ~/.ssh/config; its HostName, Port, User and IdentityFile apply. */
  readonly alias: string | null
  readonly hostname: string | null
  readonly port: number | null
  readonly user: string | null
  readonly identityFile: string | null
  readonly useAgent: boolean
  readonly hasPassphrase: boolean
  /** The engine's unix socket on the server. */
  readonly socketPath: string
}

export interface HostView {
  readonly id: string
  readonly name: string
  readonly kind: HostKind
  readonly ssh: SshSettings | null
  readonly status: ConnectionStatus
  /** Why the host is offline, as an error code the renderer translates. */
  readonly statusReason: ErrorCode | null
  /** Facts about the reason, e.g. `fingerprint` (and `expectedFingerprint`) for host-key errors. */
  readonly statusDetails: ErrorDetails | null
  /** The image helper containers run on this host; null: the image of the workload being worked on. */
  readonly helperImage: string | null
}

export interface HostStatusEvent {
  readonly hostId: string
  readonly status: ConnectionStatus
  readonly statusReason: ErrorCode | null
  readonly statusDetails: ErrorDetails | null
}

export interface ConnectionTest {
  readonly engine: EngineFacts
  /** null: could not be told (no image on the host to try with). */
  readonly canCreateContainers: boolean | null
  readonly latencyMs: number
}

export interface ContainerSummary {
  readonly id: string
  readonly name: string
  readonly image: string
  readonly state: string
  readonly status: string
  readonly labels: Readonly<Record<string, string>>
}

/** An SSH endpoint found in ~/.docker/contexts, ready to prefill the add-host form. */
export interface DockerContextCandidate {
  readonly name: string
  readonly hostname: string
  readonly port: number | null
  readonly user: string | null
  /** Already registered with the same destination. */
  readonly alreadyAdded: boolean
}
