import { z } from 'zod'
import type { ClientMessage, MessageId } from '../shared/wire'

const idSchema = z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(64)])
const name = z.string().min(1).max(128)

const messageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('invoke'), id: idSchema, channel: name, input: z.unknown() }),
  z.strictObject({
    t: z.literal('sub'),
    id: idSchema,
    sub: z.string().min(1).max(64),
    topic: name,
    input: z.unknown(),
  }),
  z.strictObject({ t: z.literal('unsub'), sub: z.string().min(1).max(64) }),
])

export type ParsedFrame =
  | { readonly ok: true; readonly message: ClientMessage }
  /** Not a message at all; `id` when it still carried a usable one (a reply can name it). */
  | { readonly ok: false; readonly id: MessageId | null }

/**
 * One WebSocket frame from the page, judged defensively: any bytes, any JSON. A request id is
 * accepted only as a bounded string or number, so nothing else is ever echoed back.
 */
export function parseFrame(data: unknown): ParsedFrame {
  if (!Buffer.isBuffer(data)) return { ok: false, id: null }
  let json: unknown
  try {
    json = JSON.parse(data.toString('utf8'))
  } catch {
    return { ok: false, id: null }
  }
  const parsed = messageSchema.safeParse(json)
  if (parsed.success) return { ok: true, message: parsed.data }
  const id = idSchema.safeParse(typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined)
  return { ok: false, id: id.success ? id.data : null }
}
