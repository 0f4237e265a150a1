/** Transport-level names and messages, shared by the Electron IPC and dev-web bridges. */
export const IPC_WIRE = {
  invoke: 'slipway:invoke',
  subscribe: 'slipway:subscribe',
  unsubscribe: 'slipway:unsubscribe',
  event: 'slipway:event',
} as const

/** A request's id on the dev-web WebSocket: only these are ever echoed back. */
export type MessageId = number | string

/** Messages on the dev-web WebSocket. */
export type ClientMessage =
  | { readonly t: 'invoke'; readonly id: MessageId; readonly channel: string; readonly input: unknown }
  | { readonly t: 'sub'; readonly id: MessageId; readonly sub: string; readonly topic: string; readonly input: unknown }
  | { readonly t: 'unsub'; readonly sub: string }

export type ServerMessage =
  | { readonly t: 'result'; readonly id: MessageId; readonly envelope: unknown }
  | { readonly t: 'event'; readonly sub: string; readonly payload: unknown }
