import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/main/errors'
import { withWeakStorageConsent } from '../../src/main/platform/secretConsent'
import { memorySecrets } from '../helpers/dispatchRig'
import { startInstance, type Instance } from '../helpers/slipwayInstance'

describe('secrets without an OS keychain', () => {
  it('are not stored until the user agrees, and then are', async () => {
    let agreed = false
    const store = withWeakStorageConsent(memorySecrets('weak'), () => agreed)
    const refused = await store.set('ssh-passphrase:h1', 'hunter2').then(
      () => null,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { reason: 'weak_secret_storage' } })
    expect(await store.get('ssh-passphrase:h1')).toBeNull()
    agreed = true
    await store.set('ssh-passphrase:h1', 'hunter2')
    expect(await store.get('ssh-passphrase:h1')).toBe('hunter2')
  })

  it('with a keychain, need no agreement', async () => {
    const store = withWeakStorageConsent(memorySecrets('os'), () => false)
    await store.set('k', 'v')
    expect(await store.get('k')).toBe('v')
  })
})

describe('the data folder at rest', () => {
  let instance: Instance | undefined
  afterEach(async () => {
    await instance?.close()
    instance = undefined
  })

  it('is the owner’s alone: the folder 0700, the database and its WAL files 0600', async () => {
    instance = await startInstance({ dockerHost: 'unix:///nonexistent/slipway-test.sock', start: false })
    await instance.slipway.router.invoke('settings.update', { deployHistoryLimit: 7 })
    const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8)
    expect(mode(instance.dataDir)).toBe('700')
    for (const file of ['slipway.db', 'slipway.db-wal', 'slipway.db-shm'])
      expect(mode(join(instance.dataDir, file))).toBe('600')
    expect(mode(join(instance.dataDir, 'logs/main.log'))).toBe('600')
  })

  it('a call whose engine cannot be reached answers UNAVAILABLE, not INTERNAL', async () => {
    instance = await startInstance({ dockerHost: 'unix:///nonexistent/slipway-test.sock', start: false })
    const { router } = instance.slipway
    const created = await router.invoke('workloads.create', {
      hostId: 'local',
      name: 'offline',
      snapshotBeforeDeploy: false,
      services: [{ name: 'app', image: 'busybox:1', command: null, env: [], ports: [], volumes: [], restart: 'no' }],
    })
    if (!created.ok) throw new Error('create failed')
    const id = (created.value as { id: string }).id
    expect(await router.invoke('workloads.delete', { workloadId: id, keepVolumes: false })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    })
    expect(await router.invoke('workloads.deploy', { workloadId: id })).toMatchObject({
      ok: false,
      error: { code: 'DEPLOY_FAILED', details: { reason: 'engine_unavailable' } },
    })
  })
})
