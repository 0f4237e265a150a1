import { describe, expect, it } from 'vitest'
import { appUrlCheck } from '../../src/main/electron/appOrigin'
import { EXTERNAL_LINKS, handleWindowOpen } from '../../src/main/electron/externalLinks'
import { withinBounds } from '../../src/main/ipc/inputBounds'
import { createLogger, type LogRecord } from '../../src/main/log'

describe('the app page check', () => {
  const dev = appUrlCheck({ devUrl: 'http://localhost:5173', packaged: false })
  const packaged = appUrlCheck({ devUrl: 'http://localhost:5173', packaged: true })

  it.each([
    'app://slipway/index.html',
    'app://slipway/index.html#/workloads/local/w1',
    'http://localhost:5173/',
    'http://localhost:5173/#/hosts',
  ])('trusts %s in development', (url) => {
    expect(dev(url)).toBe(true)
  })

  it.each([
    'http://localhost:5173.evil.example/',
    'http://localhost:51730/',
    'http://localhost:5173@evil.example/',
    'http://user:pw@localhost:5173/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    'app://slipway.evil/index.html',
    'app://evil/index.html',
    'file:///tmp/index.html',
    'data:text/html,<p>x</p>',
    'javascript:alert(1)',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(dev(url)).toBe(false)
  })

  it('does not trust the dev server in a packaged app', () => {
    expect(packaged('http://localhost:5173/')).toBe(false)
    expect(packaged('app://slipway/index.html')).toBe(true)
  })
})

describe('links a page asks to open', () => {
  const opened: string[] = []
  const records: LogRecord[] = []
  const log = createLogger((r) => records.push(r), 'debug')
  const open = async (url: string): Promise<void> => void opened.push(url)

  it('opens exactly the allowlisted links in the browser, never a window', () => {
    for (const link of EXTERNAL_LINKS) expect(handleWindowOpen(link, open, log)).toEqual({ action: 'deny' })
    expect(opened).toEqual([...EXTERNAL_LINKS])
  })

  it.each([
    'https://evil.example/',
    'https://docs.docker.com/engine/install/../../../evil',
    'https://docs.docker.com.evil.example/engine/install/',
    'https://user@docs.docker.com/engine/install/',
    'http://docs.docker.com/engine/install/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
  ])('refuses and logs %s', (url) => {
    opened.length = 0
    records.length = 0
    expect(handleWindowOpen(url, open, log)).toEqual({ action: 'deny' })
    expect(opened).toEqual([])
    expect(records.map((r) => r.message)).toEqual(['a page asked to open a link that is not on the allowlist; refused'])
  })
})

describe('input bounds', () => {
  it('passes ordinary inputs and refuses huge or deep ones before any schema walks them', () => {
    expect(withinBounds({ hostId: 'local', services: [{ name: 'a', env: [{ name: 'X', value: 'y' }] }] })).toBe(true)
    expect(withinBounds('x'.repeat(2_000_000))).toBe(false)
    expect(withinBounds(Array.from({ length: 50_000 }, () => 1))).toBe(false)
    let deep: unknown = 'leaf'
    for (let i = 0; i < 100; i++) deep = { d: deep }
    expect(withinBounds(deep)).toBe(false)
    expect(withinBounds({ ['k'.repeat(1_100_000)]: 1 })).toBe(false)
  })
})
