import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InputOf } from '../../src/shared/contract'
import type { HostView } from '../../src/shared/types/hosts'
import type { Instance } from './slipwayInstance'
import { testEnv } from './testEnv'
import { value } from './workloadFixtures'

/** An sshd to trust: a test's PrivateSshd, or the shared test-env one. */
export interface TrustableSshd {
  readonly port: number
  readonly hostKeyPub: string
}

/** hosts.add input for `sshd` as the test user with the test key, talking to the test engine. */
export function sshHostInput(sshd: TrustableSshd, overrides: Partial<InputOf<'hosts.add'>> = {}): InputOf<'hosts.add'> {
  const env = testEnv()
  return {
    name: 'remote',
    alias: null,
    hostname: '127.0.0.1',
    port: sshd.port,
    user: env.ssh.user,
    identityFile: env.ssh.keyPath,
    useAgent: false,
    socketPath: env.dockerSocket,
    ...overrides,
  }
}

/** Adds `sshd` as an SSH host whose key the instance's ~/.ssh/known_hosts already trusts, and connects it. */
export async function addTrustedSshHost(instance: Instance, sshd: TrustableSshd, name = 'remote'): Promise<HostView> {
  mkdirSync(join(instance.homeDir, '.ssh'), { recursive: true })
  const [type, key] = readFileSync(sshd.hostKeyPub, 'utf8').trim().split(/\s+/)
  writeFileSync(join(instance.homeDir, '.ssh/known_hosts'), `[127.0.0.1]:${sshd.port} ${type ?? ''} ${key ?? ''}\n`)
  const host = value<HostView>(await instance.slipway.router.invoke('hosts.add', sshHostInput(sshd, { name })))
  return value<HostView>(await instance.slipway.router.invoke('hosts.connect', { hostId: host.id }))
}
