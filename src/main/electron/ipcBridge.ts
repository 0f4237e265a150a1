import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { GENERIC_MESSAGES, type Envelope } from '../../shared/errors'
import { IPC_WIRE } from '../../shared/wire'
import type { Logger } from '../log'
import { SubscriptionTable, type Router } from '../ipc/router'

const untrusted: Envelope<never> = { ok: false, error: { code: 'BAD_INPUT', message: GENERIC_MESSAGES.BAD_INPUT } }

/**
 * The only place that touches ipcMain. Every message must come from the main frame of our own
 * window showing our own page; anything else is refused and logged.
 */
export function registerIpc(
  router: Router,
  getWindow: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
  log: Logger,
): void {
  const tables = new Map<number, SubscriptionTable>()

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow()
    const frame = event.senderFrame
    const ok =
      win !== null &&
      event.sender === win.webContents &&
      frame !== null &&
      frame === event.sender.mainFrame &&
      isAppUrl(frame.url)
    if (!ok) log.warn('ipc from an untrusted sender refused', { url: frame?.url })
    return ok
  }

  const tableFor = (contents: WebContents): SubscriptionTable => {
    let table = tables.get(contents.id)
    if (table === undefined) {
      const created = new SubscriptionTable(router)
      tables.set(contents.id, created)
      const release = (): void => {
        created.clear()
        tables.delete(contents.id)
      }
      contents.once('destroyed', release)
      contents.on('did-start-navigation', (_e, _url, isInPlace, isMainFrame) => {
        if (isMainFrame && !isInPlace) created.clear()
      })
      table = created
    }
    return table
  }

  ipcMain.handle(IPC_WIRE.invoke, (event, channel: unknown, input: unknown) =>
    trusted(event) ? router.invoke(channel, input) : untrusted,
  )

  ipcMain.handle(IPC_WIRE.subscribe, (event, subscriptionId: unknown, topic: unknown, input: unknown) => {
    if (!trusted(event)) return untrusted
    const contents = event.sender
    return tableFor(contents).add(subscriptionId as string, topic, input, (payload) => {
      if (!contents.isDestroyed()) contents.send(IPC_WIRE.event, subscriptionId, payload)
    })
  })

  ipcMain.handle(IPC_WIRE.unsubscribe, (event, subscriptionId: unknown) => {
    if (trusted(event)) tables.get(event.sender.id)?.remove(subscriptionId)
  })
}
