import { Client, type ClientChannel, type ConnectConfig } from 'ssh2'
import { AppError } from '../errors'
import type { AuthStep } from './sshAuth'

export interface SshSessionOptions {
  readonly host: string
  readonly port: number
  readonly username: string
  readonly auth: readonly AuthStep[]
  /** Decides on the raw host key; throwing an AppError refuses the connection with that error. */
  readonly verifyHostKey: (key: Buffer) => void
  readonly hostKeyAlgorithms?: readonly string[]
  readonly keepaliveIntervalMs: number
  readonly keepaliveCountMax: number
  readonly readyTimeoutMs: number
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** One authenticated SSH connection, shared by every engine call to its host. */
export class SshSession {
  private closed = false
  private readonly closeListeners = new Set<() => void>()

  private constructor(private readonly client: Client) {
    const onGone = (): void => {
      if (this.closed) return
      this.closed = true
      for (const listener of this.closeListeners) listener()
    }
    client.on('close', onGone)
    client.on('end', onGone)
    client.on('error', onGone)
  }

  static open(options: SshSessionOptions): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const client = new Client()
      let refusal: AppError | undefined
      let settled = false
      const fail = (error: unknown): void => {
        if (settled) return
        settled = true
        client.destroy()
        reject(refusal ?? classifyConnectError(error))
      }
      const config: ConnectConfig = {
        host: options.host,
        port: options.port,
        username: options.username,
        authHandler: [...options.auth],
        hostVerifier: (key: Buffer): boolean => {
          try {
            options.verifyHostKey(key)
            return true
          } catch (error) {
            refusal =
              error instanceof AppError ? error : new AppError('INTERNAL', 'host key check failed', { cause: error })
            return false
          }
        },
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
        readyTimeout: options.readyTimeoutMs,
        algorithms: {
          // AES-GCM runs in OpenSSL with hardware AES on both ends; ChaCha20 would be slower here.
          cipher: [
            'aes128-gcm@openssh.com',
            'aes256-gcm@openssh.com',
            'chacha20-poly1305@openssh.com',
            'aes128-ctr',
            'aes256-ctr',
          ],
          ...(options.hostKeyAlgorithms === undefined
            ? {}
            : { serverHostKey: [...options.hostKeyAlgorithms] as never }),
        },
      }
      client.once('ready', () => {
        if (settled) return
        settled = true
        client.removeListener('error', fail)
        // Engine calls are small request/response exchanges: Nagle plus delayed ACKs would add ~40 ms to each.
        client.setNoDelay(true)
        resolve(new SshSession(client))
      })
      client.once('error', fail)
      client.once('close', () => fail(new Error('connection closed during handshake')))
      try {
        client.connect(config)
      } catch (error) {
        fail(error)
      }
    })
  }

  get isOpen(): boolean {
    return !this.closed
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  /** A stream to a unix socket on the server (the Docker engine's), over this connection. */
  openUnixSocket(path: string): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'ssh connection is closed'))
    return new Promise((resolve, reject) => {
      // A link that dies while the channel is being opened must fail the call, not leave it waiting.
      const stopWaiting = this.onClose(() =>
        reject(new AppError('UNAVAILABLE', 'ssh connection closed while opening a channel')),
      )
      this.client.openssh_forwardOutStreamLocal(path, (error, channel) => {
        stopWaiting()
        if (error instanceof Error) {
          const text = error.message
          reject(
            /administratively prohibited|open failed|No such file|Connection refused/i.test(text)
              ? new AppError('UNAVAILABLE', 'engine socket not reachable over ssh', {
                  details: { reason: 'socket' },
                  cause: error,
                })
              : new AppError('UNAVAILABLE', 'ssh channel failed', { cause: error }),
          )
          return
        }
        returnWindowEagerly(channel)
        resolve(channel)
      })
    })
  }

  /** An SFTP session on the server (its `sftp` subsystem), over this connection: what a restic store speaks. */
  openSftpSubsystem(): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', 'ssh connection is closed'))
    return new Promise((resolve, reject) => {
      const stopWaiting = this.onClose(() =>
        reject(new AppError('UNAVAILABLE', 'ssh connection closed while opening a channel')),
      )
      this.client.subsys('sftp', (error, channel) => {
        stopWaiting()
        if (error instanceof Error) reject(new AppError('UNAVAILABLE', 'sftp subsystem refused', { cause: error }))
        else resolve(channel)
      })
    })
  }

  close(): void {
    this.closed = true
    this.client.end()
    this.client.destroy()
  }
}

interface ChannelInternals {
  incoming?: { window?: number }
  outgoing?: { id?: number; state?: string }
  _client?: { _protocol?: { channelWindowAdjust?: (id: number, amount: number) => void } }
}

/**
 * Gives the server window credit for every packet as it arrives, instead of at half-window
 * (ssh2's default). The adjust message also acknowledges the server's segment at once: sshd does
 * not set TCP_NODELAY on forwarding channels, so without it the tail of each engine response
 * waits out our delayed ACK (~40 ms per call). Reaches into ssh2's channel state, guarded: if
 * those internals change, this quietly does nothing and only speed is lost.
 */
function returnWindowEagerly(channel: ClientChannel): void {
  const internals = channel as unknown as ChannelInternals
  const protocol = internals._client?._protocol
  if (typeof internals.incoming?.window !== 'number' || typeof protocol?.channelWindowAdjust !== 'function') return
  channel.on('data', (chunk: Buffer) => {
    const incoming = internals.incoming
    const id = internals.outgoing?.id
    if (incoming?.window === undefined || id === undefined || internals.outgoing?.state === 'closed') return
    incoming.window += chunk.length
    protocol.channelWindowAdjust?.(id, chunk.length)
  })
}

function classifyConnectError(error: unknown): AppError {
  if (error instanceof AppError) return error
  const err = error as Error & { level?: string; code?: string }
  if (err.level === 'client-authentication')
    return new AppError('AUTH_FAILED', 'ssh authentication failed', { cause: error })
  if (err.level === 'client-timeout') return new AppError('UNAVAILABLE', 'ssh handshake timed out', { cause: error })
  if (err.code !== undefined && NETWORK_ERRORS.has(err.code))
    return new AppError('UNAVAILABLE', 'ssh server unreachable', { cause: error })
  return new AppError('UNAVAILABLE', 'ssh connection failed', { cause: error })
}
