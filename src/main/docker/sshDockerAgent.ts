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
  channel.on('close', () => {
    clearTimeout(timer)
    // Once a response has begun, Node reports a lost socket only on the response, which
    // docker-modem does not listen to: a call whose link dies mid-reply would wait forever. An
    // error on the socket reaches the request instead. Checked after http has seen the close, so a
    // reply that the close itself completes is not failed.
    setImmediate(() => {
      const reply = (channel as { _httpMessage?: { res?: { complete?: boolean } | null } | null })._httpMessage?.res
      // Without a listener an 'error' would be thrown: then nobody is waiting on this socket anyway.
      if (reply !== null && reply !== undefined && reply.complete !== true && channel.listenerCount('error') > 0)
        channel.emit('error', new Error('ssh channel closed before the engine finished its reply'))
    })
  })
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
