import type { z } from 'zod'
import {
  channels,
  isChannelName,
  isTopicName,
  topics,
  type ChannelName,
  type OutputOf,
  type ParsedInputOf,
  type ParsedTopicInputOf,
  type PayloadOf,
  type TopicName,
} from '../../shared/contract'
import { GENERIC_MESSAGES, type Envelope, type ErrorPayload } from '../../shared/errors'
import { engineError, isConnectionError, statusOf } from '../docker/engineErrors'
import { withinBounds } from './inputBounds'
import { AppError, toPayload } from '../errors'
import type { Logger } from '../log'

export type Handler<K extends ChannelName> = (input: ParsedInputOf<K>) => Promise<OutputOf<K>> | OutputOf<K>

export type Handlers = { readonly [K in ChannelName]: Handler<K> }

/** Starts delivering a topic's events to `emit`; returns the function that stops it. */
export type TopicSource<T extends TopicName> = (
  input: ParsedTopicInputOf<T>,
  emit: (payload: PayloadOf<T>) => void,
) => () => void

export type TopicSources = { readonly [T in TopicName]: TopicSource<T> }

export interface Router {
  invoke(channel: unknown, rawInput: unknown): Promise<Envelope<unknown>>
  subscribe(topic: unknown, rawInput: unknown, emit: (payload: unknown) => void): Envelope<() => void>
}

const badInput = (field: string): ErrorPayload => ({
  code: 'BAD_INPUT',
  message: GENERIC_MESSAGES.BAD_INPUT,
  details: { field },
})

function parse<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; value: z.output<S> } | { ok: false; error: ErrorPayload } {
  const result = schema.safeParse(raw)
  if (result.success) return { ok: true, value: result.data }
  const first = result.error.issues[0]
  return { ok: false, error: badInput(first === undefined ? '' : first.path.map(String).join('.')) }
}

/**
 * The single entry point for every renderer request, whatever the transport: unknown channels and
 * malformed input are rejected with BAD_INPUT, and only AppError codes and chosen details leave;
 * anything else becomes INTERNAL with the detail in the log.
 */
export function createRouter(deps: { handlers: Handlers; topics: TopicSources; log: Logger }): Router {
  const { handlers, log } = deps

  function failure(scope: string, name: string, raw: unknown): ErrorPayload {
    // An engine failure no service typed (an engine that went away mid-call) is still told as what it is.
    const error = raw instanceof AppError || !isEngineFailure(raw) ? raw : engineError(raw)
    if (error instanceof AppError) {
      if (error.code === 'INTERNAL') log.error(`${scope} failed`, { name, error })
      else log.info(`${scope} refused`, { name, code: error.code, error })
      return toPayload(error)
    }
    log.error(`${scope} failed`, { name, error })
    return { code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL }
  }

  return {
    async invoke(channel, rawInput) {
      if (!isChannelName(channel)) return { ok: false, error: badInput('channel') }
      if (!withinBounds(rawInput)) return { ok: false, error: badInput('input') }
      const parsed = parse(channels[channel].input, rawInput)
      if (!parsed.ok) return parsed
      try {
        const handler = handlers[channel] as Handler<typeof channel>
        const value: unknown = await handler(parsed.value)
        return { ok: true, value }
      } catch (error) {
        return { ok: false, error: failure('call', channel, error) }
      }
    },

    subscribe(topic, rawInput, emit) {
      if (!isTopicName(topic)) return { ok: false, error: badInput('topic') }
      if (!withinBounds(rawInput)) return { ok: false, error: badInput('input') }
      const parsed = parse(topics[topic].input, rawInput)
      if (!parsed.ok) return parsed
      try {
        const source = deps.topics[topic] as TopicSource<typeof topic>
        return { ok: true, value: source(parsed.value, emit) }
      } catch (error) {
        return { ok: false, error: failure('subscribe', topic, error) }
      }
    },
  }
}

/** The live subscriptions of one renderer connection, closed together when it goes away. */
export class SubscriptionTable {
  private readonly open = new Map<string, () => void>()

  constructor(private readonly router: Router) {}

  add(subscriptionId: string, topic: unknown, input: unknown, send: (payload: unknown) => void): Envelope<null> {
    if (typeof subscriptionId !== 'string' || subscriptionId.length === 0 || subscriptionId.length > 64) {
      return { ok: false, error: badInput('subscriptionId') }
    }
    if (this.open.has(subscriptionId)) return { ok: false, error: badInput('subscriptionId') }
    const result = this.router.subscribe(topic, input, send)
    if (!result.ok) return result
    this.open.set(subscriptionId, result.value)
    return { ok: true, value: null }
  }

  remove(subscriptionId: unknown): void {
    if (typeof subscriptionId !== 'string') return
    const stop = this.open.get(subscriptionId)
    this.open.delete(subscriptionId)
    stop?.()
  }

  clear(): void {
    for (const stop of this.open.values()) stop()
    this.open.clear()
  }

  get size(): number {
    return this.open.size
  }
}

/** A failure of a call to an engine: it could not be reached, or it answered with an HTTP status. */
function isEngineFailure(error: unknown): boolean {
  return isConnectionError(error) || statusOf(error) !== undefined
}
