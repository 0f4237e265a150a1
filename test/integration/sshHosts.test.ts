import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/errors'
import type { ContainerSummary, HostStatusEvent, HostView } from '../../src/shared/types/hosts'
import { sshHostInput } from '../helpers/sshHostFixture'
import { authorize, generateKey, keygenFingerprint, PrivateSshd } from '../helpers/sshd'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()
const dockerIds = (): string[] =>
  execFileSync('docker', ['-H', env.dockerHost, 'ps', '-aq', '--no-trunc'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort()

function hostInput(sshd: PrivateSshd, overrides: Partial<InputOf<'hosts.add'>> = {}): InputOf<'hosts.add'> {
  return sshHostInput(sshd, { name: 'test server', ...overrides })
}

/** Calls through the router exactly as the renderer does, and keeps every result for secret greps. */
function caller(instance: Instance) {
  const results: string[] = []
  return {
    results,
    call: async (channel: string, input: unknown): Promise<Envelope<unknown>> => {
      const result = await instance.slipway.router.invoke(channel, input)
      results.push(JSON.stringify(result))
      return result
    },
  }
}

function value<T>(result: Envelope<unknown>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

/** Writes a hashed known_hosts entry for the sshd's key into the instance's ~/.ssh, as `ssh-keygen -H` does. */
function knownHostsHashed(home: string, sshd: PrivateSshd): void {
  mkdirSync(join(home, '.ssh'), { recursive: true })
  const [type, key] = readFileSync(sshd.hostKeyPub, 'utf8').trim().split(/\s+/)
  const file = join(home, '.ssh/known_hosts')
  writeFileSync(file, `[127.0.0.1]:${sshd.port} ${type ?? ''} ${key ?? ''}\n`)
  execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' })
  expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/)
}

async function waitFor<T>(read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await read()
    if (accept(v)) return v
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('SSH hosts against the real sshd and dockerd', () => {
  let sshd: PrivateSshd
  beforeAll(async () => {
    sshd = await PrivateSshd.start()
  })
  afterAll(async () => {
    await sshd.close()
  })

  it('asks to confirm an unknown host key with the fingerprint ssh-keygen prints, then lists containers over a non-default socket', async () => {
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const { call } = caller(instance)
    const host = value<HostView>(await call('hosts.add', hostInput(sshd)))
    expect(host).toMatchObject({ kind: 'ssh', ssh: { socketPath: env.dockerSocket, hasPassphrase: false } })

    const refused = await call('hosts.connect', { hostId: host.id })
    const fingerprint = keygenFingerprint(sshd.hostKeyPub)
    expect(refused).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN', details: { fingerprint } } })
    expect(value<HostView[]>(await call('hosts.list', {})).find((h) => h.id === host.id)).toMatchObject({
      status: 'offline',
      statusReason: 'HOST_KEY_UNKNOWN',
      statusDetails: { fingerprint },
    })
    expect(await call('hosts.containers', { hostId: host.id })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    })

    const wrong = 'SHA256:' + 'A'.repeat(43)
    expect(await call('hosts.trust', { hostId: host.id, fingerprint: wrong })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    expect(value<HostView>(await call('hosts.trust', { hostId: host.id, fingerprint }))).toMatchObject({
      status: 'connected',
    })
    const rows = instance.slipway.db.prepare('SELECT host, port, fingerprint FROM trusted_host_keys').all()
    expect(rows).toEqual([{ host: '127.0.0.1', port: sshd.port, fingerprint }])

    const containers = value<ContainerSummary[]>(await call('hosts.containers', { hostId: host.id }))
    expect(containers.map((c) => c.id).sort()).toEqual(dockerIds())
    const facts = value<{ version: string }>(await call('hosts.engine', { hostId: host.id }))
    expect(facts.version).toBe(
      execFileSync('docker', ['-H', env.dockerHost, 'version', '--format', '{{.Server.Version}}'], {
        encoding: 'utf8',
      }).trim(),
    )

    // A restart of Slipway trusts the stored key without asking again.
    await instance.slipway.stop()
    const again = await startInstance({
      dockerHost: env.dockerHost,
      dataDir: instance.dataDir,
      homeDir: instance.homeDir,
    })
    expect(value<HostView>(await again.slipway.router.invoke('hosts.connect', { hostId: host.id }))).toMatchObject({
      status: 'connected',
    })
    await again.close()
  })

  it('refuses a replaced host key as HOST_KEY_CHANGED with both fingerprints, and will not trust it', async () => {
    const own = await PrivateSshd.start()
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const { call } = caller(instance)
    const host = value<HostView>(await call('hosts.add', hostInput(own)))
    const before = keygenFingerprint(own.hostKeyPub)
    await call('hosts.connect', { hostId: host.id })
    value(await call('hosts.trust', { hostId: host.id, fingerprint: before }))

    await own.replaceHostKey()
    const after = keygenFingerprint(own.hostKeyPub)
    expect(after).not.toBe(before)
    const refused = await call('hosts.connect', { hostId: host.id })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'HOST_KEY_CHANGED', details: { fingerprint: after, expectedFingerprint: before } },
    })
    expect(await call('hosts.trust', { hostId: host.id, fingerprint: after })).toMatchObject({
      ok: false,
      error: { code: 'HOST_KEY_CHANGED' },
    })
    expect(instance.slipway.db.prepare('SELECT fingerprint FROM trusted_host_keys').all()).toEqual([
      { fingerprint: before },
    ])
    await instance.close()
    await own.close()
  })

  it('connects with an encrypted key and its passphrase, checks a hashed known_hosts, and never shows the passphrase', async () => {
    const keys = tempDir()
    const passphrase = `pp-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 20)}`
    const key = generateKey(keys, 'encrypted', passphrase)
    authorize(key.publicKey)
    const instance = await startInstance({ dockerHost: env.dockerHost })
    knownHostsHashed(instance.homeDir, sshd)
    const { call, results } = caller(instance)

    const withoutPassphrase = value<HostView>(
      await call('hosts.add', hostInput(sshd, { identityFile: key.path, name: 'no pass' })),
    )
    expect(await call('hosts.connect', { hostId: withoutPassphrase.id })).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    })

    const host = value<HostView>(await call('hosts.add', hostInput(sshd, { identityFile: key.path, passphrase })))
    expect(host.ssh?.hasPassphrase).toBe(true)
    expect(value<HostView>(await call('hosts.connect', { hostId: host.id }))).toMatchObject({ status: 'connected' })
    expect(
      value<ContainerSummary[]>(await call('hosts.containers', { hostId: host.id }))
        .map((c) => c.id)
        .sort(),
    ).toEqual(dockerIds())
    await call('hosts.list', {})
    await call('hosts.update', { hostId: host.id, ...hostInput(sshd, { identityFile: key.path }) })
    expect(value<HostView>(await call('hosts.connect', { hostId: host.id }))).toMatchObject({ status: 'connected' })

    await instance.slipway.stop()
    const dbFiles = readdirSync(instance.dataDir).filter((f) => f.startsWith('slipway.db'))
    expect(dbFiles.length).toBeGreaterThan(0)
    for (const file of dbFiles) expect(readFileSync(join(instance.dataDir, file)).includes(passphrase)).toBe(false)
    expect(instance.logText()).not.toContain(passphrase)
    expect(results.join('\n')).not.toContain(passphrase)
    expect(statSync(join(instance.dataDir, 'secrets.json')).mode & 0o777).toBe(0o600)
  })

  it('authenticates through a real ssh-agent', async () => {
    const dir = tempDir()
    const key = generateKey(dir, 'agent-key')
    authorize(key.publicKey)
    const socket = join(dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    try {
      await waitFor(() => readdirSync(dir).includes('agent.sock'), Boolean, 5_000)
      execFileSync('ssh-add', [key.path], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' })
      const instance = await startInstance({ dockerHost: env.dockerHost, env: { SSH_AUTH_SOCK: socket } })
      knownHostsHashed(instance.homeDir, sshd)
      const { call } = caller(instance)
      const host = value<HostView>(await call('hosts.add', hostInput(sshd, { identityFile: null, useAgent: true })))
      expect(value<HostView>(await call('hosts.connect', { hostId: host.id }))).toMatchObject({ status: 'connected' })
      expect(value<ContainerSummary[]>(await call('hosts.containers', { hostId: host.id })).length).toBe(
        dockerIds().length,
      )
      await instance.close()
    } finally {
      agent.kill()
    }
  })

  it('refuses a key the server does not accept with AUTH_FAILED', async () => {
    const stranger = generateKey(tempDir(), 'stranger')
    const instance = await startInstance({ dockerHost: env.dockerHost })
    knownHostsHashed(instance.homeDir, sshd)
    const { call } = caller(instance)
    const host = value<HostView>(await call('hosts.add', hostInput(sshd, { identityFile: stranger.path })))
    expect(await call('hosts.connect', { hostId: host.id })).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    })
    expect(value<HostView[]>(await call('hosts.list', {})).find((h) => h.id === host.id)).toMatchObject({
      status: 'offline',
      statusReason: 'AUTH_FAILED',
    })
    await instance.close()
  })

  it('follows a ~/.ssh/config alias (HostName, Port, User, IdentityFile)', async () => {
    const instance = await startInstance({ dockerHost: env.dockerHost })
    knownHostsHashed(instance.homeDir, sshd)
    writeFileSync(
      join(instance.homeDir, '.ssh/config'),
      `Host homelab\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${env.ssh.user}\n  IdentityFile ${env.ssh.keyPath}\n\nHost *\n  ServerAliveInterval 30\n`,
    )
    const { call } = caller(instance)
    expect(value<string[]>(await call('hosts.sshAliases', {}))).toEqual(['homelab'])
    const host = value<HostView>(
      await call('hosts.add', {
        ...hostInput(sshd),
        alias: 'homelab',
        hostname: null,
        port: null,
        user: null,
        identityFile: null,
      }),
    )
    expect(value<HostView>(await call('hosts.connect', { hostId: host.id }))).toMatchObject({ status: 'connected' })
    await instance.close()
  })

  it('imports SSH endpoints from Docker contexts', async () => {
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const meta = join(instance.homeDir, '.docker/contexts/meta', createHash('sha256').update('nas').digest('hex'))
    mkdirSync(meta, { recursive: true })
    writeFileSync(
      join(meta, 'meta.json'),
      JSON.stringify({
        Name: 'nas',
        Metadata: {},
        Endpoints: { docker: { Host: `ssh://slipway@127.0.0.1:${sshd.port}`, SkipTLSVerify: false } },
      }),
    )
    const candidates = value<unknown[]>(await instance.slipway.router.invoke('hosts.dockerContexts', {}))
    expect(candidates).toEqual([
      { name: 'nas', hostname: '127.0.0.1', port: sshd.port, user: 'slipway', alreadyAdded: false },
    ])
    await instance.close()
  })

  it('goes offline when sshd dies, fails calls fast with UNAVAILABLE, and reconnects by itself', async () => {
    const own = await PrivateSshd.start()
    const instance = await startInstance({ dockerHost: env.dockerHost })
    knownHostsHashed(instance.homeDir, own)
    const { call } = caller(instance)
    const host = value<HostView>(await call('hosts.add', hostInput(own)))
    value(await call('hosts.connect', { hostId: host.id }))
    const events: HostStatusEvent[] = []
    instance.slipway.bus.on('hosts.status', (e) => events.push(e))

    const cut = Date.now()
    await own.stop()
    await waitFor(
      () => events,
      (e) => e.some((x) => x.hostId === host.id && x.status === 'offline'),
      10_000,
    )
    const offlineAfter = Date.now() - cut
    expect(offlineAfter).toBeLessThan(2_000 * 3 + 1_000) // keepalive window: 2 s x 2 probes, plus slack

    const callStarted = Date.now()
    expect(await call('hosts.containers', { hostId: host.id })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    })
    expect(Date.now() - callStarted).toBeLessThan(5_000)

    await own.resume()
    await waitFor(
      async () => value<HostView[]>(await call('hosts.list', {})).find((h) => h.id === host.id)?.status,
      (s) => s === 'connected',
      20_000,
    )
    expect(value<ContainerSummary[]>(await call('hosts.containers', { hostId: host.id })).length).toBe(
      dockerIds().length,
    )
    await instance.close()
    await own.close()
  })
})
