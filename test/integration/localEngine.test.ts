import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineFacts } from '../../src/shared/types/hosts'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()
const docker = (...args: string[]): string =>
  execFileSync('docker', ['-H', env.dockerHost, ...args], { encoding: 'utf8' }).trim()

describe('the local engine (real dockerd)', () => {
  let instance: Instance
  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
  afterAll(() => instance.close())

  it('reports the engine version, platform and counts the docker CLI sees', async () => {
    const result = await instance.slipway.router.invoke('hosts.engine', { hostId: 'local' })
    expect(result.ok).toBe(true)
    const facts = (result as { value: EngineFacts }).value
    expect(facts.version).toBe(docker('version', '--format', '{{.Server.Version}}'))
    expect(facts.apiVersion).toBe(docker('version', '--format', '{{.Server.APIVersion}}'))
    expect(`${facts.os}/${facts.arch}`).toBe(docker('version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'))
    expect(facts.images).toBe(Number(docker('info', '--format', '{{.Images}}')))
    expect(facts.containers).toBe(Number(docker('info', '--format', '{{.Containers}}')))
    expect(facts.storageDriver).toBe(docker('info', '--format', '{{.Driver}}'))
  })

  it('marks the host connected after a successful probe', async () => {
    await instance.slipway.router.invoke('hosts.engine', { hostId: 'local' })
    const hosts = await instance.slipway.router.invoke('hosts.list', {})
    expect(hosts).toMatchObject({
      ok: true,
      value: [{ id: 'local', kind: 'local', status: 'connected', statusReason: null }],
    })
  })

  it('answers NOT_FOUND for an unknown host', async () => {
    expect(await instance.slipway.router.invoke('hosts.engine', { hostId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })
})

describe('an unreachable local engine', () => {
  it('fails with UNAVAILABLE, marks the host offline and emits the status change', async () => {
    const instance = await startInstance({ dockerHost: `unix://${env.envDir}/no-such-engine.sock` })
    const events: unknown[] = []
    const stop = instance.slipway.bus.on('hosts.status', (e) => events.push(e))
    const started = Date.now()
    const result = await instance.slipway.router.invoke('hosts.engine', { hostId: 'local' })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(JSON.stringify(result)).not.toContain('no-such-engine')
    expect(events).toEqual([{ hostId: 'local', status: 'offline', statusReason: 'UNAVAILABLE', statusDetails: null }])
    expect(await instance.slipway.router.invoke('hosts.list', {})).toMatchObject({
      ok: true,
      value: [{ id: 'local', status: 'offline', statusReason: 'UNAVAILABLE' }],
    })
    stop()
    await instance.close()
  })
})
