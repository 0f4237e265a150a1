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
import { join, resolve } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { SubscriptionTable, type Router } from '../main/ipc/router'
import type { Logger } from '../main/log'
import { contentTypeOf, rendererFile } from '../main/platform/rendererFiles'
import { GENERIC_MESSAGES, type Envelope, type ErrorCode } from '../shared/errors'
import type { MessageId, ServerMessage } from '../shared/wire'
import { parseFrame } from './clientMessage'

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

const MAX_MESSAGE_BYTES = 1024 * 1024
/** Per connection: a page that opens more is refused with BUSY, never served without bound. */
export const MAX_SUBSCRIPTIONS = 256
export const MAX_IN_FLIGHT = 64
/** WebSocket close codes: a frame that is not a message (policy), one over the size limit. */
const CLOSE_POLICY = 1008

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
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname
      decodeURIComponent(pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (pathname === '/__slipway/bridge.js') {
      res.writeHead(200, { 'content-type': contentTypeOf('.js'), 'cache-control': 'no-store' })
      res.end(bridge)
      return
    }
    const file = await rendererFile(rendererDir, pathname)
    let body: Buffer | string
    try {
      if (file === null) throw new Error('not in the renderer folder')
      body = await readFile(file)
    } catch {
      res.writeHead(404).end()
      return
    }
    if (pathname === '/' || pathname === '/index.html') {
      body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/__slipway/bridge.js"></script>')
    }
    res.writeHead(200, {
      'content-type': contentTypeOf(file),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    })
    res.end(body)
  }

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '') || req.method !== 'GET') {
      res.writeHead(403).end()
      return
    }
    serveFile(req, res).catch((error: unknown) => {
      options.log.warn('dev-web request failed', { error })
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  // A malformed request line or header: answered and closed, never thrown.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  wss.on('error', (error) => options.log.warn('dev-web socket server error', { error }))
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://x')
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
      return
    }
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
  let inFlight = 0
  const send = (message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  const refuse = (id: MessageId, code: ErrorCode): void =>
    send({ t: 'result', id, envelope: { ok: false, error: { code, message: GENERIC_MESSAGES[code] } } })
  // An oversize frame or a broken one: ws closes the socket itself (1009, 1002); only this connection ends.
  ws.on('error', (error) => log.warn('dev-web socket error', { error }))
  ws.on('message', (data) => {
    const frame = parseFrame(data)
    if (!frame.ok) {
      log.warn('dev-web frame is not a message')
      if (frame.id === null) ws.close(CLOSE_POLICY)
      else refuse(frame.id, 'BAD_INPUT')
      return
    }
    const message = frame.message
    switch (message.t) {
      case 'invoke': {
        if (inFlight >= MAX_IN_FLIGHT) {
          refuse(message.id, 'BUSY')
          return
        }
        inFlight += 1
        void router
          .invoke(message.channel, message.input)
          .catch((error: unknown): Envelope<never> => {
            log.error('dev-web call failed outside the router', { error })
            return { ok: false, error: { code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL } }
          })
          .then((envelope) => {
            inFlight -= 1
            send({ t: 'result', id: message.id, envelope })
          })
        return
      }
      case 'sub': {
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
          refuse(message.id, 'BUSY')
          return
        }
        const envelope = subscriptions.add(message.sub, message.topic, message.input, (payload) =>
          send({ t: 'event', sub: message.sub, payload }),
        )
        send({ t: 'result', id: message.id, envelope })
        return
      }
      case 'unsub':
        subscriptions.remove(message.sub)
    }
  })
  ws.on('close', () => subscriptions.clear())
}
