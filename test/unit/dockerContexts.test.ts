import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSshEndpoint, readDockerContexts } from '../../src/main/ssh/dockerContexts'
import { tempDir } from '../helpers/tempDir'

/** Lays out `contexts/meta/<id>/<file>` the way the docker CLI stores contexts. */
function writeMeta(configDir: string, id: string, file: string, content: string): void {
  const dir = join(configDir, 'contexts', 'meta', id)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, file), content)
}

const idOf = (name: string): string => createHash('sha256').update(name).digest('hex')

const meta = (name: string, host: string): string =>
  JSON.stringify({
    Name: name,
    Metadata: { Description: '' },
    Endpoints: { docker: { Host: host, SkipTLSVerify: false } },
  })

describe('readDockerContexts', () => {
  it('returns every readable context by name, and skips what it cannot understand', async () => {
    const dir = tempDir()
    writeMeta(dir, idOf('nas'), 'meta.json', meta('nas', 'ssh://admin@nas.lan:2222'))
    writeMeta(dir, idOf('colima'), 'meta.json', meta('colima', 'unix:///Users/ann/.colima/default/docker.sock'))
    writeMeta(dir, idOf('remote'), 'meta.json', meta('remote', 'tcp://10.0.0.9:2376'))
    writeMeta(dir, idOf('broken'), 'meta.json', '{ "Name": "broken", ')
    writeMeta(dir, idOf('k8s'), 'meta.json', JSON.stringify({ Name: 'k8s', Endpoints: { kubernetes: {} } }))
    writeMeta(dir, idOf('nameless'), 'meta.json', JSON.stringify({ Endpoints: { docker: { Host: 'ssh://x' } } }))
    writeMeta(dir, idOf('array'), 'meta.json', '[]')
    writeMeta(dir, idOf('empty'), 'other.json', '{}')
    writeFileSync(join(dir, 'contexts', 'meta', 'stray-file'), meta('stray', 'ssh://stray'))

    expect(await readDockerContexts(dir)).toEqual([
      { name: 'colima', host: 'unix:///Users/ann/.colima/default/docker.sock' },
      { name: 'nas', host: 'ssh://admin@nas.lan:2222' },
      { name: 'remote', host: 'tcp://10.0.0.9:2376' },
    ])
  })

  it('returns nothing when there are no contexts', async () => {
    const dir = tempDir()

    expect(await readDockerContexts(dir)).toEqual([])
    expect(await readDockerContexts(join(dir, 'missing'))).toEqual([])
  })
})

describe('parseSshEndpoint', () => {
  it.each([
    ['ssh://nas.lan', { hostname: 'nas.lan', port: null, user: null }],
    ['ssh://admin@nas.lan', { hostname: 'nas.lan', port: null, user: 'admin' }],
    ['ssh://admin@nas.lan:2222', { hostname: 'nas.lan', port: 2222, user: 'admin' }],
    ['ssh://nas.lan:22/', { hostname: 'nas.lan', port: 22, user: null }],
    ['SSH://10.0.0.5:2200', { hostname: '10.0.0.5', port: 2200, user: null }],
    ['ssh://root@[fd00::5]:2222', { hostname: 'fd00::5', port: 2222, user: 'root' }],
    ['ssh://[::1]', { hostname: '::1', port: null, user: null }],
    ['ssh://first.last%40corp@host', { hostname: 'host', port: null, user: 'first.last@corp' }],
  ])('reads %s', (url, expected) => {
    expect(parseSshEndpoint(url)).toEqual(expected)
  })

  it.each([
    'unix:///var/run/docker.sock',
    'tcp://10.0.0.9:2376',
    'ssh://',
    'ssh://user@',
    'ssh://user:secret@host',
    'ssh://host:0',
    'ssh://host:65536',
    'ssh://host:port',
    'ssh://host/var/run/docker.sock',
    'ssh://host?x=1',
    'ssh://host#frag',
    'ssh://[::1',
    'ssh://::1',
    'ssh://bad%zzuser@host',
    'nas.lan',
  ])('refuses %s', (url) => {
    expect(parseSshEndpoint(url)).toBeNull()
  })
})
