/** Electron entry: a thin shell around the composition root. */
import { app, BrowserWindow, dialog, Menu } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createSlipway } from './app'
import { APP_ENTRY, appUrlCheck } from './electron/appOrigin'
import { registerAppScheme, serveAppScheme } from './electron/appProtocol'
import { registerIpc } from './electron/ipcBridge'
import { createSafeStorageSecrets } from './electron/safeStorageSecrets'
import { applySecurityPolicy } from './electron/security'
import { restoreBounds, trackBounds } from './electron/windowState'
import { createLogger, fileLogSink } from './log'
import { systemClock } from './platform/ports'

const rendererDevUrl = process.env['ELECTRON_RENDERER_URL']
const rendererDir = join(__dirname, '../renderer')
const isAppUrl = appUrlCheck({ devUrl: rendererDevUrl, packaged: app.isPackaged })
/** DevTools only in development, or when started with --debug on purpose. */
const devTools = !app.isPackaged || process.argv.includes('--debug')

registerAppScheme()

function electronSqliteBinding(): string | undefined {
  const path = join(app.getAppPath(), 'build/native/electron/better_sqlite3.node')
  return existsSync(path) ? path : undefined
}

let mainWindow: BrowserWindow | null = null

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  const dataDir = app.getPath('userData')
  const log = createLogger(fileLogSink(join(dataDir, 'logs/main.log'), !app.isPackaged))
  applySecurityPolicy(isAppUrl, log)
  await app.whenReady()
  serveAppScheme(rendererDir)
  // No default menu in production: its View menu would offer DevTools and reload.
  if (!devTools) Menu.setApplicationMenu(null)
  const binding = electronSqliteBinding()
  const running = await createSlipway(
    {
      dataDir,
      homeDir: app.getPath('home'),
      shell: 'electron',
      appVersion: app.getVersion(),
      secrets: createSafeStorageSecrets,
      clock: systemClock,
      env: process.env,
      dialogs: {
        chooseDirectory: async () => {
          const result = await dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'] })
          return result.canceled ? null : (result.filePaths[0] ?? null)
        },
        chooseFile: async () => {
          const result = await dialog.showOpenDialog({
            properties: ['openFile'],
            filters: [{ name: 'Slipway snapshot', extensions: ['tar'] }],
          })
          return result.canceled ? null : (result.filePaths[0] ?? null)
        },
      },
      ...(binding === undefined ? {} : { sqliteNativeBinding: binding }),
    },
    log,
  )
  registerIpc(running.router, () => mainWindow, isAppUrl, log)
  await running.start()

  const openWindow = (): void => {
    const { maximized, ...bounds } = restoreBounds(running.settings)
    const win = new BrowserWindow({
      ...bounds,
      minWidth: 640,
      minHeight: 480,
      show: false,
      autoHideMenuBar: true,
      webPreferences: {
        preload: join(__dirname, '../preload/index.js'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        devTools,
        spellcheck: false,
        // A middle click would otherwise ask for a new window (which is denied anyway).
        disableBlinkFeatures: 'Auxclick',
      },
    })
    trackBounds(win, running.settings)
    win.once('ready-to-show', () => {
      if (maximized) win.maximize()
      win.show()
    })
    win.on('closed', () => {
      mainWindow = null
    })
    if (rendererDevUrl !== undefined && !app.isPackaged) void win.loadURL(rendererDevUrl)
    else void win.loadURL(APP_ENTRY)
    mainWindow = win
  }

  app.on('second-instance', () => {
    if (mainWindow === null) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('activate', () => {
    if (mainWindow === null) openWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    void running.stop()
  })
  openWindow()
}

void main()
