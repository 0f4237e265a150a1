import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startDevWebServer, type DevWebServer } from '../../src/devweb/server'
import type { ServerMessage } from '../../src/shared/wire'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

/** Opens a socket and reports whether the server accepted it. */
function connect(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })
}

describe('the dev-web harness', () => {
  let instance: Instance
  let server: DevWebServer
  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost })
    server = await startDevWebServer({
      router: instance.slipway.router,
      rendererDir: join(__dirname, '../../out/renderer'),
      log: instance.log,
    })
  })
  afterAll(async () => {
    await server.close()
    await instance.close()
  })

  const origin = (): string => `http://127.0.0.1:${server.port}`
  const wsUrl = (token: string): string => `ws://127.0.0.1:${server.port}/__slipway/ws?token=${token}`

  it('listens on loopback only', () => {
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true)
  })

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    expect(await connect(wsUrl(''), { origin: origin() })).toBe(403)
    expect(await connect(wsUrl('wrong'), { origin: origin() })).toBe(403)
    expect(await connect(wsUrl(server.token), { origin: 'http://evil.example' })).toBe(403)
    expect(await connect(wsUrl(server.token), { origin: origin(), host: `attacker.example:${server.port}` })).toBe(403)
  })

  it('speaks the contract through the same router, errors included', async () => {
    const ws = await connect(wsUrl(server.token), { origin: origin() })
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`)
    const replies: ServerMessage[] = []
    const next = (): Promise<ServerMessage> =>
      new Promise((resolve) =>
        ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')) as ServerMessage)),
      )
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'app.info', input: {} }))
    replies.push(await next())
    ws.send(JSON.stringify({ t: 'invoke', id: 2, channel: 'hosts.engine', input: { hostId: 7 } }))
    replies.push(await next())
    expect(replies).toEqual([
      {
        t: 'result',
        id: 1,
        envelope: { ok: true, value: { version: '0.0.0-test', shell: 'web', secretStorage: 'file' } },
      },
      { t: 'result', id: 2, envelope: { ok: false, error: expect.objectContaining({ code: 'BAD_INPUT' }) as unknown } },
    ])
    ws.close()
  })

  it('serves the renderer with the bridge injected and nothing outside its folder', async () => {
    const page = await fetch(`${origin()}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<script src="/__slipway/bridge.js"></script>')
    expect((await fetch(`${origin()}/__slipway/bridge.js`)).status).toBe(200)
    expect((await fetch(`${origin()}/..%2f..%2fpackage.json`)).status).toBe(404)
    expect((await fetch(`${origin()}/`, { method: 'POST' })).status).toBe(403)
  })

  /** Whether the server still answers an ordinary request. */
  async function stillServing(): Promise<void> {
    expect((await fetch(`${origin()}/`)).status).toBe(200)
  }

  function closedWith(ws: WebSocket): Promise<number> {
    return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
  }

  async function openSocket(): Promise<WebSocket> {
    const ws = await connect(wsUrl(server.token), { origin: origin() })
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`)
    return ws
  }

  it('answers a path with broken percent-encoding with 400, and keeps serving', async () => {
    const res = await fetch(`${origin()}/%E0%A4%A`)
    expect(res.status).toBe(400)
    await stillServing()
  })

  it('closes a socket that sends a frame that is not a message (policy), and keeps serving', async () => {
    for (const frame of [
      'null',
      '[]',
      '"x"',
      '{"t":"invoke"}',
      'not json',
      '{"t":"invoke","id":{"a":1},"channel":"app.info","input":{}}',
    ]) {
      const ws = await openSocket()
      const closed = closedWith(ws)
      ws.send(frame)
      expect(await closed).toBe(1008)
    }
    await stillServing()
  })

  it('answers a malformed message that carries a usable id with BAD_INPUT for that id', async () => {
    const ws = await openSocket()
    const reply = new Promise<ServerMessage>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')) as ServerMessage)),
    )
    ws.send(JSON.stringify({ t: 'invoke', id: 'req-1', channel: 42, input: {} }))
    expect(await reply).toEqual({
      t: 'result',
      id: 'req-1',
      envelope: { ok: false, error: expect.objectContaining({ code: 'BAD_INPUT' }) as unknown },
    })
    ws.close()
  })

  it('closes a socket whose frame is over the size limit with 1009, and keeps serving', async () => {
    const ws = await openSocket()
    const closed = closedWith(ws)
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'app.info', input: { pad: 'x'.repeat(2 * 1024 * 1024) } }))
    expect(await closed).toBe(1009)
    await stillServing()
  })

  it('caps subscriptions and calls in flight per connection, with BUSY past them', async () => {
    const ws = await openSocket()
    const replies = new Map<unknown, ServerMessage>()
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as ServerMessage
      if (message.t === 'result') replies.set(message.id, message)
    })
    for (let i = 0; i < 260; i++)
      ws.send(JSON.stringify({ t: 'sub', id: `s${i}`, sub: `sub-${i}`, topic: 'hosts.status', input: {} }))
    for (let i = 0; i < 100; i++)
      ws.send(JSON.stringify({ t: 'invoke', id: i, channel: 'hosts.engine', input: { hostId: 'local' } }))
    await expect.poll(() => replies.size, { timeout: 30_000 }).toBe(360)
    const busy = [...replies.values()].filter(
      (r) => r.t === 'result' && (r.envelope as { ok: boolean; error?: { code: string } }).error?.code === 'BUSY',
    )
    const busySubs = busy.filter((r) => r.t === 'result' && typeof r.id === 'string')
    expect(busySubs).toHaveLength(4)
    expect(busy.length - busySubs.length).toBeGreaterThan(0)
    expect(busy.length - busySubs.length).toBeLessThanOrEqual(100 - 64)
    ws.close()
  })

  it('never follows a symlink out of the renderer folder', async () => {
    const dir = tempDir('devweb-renderer-')
    writeFileSync(join(dir, 'index.html'), '<html><head></head><body>ok</body></html>')
    symlinkSync('/etc/passwd', join(dir, 'leak'))
    mkdirSync(join(dir, 'assets'))
    symlinkSync('/etc', join(dir, 'assets', 'etc'))
    const other = await startDevWebServer({ router: instance.slipway.router, rendererDir: dir, log: instance.log })
    try {
      const base = `http://127.0.0.1:${other.port}`
      expect((await fetch(`${base}/`)).status).toBe(200)
      expect((await fetch(`${base}/leak`)).status).toBe(404)
      expect((await fetch(`${base}/assets/etc/passwd`)).status).toBe(404)
    } finally {
      await other.close()
    }
  })
})
