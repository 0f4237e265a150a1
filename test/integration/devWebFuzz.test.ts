/**
 * Thousands of random and hostile requests at every entry point the page can reach — the dev-web
 * harness's HTTP server and WebSocket (with and without the token) and the router itself — with a
 * seeded generator, so a failure is reproducible. The server must stay up and answer a normal
 * request afterwards, and no reply may carry a stack, a path, the token or a stored secret.
 */
import { connect as tcpConnect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { channelNames, topicNames } from '../../src/shared/contract'
import { startDevWebServer, type DevWebServer } from '../../src/devweb/server'
import { startInstance, type Instance } from '../helpers/slipwayInstance'

const SECRET = 'fuzz-secret-7d2c9b41'

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = prng(0x5119a)
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
const int = (max: number): number => Math.floor(random() * max)
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)))

const HOSTILE_STRINGS = [
  '',
  '\0',
  '../../etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '%E0%A4%A',
  '%',
  '%zz',
  'a'.repeat(70_000),
  '\u202Eexe.txt',
  '__proto__',
  'constructor',
  '{"t":"invoke"}',
  '<script>alert(1)</script>',
  '\ud800',
  'NaN',
]

/** A value of any JSON shape, hostile ones likely. */
function hostileValue(depth = 0): unknown {
  switch (int(depth > 4 ? 6 : 9)) {
    case 0:
      return pick(HOSTILE_STRINGS)
    case 1:
      return pick([0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, 2 ** 53])
    case 2:
      return pick([null, true, false])
    case 3:
      return bytes(int(40)).toString('latin1')
    case 4:
      return 'x'.repeat(int(5000))
    case 5:
      return int(1000)
    case 6:
      return Array.from({ length: int(6) }, () => hostileValue(depth + 1))
    case 7:
      return JSON.parse(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}`) as unknown
    default: {
      const out: Record<string, unknown> = {}
      for (let i = 0; i < int(6); i++)
        out[pick(['hostId', 'workloadId', 'id', 'name', pick(HOSTILE_STRINGS)])] = hostileValue(depth + 1)
      return out
    }
  }
}

function leaks(text: string, token: string): string | null {
  if (text.includes(token)) return 'token'
  if (text.includes(SECRET)) return 'secret'
  if (/\n\s+at |\bat [\w.<>]+ \(|\/work\/|node_modules|\/tmp\//.test(text)) return 'stack or path'
  return null
}

describe('the dev-web harness and the router under fuzzing', () => {
  let instance: Instance
  let server: DevWebServer
  beforeAll(async () => {
    // An engine that is not there: no fuzzed call may change anything real.
    instance = await startInstance({ dockerHost: 'unix:///nonexistent/fuzz-engine.sock', start: false })
    await instance.slipway.secrets.set('planted', SECRET)
    const created = await instance.slipway.router.invoke('workloads.create', {
      hostId: 'local',
      name: 'fuzzed',
      snapshotBeforeDeploy: false,
      services: [
        {
          name: 'app',
          image: 'busybox:1',
          command: null,
          env: [{ name: 'API_TOKEN', value: SECRET, secret: true }],
          ports: [],
          volumes: [],
          restart: 'no',
        },
      ],
    })
    expect(created.ok).toBe(true)
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

  async function stillServing(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${server.port}/`)
    expect(res.status).toBe(200)
  }

  /** One raw HTTP request, written by hand so that anything can be sent; resolves to the reply. */
  function rawHttp(payload: Buffer): Promise<string> {
    return new Promise((resolve) => {
      const socket = tcpConnect(server.port, '127.0.0.1')
      let reply = ''
      socket.on('data', (d: Buffer) => (reply += d.toString('latin1')))
      socket.on('error', () => resolve(reply))
      socket.on('close', () => resolve(reply))
      socket.on('connect', () => socket.end(payload))
      setTimeout(() => socket.destroy(), 2000)
    })
  }

  it('HTTP: random paths, methods, headers and bytes', async () => {
    const host = `127.0.0.1:${server.port}`
    for (let i = 0; i < 1200; i++) {
      const path = pick([
        () => `/${encodeURIComponent(pick(HOSTILE_STRINGS.filter((v) => v !== '\ud800')))}`,
        () => `/${pick(HOSTILE_STRINGS)}`.replace(/[\s\0]/g, ''),
        () =>
          `/${bytes(int(30))
            .toString('latin1')
            .replace(/[\s\0]/g, '')}`,
        () => `/assets/${'../'.repeat(int(8))}package.json`,
        () => `/__slipway/ws?token=${pick(['', server.token, 'x'])}`,
        () => '/?token=' + server.token,
      ])()
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'BREW', 'G\0T'])
      const hostHeader = pick([host, 'evil.example', `localhost:${server.port}`, '', host + '\r\nX: y'])
      const kind = int(3)
      const payload =
        kind === 0
          ? Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`, 'latin1')
          : kind === 1
            ? bytes(int(600))
            : Buffer.from(
                `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${'X-A: b\r\n'.repeat(int(300))}Connection: close\r\n\r\n`,
                'latin1',
              )
      const reply = await rawHttp(payload)
      // The page itself carries no secret; only error replies are checked for what they might echo.
      if (!reply.startsWith('HTTP/1.1 200')) expect(leaks(reply, server.token)).toBeNull()
    }
    await stillServing()
  }, 60_000)

  it('WebSocket: random frames with and without the token', async () => {
    const replies: string[] = []
    for (let round = 0; round < 60; round++) {
      const token = pick([server.token, server.token, '', 'wrong'])
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/__slipway/ws?token=${token}`, {
        headers: { origin: `http://127.0.0.1:${server.port}` },
      })
      const opened = await new Promise<boolean>((resolve) => {
        ws.once('open', () => resolve(true))
        ws.once('error', () => resolve(false))
        ws.once('unexpected-response', () => resolve(false))
      })
      if (!opened) continue
      ws.on('message', (data: Buffer) => replies.push(data.toString('utf8')))
      ws.on('error', () => undefined)
      // Frames that carry a usable id first (each gets a reply, whatever else is wrong with it),
      // then anything at all, which may end the connection.
      for (let i = 0; i < 30; i++) {
        ws.send(
          JSON.stringify({
            t: pick(['invoke', 'sub', 'invoke']),
            id: pick([int(1_000_000), `id-${int(100)}`]),
            channel: pick([...channelNames, ...HOSTILE_STRINGS]),
            sub: pick([`s${int(10)}`, `t${i}`]),
            topic: pick([...topicNames, ...HOSTILE_STRINGS]),
            input: hostileValue(),
          }),
        )
      }
      for (let i = 0; i < 10 && ws.readyState === WebSocket.OPEN; i++) {
        const frame = pick([
          () => bytes(int(200)),
          () => JSON.stringify(hostileValue()),
          () =>
            JSON.stringify({
              t: pick(['invoke', 'sub', 'unsub', 'x', null]),
              id: pick([int(1000), `id-${int(100)}`, {}, [], null, 1.5, -1]),
              channel: pick([...channelNames, ...HOSTILE_STRINGS]),
              sub: pick([`s${int(10)}`, '', {}, 'x'.repeat(100)]),
              topic: pick([...topicNames, ...HOSTILE_STRINGS]),
              input: hostileValue(),
            }),
        ])()
        ws.send(frame)
      }
      await new Promise((r) => setTimeout(r, 50))
      ws.terminate()
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(replies.length).toBeGreaterThan(500)
    for (const reply of replies) expect(leaks(reply, server.token)).toBeNull()
    await stillServing()
  }, 60_000)

  it('the router: every channel and topic with random inputs answers an envelope, never a leak', async () => {
    const { router } = instance.slipway
    // Channels that would wait on a dialog or the engine for long are still answered; the engine is absent.
    for (let i = 0; i < 1500; i++) {
      const channel = pick([...channelNames, ...HOSTILE_STRINGS])
      const envelope = await router.invoke(channel, hostileValue())
      expect(typeof envelope.ok).toBe('boolean')
      expect(leaks(JSON.stringify(envelope), server.token)).toBeNull()
    }
    for (let i = 0; i < 300; i++) {
      const result = router.subscribe(pick([...topicNames, ...HOSTILE_STRINGS]), hostileValue(), () => undefined)
      expect(leaks(JSON.stringify(result.ok ? null : result), server.token)).toBeNull()
      if (result.ok) result.value()
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    // And it still does its job.
    const info = await router.invoke('app.info', {})
    expect(info).toMatchObject({ ok: true, value: { shell: 'web' } })
    await stillServing()
  }, 60_000)
})
