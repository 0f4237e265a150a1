/** The sandboxed preload: `window.slipway`, the contract's typed bridge over Electron IPC. */
import { contextBridge, ipcRenderer } from 'electron'
import type { BridgeApi } from '../shared/api'
import { GENERIC_MESSAGES, type Envelope } from '../shared/errors'
import { IPC_WIRE } from '../shared/wire'

const listeners = new Map<string, (payload: never) => void>()
let nextSubscription = 0

const badInput: Envelope<never> = { ok: false, error: { code: 'BAD_INPUT', message: GENERIC_MESSAGES.BAD_INPUT } }

ipcRenderer.on(IPC_WIRE.event, (_event, subscriptionId: unknown, payload: unknown) => {
  if (typeof subscriptionId === 'string') listeners.get(subscriptionId)?.(payload as never)
})

/** A value the page passes that IPC cannot carry (a function, a symbol) is BAD_INPUT, not a throw into the page. */
async function invoke(...args: unknown[]): Promise<Envelope<unknown>> {
  try {
    return (await ipcRenderer.invoke(...(args as [string, ...unknown[]]))) as Envelope<unknown>
  } catch {
    return badInput
  }
}

const bridge: BridgeApi = {
  invoke: (channel, input) =>
    (typeof channel === 'string' ? invoke(IPC_WIRE.invoke, channel, input) : Promise.resolve(badInput)) as never,
  async subscribe(topic, input, listener) {
    if (typeof topic !== 'string' || typeof listener !== 'function') return badInput
    const id = `s${++nextSubscription}`
    listeners.set(id, listener)
    const accepted = (await invoke(IPC_WIRE.subscribe, id, topic, input)) as Envelope<null>
    if (!accepted.ok) {
      listeners.delete(id)
      return accepted
    }
    return {
      ok: true,
      value: () => {
        listeners.delete(id)
        void invoke(IPC_WIRE.unsubscribe, id)
      },
    }
  },
}

contextBridge.exposeInMainWorld('slipway', bridge)
