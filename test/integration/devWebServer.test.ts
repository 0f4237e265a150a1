import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startDevWebServer, type DevWebServer } from '../../src/devweb/server'
import type { ServerMessage } from '../../src/shared/wire'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
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
      { t: 'result', id: 1, envelope: { ok: true, value: { version: '0.0.0-test', shell: 'web' } } },
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
})
