/**
 * The dev-web harness server: serves the built renderer and speaks the IPC contract over a
 * WebSocket, bound to loopback and guarded by a per-run token, Host and Origin checks.
 * It routes through the same Router as Electron's IPC: there is no second handler anywhere.
 */
import { build } from 'esbuild'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { SubscriptionTable, type Router } from '../main/ipc/router'
import type { Logger } from '../main/log'
import type { ClientMessage, ServerMessage } from '../shared/wire'

export interface DevWebOptions {
  readonly router: Router
  /** The built renderer (electron-vite's out/renderer). */
  readonly rendererDir: string
  readonly log: Logger
  readonly port?: number
  readonly token?: string
}

export interface DevWebServer {
  readonly url: string
  readonly token: string
  readonly port: number
  close(): Promise<void>
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

const MAX_MESSAGE_BYTES = 1024 * 1024

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'browserBridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  const file = result.outputFiles[0]
  if (file === undefined) throw new Error('bridge bundle is empty')
  return file.text
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startDevWebServer(options: DevWebOptions): Promise<DevWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const bridge = await bundleBridge()
  const rendererDir = resolve(options.rendererDir)
  let port = 0

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (path === '/__slipway/bridge.js') {
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.js'], 'cache-control': 'no-store' })
      res.end(bridge)
      return
    }
    const relative = path === '/' ? 'index.html' : path.slice(1)
    const file = resolve(rendererDir, relative)
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      res.writeHead(404).end()
      return
    }
    try {
      let body: Buffer | string = await readFile(file)
      if (relative === 'index.html') {
        body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/__slipway/bridge.js"></script>')
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
      })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  }

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '') || req.method !== 'GET') {
      res.writeHead(403).end()
      return
    }
    void serveFile(req, res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const host = req.headers.host ?? ''
    const origin = req.headers.origin ?? ''
    const ok =
      url.pathname === '/__slipway/ws' &&
      allowedHosts().has(host) &&
      origin === `http://${host}` &&
      sameToken(url.searchParams.get('token') ?? '', token)
    if (!ok) {
      options.log.warn('dev-web connection refused', { path: url.pathname, origin })
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options.router, options.log))
  })

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen))
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise((resolveClose) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.close(() => resolveClose())
        server.closeAllConnections()
      }),
  }
}

function serveConnection(ws: WebSocket, router: Router, log: Logger): void {
  const subscriptions = new SubscriptionTable(router)
  const send = (message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  ws.on('message', (data) => {
    let message: ClientMessage
    try {
      message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as ClientMessage
    } catch {
      log.warn('dev-web message is not JSON')
      return
    }
    switch (message.t) {
      case 'invoke':
        void router
          .invoke(message.channel, message.input)
          .then((envelope) => send({ t: 'result', id: message.id, envelope }))
        break
      case 'sub': {
        const envelope = subscriptions.add(message.sub, message.topic, message.input, (payload) =>
          send({ t: 'event', sub: message.sub, payload }),
        )
        send({ t: 'result', id: message.id, envelope })
        break
      }
      case 'unsub':
        subscriptions.remove(message.sub)
        break
      default:
        log.warn('dev-web message of unknown type')
    }
  })
  ws.on('close', () => subscriptions.clear())
}
