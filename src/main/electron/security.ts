import { app, session, shell, type WebContents } from 'electron'
import type { Logger } from '../log'
import { handleWindowOpen } from './externalLinks'

/**
 * Locks every web contents down: no new windows, no navigation away from the app, no webviews,
 * no permission grants. Called once before any window exists.
 */
export function applySecurityPolicy(isAppUrl: (url: string) => boolean, log: Logger): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, (link) => shell.openExternal(link), log))
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
  })
}
