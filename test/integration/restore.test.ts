import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import type { DeployRecord, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, helperContainersOf, importedImage, populatedVolume, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, largerThanBuffersTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

function volumeData(name: string): string {
  return docker('volume', 'inspect', '--format', '{{.Mountpoint}}', name)
}

function runningImage(workloadId: string): string {
  const id = docker('ps', '-q', '--filter', `label=io.slipway.workload=${workloadId}`)
  return id === '' ? '' : docker('inspect', '--format', '{{.Image}}', id)
}

describe('restore on the real engine', () => {
  let instance: Instance
  /** A journal step that throws right after it is journaled, once (a failure the engine did not foresee). */
  let failAt = ''
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({
      dockerHost: env.dockerHost,
      afterRestoreJournal: (step) => {
        if (step === failAt) throw new Error(`injected failure at ${step}`)
      },
    })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  async function fixture(name: string) {
    const root = tempDir(`${name}-`)
    const bind = join(root, 'pgdata')
    buildTree(bind, databaseLikeTree(name))
    execFileSync('chmod', ['0700', bind])
    const volume = `${name}-${Date.now()}`
    populatedVolume(volume, 'mkdir -p /d/a && echo v1 > /d/a/f && chown 33:33 /d/a/f && ln -s a/f /d/link')
    const w = await deployedWorkload(instance, 'local', name, [
      { kind: 'bind', source: bind, target: '/var/lib/postgresql/data' },
      { kind: 'volume', source: volume, target: '/cache' },
    ])
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: 'good' }),
    )
    const expected = {
      bind: readTree(bind, { rootAttributes: true }),
      volume: readTree(volumeData(volume), { rootAttributes: true }),
    }
    return { w, bind, volume, snapshot, expected }
  }

  /** A workload on `bind` at /data: snapshot it, let `change` alter it, restore; what it held and the record. */
  async function snapshotChangeRestore(
    name: string,
    bind: string,
    change: () => void,
  ): Promise<{ expected: ReturnType<typeof readTree>; record: RestoreRecord }> {
    const w = await deployedWorkload(instance, 'local', name, [{ kind: 'bind', source: bind, target: '/data' }])
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
    )
    const expected = readTree(bind, { rootAttributes: true })
    change()
    const record = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
      }),
    )
    return { expected, record }
  }

  /** A restore that throws right after `step` is journaled: it fails. */
  async function restoreFailingAt(step: string, workloadId: string, snapshotId: string): Promise<void> {
    failAt = step
    try {
      const result = await instance.slipway.router.invoke('restore.start', {
        workloadId,
        snapshotId,
        confirm: snapshotId,
      })
      expect(result.ok).toBe(false)
    } finally {
      failAt = ''
    }
  }

  /** No Slipway folders or journals beside the live folders. */
  function expectNoLeftovers(bind: string, volume: string): void {
    expect(readdirSync(dirname(bind)).filter((n) => n.includes('slipway'))).toEqual([])
    expect(readdirSync(dirname(volumeData(volume))).filter((n) => n.includes('slipway'))).toEqual([])
  }

  function damage(bind: string, volume: string): void {
    writeFileSync(join(bind, 'config.yml'), 'broken\n')
    execFileSync('rm', ['-rf', join(bind, 'base')])
    writeFileSync(join(bind, 'new-file'), 'should vanish')
    execFileSync('chmod', ['0755', bind])
    writeFileSync(join(volumeData(volume), 'a/f'), 'v2\n')
  }

  it('replaces the live data with the snapshot exactly, keeps the app on its image, and keeps a pinned pre-restore snapshot', async () => {
    const { w, bind, volume, snapshot, expected } = await fixture('restore-happy')
    const imageBefore = runningImage(w.id)
    damage(bind, volume)
    const damaged = readTree(bind, { rootAttributes: true })

    const record = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
      }),
    )
    expect(record).toMatchObject({ outcome: 'restored', step: 'done', recovered: false })
    expect(record.volumes.map((v) => v.state)).toEqual(['new', 'new'])
    expect(readTree(bind, { rootAttributes: true })).toEqual(expected.bind)
    expect(readTree(volumeData(volume), { rootAttributes: true })).toEqual(expected.volume)
    expect(runningImage(w.id)).toBe(imageBefore)

    const history = value<DeployRecord[]>(
      await instance.slipway.router.invoke('workloads.history', { workloadId: w.id }),
    )
    expect(history[0]).toMatchObject({ reason: 'restore', status: 'success' })

    expectNoLeftovers(bind, volume)

    // The pre-restore snapshot holds the damaged data, is pinned, and can undo the restore.
    const pre = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.get', { snapshotId: record.preRestoreSnapshotId ?? '' }),
    )
    expect(pre).toMatchObject({ origin: 'pre-restore', pinned: true, workloadId: w.id })
    const undo = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', { workloadId: w.id, snapshotId: pre.id, confirm: pre.id }),
    )
    expect(undo.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(damaged)
  })

  it('restores a volume far larger than its staging buffers exactly, over both upload lanes', async () => {
    const root = tempDir('restore-big-')
    const bind = join(root, 'data')
    buildTree(bind, largerThanBuffersTree('big'))
    const { expected, record } = await snapshotChangeRestore('restore-big', bind, () =>
      execFileSync('rm', ['-rf', join(bind, 'many'), join(bind, 'blobs')]),
    )
    expect(record.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(expected)
    expect(helperContainersOf(instance.installationId())).toEqual([])
  })

  it('restores a live folder whose name starts with a dash and holds quotes and shell syntax, running none of it', async () => {
    const root = tempDir('restore-odd-name-')
    const name = `-it's "$(touch PWNED)" \`touch PWNED2\` $HOME a:b`
    const bind = join(root, name)
    buildTree(bind, databaseLikeTree('odd'))
    const { expected, record } = await snapshotChangeRestore('restore-odd-name', bind, () =>
      writeFileSync(join(bind, 'config.yml'), 'changed\n'),
    )
    expect(record.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(expected)
    expect(readdirSync(root)).toEqual([name])
  })

  it('refuses bad requests before touching anything', async () => {
    const { w, snapshot } = await fixture('restore-refusals')
    const other = await deployedWorkload(instance, 'local', 'restore-other', [
      { kind: 'bind', source: tempDir('other-'), target: '/data' },
    ])
    const { router } = instance.slipway
    expect(
      await router.invoke('restore.start', { workloadId: w.id, snapshotId: snapshot.id, confirm: 'nope' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', details: { field: 'confirm' } },
    })
    expect(
      await router.invoke('restore.start', { workloadId: other.id, snapshotId: snapshot.id, confirm: snapshot.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', details: { field: 'snapshotId' } },
    })
    expect(
      await router.invoke('restore.start', { workloadId: w.id, snapshotId: 'missing', confirm: 'missing' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })

    // Config drift: the snapshot's /cache volume is no longer in the workload.
    const detail = value<WorkloadDetail>(await router.invoke('workloads.get', { workloadId: w.id }))
    const service = detail.services[0]
    if (service === undefined) throw new Error('no service')
    value(
      await router.invoke('workloads.update', {
        workloadId: w.id,
        name: detail.name,
        snapshotBeforeDeploy: false,
        services: [
          { ...service, command: null, env: [], volumes: service.volumes.filter((v) => v.target !== '/cache') },
        ],
      }),
    )
    const before = docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)
    expect(
      await router.invoke('restore.start', { workloadId: w.id, snapshotId: snapshot.id, confirm: snapshot.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'config_drift', target: '/cache' } },
    })
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).toBe(before)
    // The refusal is in the workload's restore history: who, when, which snapshot, why.
    const [audit] = value<RestoreRecord[]>(await router.invoke('restore.list', { workloadId: w.id }))
    expect(audit).toMatchObject({
      snapshotId: snapshot.id,
      outcome: 'failed',
      step: 'preflight',
      errorCode: 'config_drift',
      volumes: [],
    })
    expect(audit?.finishedAt).not.toBeNull()
  })

  it('a second restore of the same workload is BUSY, a deploy waits for the lock', async () => {
    const { w, snapshot } = await fixture('restore-busy')
    const { router } = instance.slipway
    const first = router.invoke('restore.start', { workloadId: w.id, snapshotId: snapshot.id, confirm: snapshot.id })
    await new Promise((r) => setTimeout(r, 50))
    const second = await router.invoke('restore.start', {
      workloadId: w.id,
      snapshotId: snapshot.id,
      confirm: snapshot.id,
    })
    expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } })
    const order: string[] = []
    const deploy = router.invoke('workloads.redeploy', { workloadId: w.id }).then((r) => order.push(`deploy:${r.ok}`))
    const restored = await first
    order.push(`restore:${restored.ok}`)
    await deploy
    expect(order).toEqual(['restore:true', 'deploy:true'])
  })

  it('a manifest edited to point elsewhere changes nothing outside the resolved targets', async () => {
    const { w, snapshot, bind, expected } = await fixture('restore-tampered')
    const canary = tempDir('canary-')
    writeFileSync(join(canary, 'keep'), 'untouched')
    const manifestPath = join(instance.dataDir, 'snapshots', snapshot.id, 'manifest.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { volumes: { source: string }[] }
    for (const v of manifest.volumes) v.source = '../../etc'
    writeFileSync(manifestPath, JSON.stringify(manifest))
    instance.slipway.db.prepare('UPDATE snapshots SET manifest = ? WHERE id = ?').run(
      JSON.stringify({
        ...JSON.parse(readFileSync(manifestPath, 'utf8')),
        volumes: manifest.volumes.map((v) => ({ ...v, source: canary })),
      }),
      snapshot.id,
    )
    writeFileSync(join(bind, 'config.yml'), 'changed\n')
    // Where the edited manifest points: the host's /etc, as this test's process sees it.
    const etc = (): { names: string[]; hostname: { text: string; mtimeMs: number } } => ({
      names: readdirSync('/etc').sort(),
      hostname: { text: readFileSync('/etc/hostname', 'utf8'), mtimeMs: statSync('/etc/hostname').mtimeMs },
    })
    const etcBefore = etc()
    const record = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
      }),
    )
    expect(record.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(expected.bind)
    expect(readdirSync(canary)).toEqual(['keep'])
    expect(readFileSync(join(canary, 'keep'), 'utf8')).toBe('untouched')
    expect(etc()).toEqual(etcBefore)
  })

  it.each(['stage', 'stop'])(
    'a restore that fails after %s is put back at once by its undos: failed, every volume old, no temp folders, the app running',
    async (step) => {
      const { w, bind, volume, snapshot } = await fixture(`restore-undone-${step}`)
      damage(bind, volume)
      const damaged = { bind: readTree(bind, { rootAttributes: true }), volume: readTree(volumeData(volume)) }
      await restoreFailingAt(step, w.id, snapshot.id)
      const [record] = value<RestoreRecord[]>(
        await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
      )
      expect(record).toMatchObject({ outcome: 'failed', recovered: false, preRestoreSnapshotId: null })
      expect(record?.volumes.map((v) => v.state)).toEqual(['old', 'old'])
      expect(readTree(bind, { rootAttributes: true })).toEqual(damaged.bind)
      expect(readTree(volumeData(volume))).toEqual(damaged.volume)
      expectNoLeftovers(bind, volume)
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
      expect(instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    },
  )

  it.each(['swapped', 'deploy', 'preserve'])(
    'a restore that fails after %s (past its point of no return) is rolled forward by a recovery sweep at once: restored, no temp folders, the app running',
    async (step) => {
      const { w, bind, volume, snapshot, expected } = await fixture(`restore-unfinished-${step}`)
      damage(bind, volume)
      await restoreFailingAt(step, w.id, snapshot.id)
      await expect
        .poll(
          async () =>
            value<RestoreRecord[]>(await instance.slipway.router.invoke('restore.list', { workloadId: w.id }))[0],
          { timeout: 30_000, interval: 200 },
        )
        .toMatchObject({ outcome: 'restored', recovered: true })
      expect(readTree(bind, { rootAttributes: true })).toEqual(expected.bind)
      expectNoLeftovers(bind, volume)
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
      const [record] = value<RestoreRecord[]>(
        await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
      )
      expect(record?.preRestoreSnapshotId).not.toBeNull()
    },
  )

  it('a restore whose app will not run on the restored data ends restored_not_running, and says why', async () => {
    const bind = join(tempDir('restore-poison-'), 'data')
    buildTree(bind, databaseLikeTree('poison'))
    const w = await deployedWorkload(
      instance,
      'local',
      'restore-poison',
      [{ kind: 'bind', source: bind, target: '/data' }],
      {
        command: ['/bin/sh', '-c', "[ -f /data/poison ] && exit 3; trap 'exit 0' TERM; sleep 3600 & wait"],
      },
    )
    // A snapshot of data the app refuses to start on.
    writeFileSync(join(bind, 'poison'), 'x')
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
    )
    const poisoned = readTree(bind, { rootAttributes: true })
    execFileSync('rm', [join(bind, 'poison')])
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')

    const record = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
      }),
    )
    expect(record).toMatchObject({ outcome: 'restored_not_running', errorCode: 'start_failed', recovered: false })
    expect(record.volumes.map((v) => v.state)).toEqual(['new'])
    expect(readTree(bind, { rootAttributes: true })).toEqual(poisoned)
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).toBe('')
    const pre = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.get', { snapshotId: record.preRestoreSnapshotId ?? '' }),
    )
    expect(pre).toMatchObject({ origin: 'pre-restore', pinned: true })
    expect(readdirSync(dirname(bind)).filter((n) => n.includes('slipway'))).toEqual([])
  })

  it.each(['swap:0', 'swap:1'])(
    'a swap whose answer is lost after its renames (%s) is put back too: every volume old, the app running',
    async (step) => {
      const { w, bind, volume, snapshot } = await fixture(`restore-lost-${step.replace(':', '-')}`)
      damage(bind, volume)
      const damaged = { bind: readTree(bind, { rootAttributes: true }), volume: readTree(volumeData(volume)) }
      await restoreFailingAt(step, w.id, snapshot.id)
      const [record] = value<RestoreRecord[]>(
        await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
      )
      expect(record).toMatchObject({ outcome: 'failed', recovered: false })
      expect(record?.volumes.map((v) => v.state)).toEqual(['old', 'old'])
      expect(readTree(bind, { rootAttributes: true })).toEqual(damaged.bind)
      expect(readTree(volumeData(volume))).toEqual(damaged.volume)
      expectNoLeftovers(bind, volume)
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
    },
  )
})
