/**
 * Loaded by the dev-web harness before the renderer: gives the page the same `window.slipway`
 * the Electron preload gives, over a loopback WebSocket authenticated by the per-run token.
 */
import type { BridgeApi } from '../shared/api'
import { GENERIC_MESSAGES, type Envelope } from '../shared/errors'
import type { ClientMessage, MessageId, ServerMessage } from '../shared/wire'

const TOKEN_KEY = 'slipway.devweb.token'

function takeToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.toString())
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

const unavailable: Envelope<never> = {
  ok: false,
  error: { code: 'UNAVAILABLE', message: GENERIC_MESSAGES.UNAVAILABLE },
}

const token = takeToken()
const socket = new WebSocket(`ws://${window.location.host}/__slipway/ws?token=${encodeURIComponent(token)}`)
const opened = new Promise<boolean>((resolve) => {
  socket.addEventListener('open', () => resolve(true), { once: true })
  socket.addEventListener('error', () => resolve(false), { once: true })
})
const pending = new Map<MessageId, (envelope: Envelope<unknown>) => void>()
const listeners = new Map<string, (payload: never) => void>()
let nextId = 0

socket.addEventListener('message', (event: MessageEvent<string>) => {
  const message = JSON.parse(event.data) as ServerMessage
  if (message.t === 'result') {
    pending.get(message.id)?.(message.envelope as Envelope<unknown>)
    pending.delete(message.id)
  } else {
    listeners.get(message.sub)?.(message.payload as never)
  }
})
socket.addEventListener('close', () => {
  for (const resolve of pending.values()) resolve(unavailable)
  pending.clear()
})

async function send(build: (id: number) => ClientMessage): Promise<Envelope<unknown>> {
  if (!(await opened) || socket.readyState !== WebSocket.OPEN) return unavailable
  const id = ++nextId
  return new Promise((resolve) => {
    pending.set(id, resolve)
    socket.send(JSON.stringify(build(id)))
  })
}

const bridge: BridgeApi = {
  invoke: (channel, input) => send((id) => ({ t: 'invoke', id, channel, input })) as never,
  async subscribe(topic, input, listener) {
    const sub = `s${++nextId}`
    listeners.set(sub, listener)
    const accepted = await send((id) => ({ t: 'sub', id, sub, topic, input }))
    if (!accepted.ok) {
      listeners.delete(sub)
      return accepted
    }
    return {
      ok: true,
      value: () => {
        listeners.delete(sub)
        if (socket.readyState === WebSocket.OPEN)
          socket.send(JSON.stringify({ t: 'unsub', sub } satisfies ClientMessage))
      },
    }
  },
}

Object.defineProperty(window, 'slipway', { value: Object.freeze(bridge), writable: false })
