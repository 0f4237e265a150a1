import type { ErrorCode, ErrorDetails } from '../../shared/errors'
import type { ConnectionStatus } from '../../shared/types/hosts'
import { BackoffTimer } from '../concurrency/backoffTimer'
import type { HelperOwner } from '../docker/engine'
import type { EngineHandle } from '../docker/engineHandle'
import { engineThrough } from '../docker/engines'
import { SshDockerAgent } from '../docker/sshDockerAgent'
import { AppError } from '../errors'
import type { Logger } from '../log'
import { SshSession, type SshSessionOptions } from '../ssh/sshSession'

export interface LinkState {
  readonly status: ConnectionStatus
  readonly reason: ErrorCode | null
  readonly details: ErrorDetails | null
}

export interface ReconnectPolicy {
  readonly firstDelayMs: number
  readonly maxDelayMs: number
}

export interface SshHostLinkDeps {
  /** Everything needed to open the session, resolved afresh for every attempt (config or secrets may change). */
  readonly prepare: () => Promise<SshSessionOptions>
  readonly socketPath: string
  readonly helperOwner: HelperOwner
  readonly reconnect: ReconnectPolicy
  readonly log: Logger
  readonly onState: (state: LinkState) => void
  readonly onConnected: () => void
}

/** Errors that a retry cannot fix: the user has to act (trust a key, fix credentials). */
const NEEDS_USER: ReadonlySet<ErrorCode> = new Set(['HOST_KEY_UNKNOWN', 'HOST_KEY_CHANGED', 'AUTH_FAILED', 'BAD_INPUT'])

/**
 * One SSH host: a single shared SSH connection, a Docker client whose every request is a channel
 * to the remote engine socket over it, and reconnection with backoff when the link drops.
 * While not connected, engine calls fail at once with UNAVAILABLE instead of waiting.
 */
export class SshHostLink {
  private readonly handle: EngineHandle
  private readonly agent: SshDockerAgent
  private session: SshSession | null = null
  private pending: Promise<void> | null = null
  private readonly retry: BackoffTimer
  private closed = false
  private current: LinkState = { status: 'offline', reason: null, details: null }

  constructor(private readonly deps: SshHostLinkDeps) {
    this.retry = new BackoffTimer({ firstMs: deps.reconnect.firstDelayMs, maxMs: deps.reconnect.maxDelayMs })
    this.agent = new SshDockerAgent(() => this.openEngineStream())
    this.handle = engineThrough(deps.socketPath, this.agent, deps.helperOwner)
  }

  get state(): LinkState {
    return this.current
  }

  /** Connects now (or joins the attempt under way); rejects with the typed reason on failure. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'host link closed'))
    if (this.session?.isOpen === true) return Promise.resolve()
    this.pending ??= this.attempt().finally(() => {
      this.pending = null
    })
    return this.pending
  }

  /** The engine, or UNAVAILABLE at once when the link is down. */
  engine(): EngineHandle {
    if (this.session?.isOpen !== true) {
      throw new AppError('UNAVAILABLE', 'ssh host offline')
    }
    return this.handle
  }

  /** An SFTP channel on the live connection (connecting first if need be). */
  async openSftp() {
    await this.connect()
    const session = this.session
    if (session?.isOpen !== true) throw new AppError('UNAVAILABLE', 'ssh host offline')
    return session.openSftpSubsystem()
  }

  close(): void {
    this.closed = true
    this.retry.cancel()
    this.session?.close()
    this.session = null
    this.agent.destroy()
  }

  private async attempt(): Promise<void> {
    this.retry.cancel()
    this.setState({ status: 'connecting', reason: null, details: null })
    try {
      const session = await SshSession.open(await this.deps.prepare())
      if (this.closed) {
        session.close()
        return
      }
      this.session = session
      this.retry.reset()
      session.onClose(() => this.lost(session))
      this.setState({ status: 'connected', reason: null, details: null })
      this.deps.onConnected()
    } catch (error) {
      const failure =
        error instanceof AppError ? error : new AppError('UNAVAILABLE', 'ssh connect failed', { cause: error })
      this.deps.log.info('ssh connect failed', { code: failure.code, error: failure })
      this.setState({ status: 'offline', reason: failure.code, details: failure.details ?? null })
      if (!NEEDS_USER.has(failure.code)) this.scheduleRetry()
      throw failure
    }
  }

  private lost(session: SshSession): void {
    if (this.session !== session) return
    this.session = null
    // Pooled HTTP connections were channels of the dead session.
    this.agent.destroy()
    if (this.closed) return
    this.deps.log.warn('ssh connection lost')
    this.setState({ status: 'offline', reason: 'UNAVAILABLE', details: null })
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.closed) return
    this.retry.schedule(() => {
      this.connect().catch(() => undefined)
    })
  }

  private openEngineStream() {
    const session = this.session
    if (session?.isOpen !== true) return Promise.reject(new AppError('UNAVAILABLE', 'ssh host offline'))
    return session.openUnixSocket(this.deps.socketPath)
  }

  private setState(state: LinkState): void {
    const same =
      state.status === this.current.status &&
      state.reason === this.current.reason &&
      JSON.stringify(state.details) === JSON.stringify(this.current.details)
    this.current = state
    if (!same) this.deps.onState(state)
  }
}
