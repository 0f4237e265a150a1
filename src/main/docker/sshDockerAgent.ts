import { Agent, type ClientRequestArgs } from 'node:http'
import type { Duplex } from 'node:stream'
import { inspect } from 'node:util'

type Channel = Duplex & Partial<Record<'setTimeout' | 'setNoDelay' | 'setKeepAlive' | 'ref' | 'unref', unknown>>

/**
 * Node's HTTP client expects a net.Socket; an SSH channel is a plain Duplex. These are the socket
 * methods http calls, with an idle timeout that is real (it fires 'timeout' as a socket would).
 */
function asSocket(channel: Channel): Duplex {
  let timer: NodeJS.Timeout | undefined
  let idleMs = 0
  const arm = (): void => {
    clearTimeout(timer)
    if (idleMs > 0) timer = setTimeout(() => channel.emit('timeout'), idleMs)
  }
  channel.on('data', arm)
  channel.on('close', () => clearTimeout(timer))
  Object.assign(channel, {
    setTimeout(ms: number, callback?: () => void) {
      idleMs = ms
      if (callback !== undefined) channel.once('timeout', callback)
      arm()
      return channel
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  })
  return channel
}

/** An HTTP agent whose connections are streams to the engine's unix socket through one SSH connection. */
export class SshDockerAgent extends Agent {
  constructor(private readonly open: () => Promise<Duplex>) {
    super({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 })
  }

  /**
   * docker-modem runs util.inspect (showHidden, unlimited depth) over every request's options, agent
   * included, even with debug output off; walking our pooled SSH channels cost ~1 ms per call.
   */
  [inspect.custom](): string {
    return 'SshDockerAgent'
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    this.open().then(
      (channel) => callback?.(null, asSocket(channel)),
      (error: unknown) =>
        callback?.(error instanceof Error ? error : new Error('ssh channel failed'), undefined as never),
    )
    return undefined
  }
}
