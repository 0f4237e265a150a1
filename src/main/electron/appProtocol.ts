import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { contentTypeOf, rendererFile } from '../platform/rendererFiles'
import { APP_HOST, APP_SCHEME } from './appOrigin'

/** Before the app is ready: app:// is a standard, secure scheme (its own origin, like https). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves app://slipway/<path> from the built renderer folder only (no symlink out of it, no other host). */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? await rendererFile(rendererDir, url.pathname) : null
    if (file === null) return new Response('not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).href)
    return new Response(response.body, {
      status: 200,
      headers: { 'content-type': contentTypeOf(file), 'x-content-type-options': 'nosniff' },
    })
  })
}
