/**
 * Two typed views of the contract:
 * - the bridge (`window.slipway`): a generic `invoke` and `subscribe`, implemented by the preload
 *   over Electron IPC and by the dev-web bridge over a WebSocket. It returns envelopes, because
 *   Electron's contextBridge drops custom properties of thrown errors, and it imports no schemas,
 *   so the sandboxed preload stays small;
 * - the client the renderer uses: `slipway.hosts.list()`, one method per channel, unwrapping
 *   envelopes into values or `SlipwayError`s.
 */
import {
  channelNames,
  type ChannelName,
  type InputOf,
  type OutputOf,
  type PayloadOf,
  type TopicInputOf,
  type TopicName,
} from './contract'
import { unwrap, type Envelope } from './errors'

export interface BridgeApi {
  invoke<K extends ChannelName>(channel: K, input: InputOf<K>): Promise<Envelope<OutputOf<K>>>
  /** Resolves once main accepted (or refused) the subscription; on success, the value ends it. */
  subscribe<T extends TopicName>(
    topic: T,
    input: TopicInputOf<T>,
    listener: (payload: PayloadOf<T>) => void,
  ): Promise<Envelope<() => void>>
}

type Namespace<K> = K extends `${infer N}.${string}` ? N : never

/** Inputs with no required field (strict empty objects have a `never` index signature) may be omitted. */
type NothingRequired<I> = string extends keyof I ? true : Partial<I> extends I ? true : false

type Method<K extends ChannelName> =
  NothingRequired<InputOf<K>> extends true
    ? (input?: InputOf<K>) => Promise<OutputOf<K>>
    : (input: InputOf<K>) => Promise<OutputOf<K>>

export type SlipwayClient = {
  readonly [N in Namespace<ChannelName>]: {
    readonly [K in ChannelName as K extends `${N}.${infer M}` ? M : never]: Method<K>
  }
} & {
  readonly events: {
    subscribe<T extends TopicName>(
      topic: T,
      input: TopicInputOf<T>,
      listener: (payload: PayloadOf<T>) => void,
    ): Promise<() => void>
  }
}

export function createClient(bridge: BridgeApi): SlipwayClient {
  const client: Record<string, Record<string, unknown>> = {}
  for (const name of channelNames) {
    const [ns, method] = name.split('.') as [string, string]
    client[ns] ??= {}
    client[ns][method] = async (input?: InputOf<typeof name>) => unwrap(await bridge.invoke(name, input ?? {}))
  }
  const events: SlipwayClient['events'] = {
    subscribe: async (topic, input, listener) => unwrap(await bridge.subscribe(topic, input, listener)),
  }
  return { ...(client as unknown as Omit<SlipwayClient, 'events'>), events }
}
