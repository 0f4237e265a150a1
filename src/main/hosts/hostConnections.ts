import type { Duplex } from 'node:stream'
import type { ErrorDetails } from '../../shared/errors'
import type { EngineRoles, HelperOwner } from '../docker/engine'
import type { EngineHandle } from '../docker/engineHandle'
import { rolesOf } from '../docker/engines'
import { AppError } from '../errors'
import type { EventBus } from '../events'
import type { Logger } from '../log'
import type { SecretStore } from '../platform/ports'
import { planAuthentication } from '../ssh/sshAuth'
import { expandHome, resolveDestination } from '../ssh/sshDestination'
import type { SshEnvironment } from '../ssh/sshEnvironment'
import { presentedKey, type HostKeyPolicy, type PresentedKey } from '../ssh/hostKeyPolicy'
import type { SshSessionOptions } from '../ssh/sshSession'
import type { HostRecord, HostRegistry } from './hostRegistry'
import { SshHostLink, type LinkState, type ReconnectPolicy } from './sshHostLink'

export const passphraseKey = (hostId: string): string => `ssh-passphrase:${hostId}`

export interface HostConnectionsOptions {
  readonly registry: HostRegistry
  readonly policy: HostKeyPolicy
  readonly secrets: SecretStore
  readonly ssh: SshEnvironment
  readonly localEngine: EngineHandle
  /** Whose helpers the SSH hosts' engines make. */
  readonly helperOwner: HelperOwner
  readonly bus: EventBus
  readonly log: Logger
  readonly reconnect: ReconnectPolicy
  readonly keepaliveIntervalMs: number
  readonly keepaliveCountMax: number
}

/** A host key seen at the last connection attempt, kept so the user can confirm exactly it. */
interface SeenKey {
  readonly host: string
  readonly port: number
  readonly key: PresentedKey
}

/**
 * Every host's engine connection: the local socket, and one SshHostLink per SSH host. It is the
 * single place that hands out engines, so every caller gets the same fail-fast behaviour. It hands
 * out the roles any module may hold; the container lifecycle is made from `handle` by the
 * composition root, for the dispatch point alone.
 */
export class HostConnections {
  private readonly links = new Map<string, SshHostLink>()
  private readonly seenKeys = new Map<string, SeenKey>()
  private localState: LinkState = { status: 'connecting', reason: null, details: null }
  private readonly connectedListeners = new Set<(hostId: string) => void>()

  constructor(private readonly options: HostConnectionsOptions) {}

  /** Opens every SSH host's connection in the background. */
  startAll(): void {
    for (const host of this.options.registry.list()) {
      if (host.kind === 'ssh')
        this.linkFor(host)
          .connect()
          .catch(() => undefined)
    }
  }

  /** The host's engine, or UNAVAILABLE at once while its link is down. */
  handle(hostId: string): EngineHandle {
    const host = this.requireHost(hostId)
    if (host.kind === 'local') return this.options.localEngine
    return this.linkFor(host).engine()
  }

  /** An SFTP channel to an SSH host, over its one connection (a restic store on it). */
  openSftp(hostId: string): Promise<Duplex> {
    const host = this.requireHost(hostId)
    if (host.kind === 'local') {
      return Promise.reject(new AppError('BAD_INPUT', 'the local engine has no SFTP', { details: { field: 'hostId' } }))
    }
    return this.linkFor(host).openSftp()
  }

  engine(hostId: string): EngineRoles {
    return rolesOf(this.handle(hostId))
  }

  state(hostId: string): LinkState {
    const host = this.options.registry.find(hostId)
    if (host === undefined) return { status: 'offline', reason: 'NOT_FOUND', details: null }
    if (host.kind === 'local') return this.localState
    return this.linkFor(host).state
  }

  async connect(hostId: string): Promise<void> {
    const host = this.requireHost(hostId)
    if (host.kind === 'local') return
    await this.linkFor(host).connect()
  }

  /** The key the server presented at the last refused attempt, if any. */
  seenKey(hostId: string): SeenKey | undefined {
    return this.seenKeys.get(hostId)
  }

  /** Settings changed: the next call connects afresh. */
  reset(hostId: string): void {
    this.links.get(hostId)?.close()
    this.links.delete(hostId)
    this.seenKeys.delete(hostId)
  }

  setLocalState(state: LinkState): void {
    const changed = state.status !== this.localState.status || state.reason !== this.localState.reason
    const cameBack = this.localState.status === 'offline' && state.status === 'connected'
    this.localState = state
    if (changed) this.emit('local', state)
    if (cameBack) for (const listener of this.connectedListeners) listener('local')
  }

  onConnected(listener: (hostId: string) => void): () => void {
    this.connectedListeners.add(listener)
    return () => this.connectedListeners.delete(listener)
  }

  stopAll(): void {
    for (const link of this.links.values()) link.close()
    this.links.clear()
  }

  private requireHost(hostId: string): HostRecord {
    const host = this.options.registry.find(hostId)
    if (host === undefined) throw new AppError('NOT_FOUND', 'unknown host')
    return host
  }

  private linkFor(host: HostRecord): SshHostLink {
    const existing = this.links.get(host.id)
    if (existing !== undefined) return existing
    const ssh = host.ssh
    if (ssh === null) throw new AppError('INTERNAL', 'ssh host without ssh settings')
    const link = new SshHostLink({
      prepare: () => this.sessionOptions(host),
      socketPath: ssh.socketPath,
      helperOwner: this.options.helperOwner,
      reconnect: this.options.reconnect,
      log: this.options.log,
      onState: (state) => this.emit(host.id, state),
      onConnected: () => {
        for (const listener of this.connectedListeners) listener(host.id)
      },
    })
    this.links.set(host.id, link)
    return link
  }

  private async sessionOptions(host: HostRecord): Promise<SshSessionOptions> {
    const ssh = host.ssh
    if (ssh === null) throw new AppError('INTERNAL', 'ssh host without ssh settings')
    const env = this.options.ssh
    const destination = resolveDestination(ssh, env)
    const passphrase = ssh.hasPassphrase ? await this.options.secrets.get(passphraseKey(host.id)) : null
    const auth = await planAuthentication({
      username: destination.user,
      identityFile: ssh.identityFile === null ? null : expandHome(ssh.identityFile, env.homeDir),
      fallbackIdentityFiles: ssh.identityFile === null ? destination.configIdentityFiles : [],
      passphrase,
      agentSocket: ssh.useAgent ? env.agentSocket : null,
    })
    return {
      host: destination.host,
      port: destination.port,
      username: destination.user,
      auth,
      hostKeyAlgorithms: this.options.policy.preferredAlgorithms(destination.host, destination.port),
      verifyHostKey: (blob) => {
        const key = presentedKey(blob)
        this.seenKeys.set(host.id, { host: destination.host, port: destination.port, key })
        this.options.policy.verify(destination.host, destination.port, key)
      },
      keepaliveIntervalMs: this.options.keepaliveIntervalMs,
      keepaliveCountMax: this.options.keepaliveCountMax,
      readyTimeoutMs: 10_000,
    }
  }

  private emit(hostId: string, state: LinkState): void {
    const details: ErrorDetails | null = state.details
    this.options.bus.emit('hosts.status', {
      hostId,
      status: state.status,
      statusReason: state.reason,
      statusDetails: details,
    })
  }
}
