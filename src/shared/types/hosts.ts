import type { ErrorCode } from '../errors'

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

export interface HostView {
  readonly id: string
  readonly name: string
  readonly kind: HostKind
  readonly status: ConnectionStatus
  /** Why the host is offline, as an error code the renderer translates. */
  readonly statusReason: ErrorCode | null
}

export interface HostStatusEvent {
  readonly hostId: string
  readonly status: ConnectionStatus
  readonly statusReason: ErrorCode | null
}
