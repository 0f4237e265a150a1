/** Transport-level names and messages, shared by the Electron IPC and dev-web bridges. */
export const IPC_WIRE = {
  invoke: 'slipway:invoke',
  subscribe: 'slipway:subscribe',
  unsubscribe: 'slipway:unsubscribe',
  event: 'slipway:event',
} as const

/** Messages on the dev-web WebSocket. */
export type ClientMessage =
  | { readonly t: 'invoke'; readonly id: number; readonly channel: string; readonly input: unknown }
  | { readonly t: 'sub'; readonly id: number; readonly sub: string; readonly topic: string; readonly input: unknown }
  | { readonly t: 'unsub'; readonly sub: string }

export type ServerMessage =
  | { readonly t: 'result'; readonly id: number; readonly envelope: unknown }
  | { readonly t: 'event'; readonly sub: string; readonly payload: unknown }
