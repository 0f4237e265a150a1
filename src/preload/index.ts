/** The sandboxed preload: `window.slipway`, the contract's typed bridge over Electron IPC. */
import { contextBridge, ipcRenderer } from 'electron'
import type { BridgeApi } from '../shared/api'
import type { Envelope } from '../shared/errors'
import { IPC_WIRE } from '../shared/wire'

const listeners = new Map<string, (payload: never) => void>()
let nextSubscription = 0

ipcRenderer.on(IPC_WIRE.event, (_event, subscriptionId: string, payload: unknown) => {
  listeners.get(subscriptionId)?.(payload as never)
})

const bridge: BridgeApi = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_WIRE.invoke, channel, input),
  async subscribe(topic, input, listener) {
    const id = `s${++nextSubscription}`
    listeners.set(id, listener)
    const accepted = (await ipcRenderer.invoke(IPC_WIRE.subscribe, id, topic, input)) as Envelope<null>
    if (!accepted.ok) {
      listeners.delete(id)
      return accepted
    }
    return {
      ok: true,
      value: () => {
        listeners.delete(id)
        void ipcRenderer.invoke(IPC_WIRE.unsubscribe, id)
      },
    }
  },
}

contextBridge.exposeInMainWorld('slipway', bridge)
