/**
 * The restore engine, phase by phase, against the mock Engine API: the whole app composed as
 * usual, with DOCKER_HOST pointing at the mock. The helper's folder scripts are recorded (not run)
 * and tagged by what they do, so each phase's failure shows exactly which undos ran, in order.
 */
import { truncateSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Envelope } from '../../src/shared/errors'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { MockEngine, tarOf } from '../helpers/mockEngine'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { value } from '../helpers/workloadFixtures'

let engine: MockEngine
let instance: Instance
let tar: Buffer
/** The probe's answer for every target: 'dir' unless a test says otherwise. */
let liveKind = 'dir'
/** Scripts whose tag is listed here exit with 18 (the first of each, once). */
let failing: string[] = []

/** What a helper script does, from the pieces it is made of. */
function tags(script: string): string[] {
  const out: string[] = []
  for (const piece of script.split(/\n\)\nr=\$\?.*\n?/)) {
    if (piece.includes('pdev=')) out.push('probe')
    else if (piece.includes('base64 -d')) out.push('journal')
    else if (piece.includes('mkdir -m 0700')) out.push('mkdir')
    else if (piece.includes('chmod')) out.push('seal')
    else if (piece.includes('cross_device')) out.push(`swap ${target(piece)}`)
    else if (piece.includes('if [ -d ./')) out.push(`unswap ${target(piece)}`)
    else if (piece.includes('rm -rf') && piece.includes('slipway-new')) out.push('rm staging')
    else if (piece.includes('rm -rf') && piece.includes('slipway-old')) out.push('rm old')
    else if (piece.includes('rm -f')) out.push('rm journal')
    else if (piece.trim() !== '') out.push('other')
  }
  return out
}
/** The live folder's name: the first quoted name in the script that is not one of Slipway's siblings. */
const target = (piece: string): string =>
  [...piece.matchAll(/\.\/'([^']+)'/g)].map((m) => m[1] ?? '').find((name) => !name.includes('.slipway-')) ?? '?'

/** Every exec so far as its tags, in order. */
const execs = (): string[][] => engine.scripts().map(tags)

beforeEach(async () => {
  liveKind = 'dir'
  failing = []
  engine = await MockEngine.start()
  engine.addImage('app:1')
  tar = await tarOf({ 'a.txt': 'snapshot data\n', 'b.txt': 'more\n' })
  engine.behaviour.archive = () => tar
  engine.behaviour.exec = (cmd) => {
    const script = cmd[2] ?? ''
    const found = tags(script)
    const fail = failing.find((f) => found.includes(f))
    if (fail !== undefined) {
      failing = failing.filter((f) => f !== fail)
      return { exitCode: 18, stdout: 'cross_device\n' }
    }
    const probes = [...script.matchAll(/echo "(\d+) \$pdev/g)].map((m) => `${m[1]} 2049 999999999 ${liveKind} 0 0\n`)
    return { exitCode: 0, stdout: probes.join('') }
  }
  instance = await startInstance({ dockerHost: engine.dockerHost })
})
afterEach(async () => {
  await instance.close()
  engine.expectNoUnhandled()
  await engine.close()
})

async function workloadWithSnapshot(
  volumes: string[] = ['/srv/data'],
): Promise<{ w: WorkloadDetail; snapshot: SnapshotSummary }> {
  const { router } = instance.slipway
  const w = value<WorkloadDetail>(
    await router.invoke('workloads.create', {
      hostId: 'local',
      name: 'db',
      snapshotBeforeDeploy: false,
      services: [
        {
          name: 'app',
          image: 'app:1',
          command: null,
          env: [],
          ports: [],
          volumes: volumes.map((source, i) => ({
            kind: 'bind' as const,
            source,
            target: `/v${i}`,
            readOnly: false,
            excludeFromSnapshots: false,
          })),
          restart: 'no',
        },
      ],
    }),
  )
  value(await router.invoke('workloads.deploy', { workloadId: w.id }))
  const snapshot = value<SnapshotSummary>(
    await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
  )
  return { w, snapshot }
}

async function restore(w: WorkloadDetail, snapshot: SnapshotSummary): Promise<Envelope<unknown>> {
  const mark = engine.scripts().length
  const lifecycleMark = engine.lifecycle().length
  const result = await instance.slipway.router.invoke('restore.start', {
    workloadId: w.id,
    snapshotId: snapshot.id,
    confirm: snapshot.id,
  })
  since = { scripts: mark, lifecycle: lifecycleMark }
  return result
}
let since = { scripts: 0, lifecycle: 0 }
const restoreExecs = (): string[][] => execs().slice(since.scripts)
const restoreLifecycle = (): string[] =>
  engine
    .lifecycle()
    .slice(since.lifecycle)
    .map((c) => c.replace(/-[0-9a-f]{8}$/, '-new'))

async function record(w: WorkloadDetail): Promise<RestoreRecord | undefined> {
  return value<RestoreRecord[]>(await instance.slipway.router.invoke('restore.list', { workloadId: w.id }))[0]
}

describe('the restore engine against the mock engine', () => {
  it('runs every phase in order, each journaled in the exec that does its host work', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    const result = await restore(w, snapshot)
    expect(result.ok).toBe(true)
    expect(restoreExecs()).toEqual([
      ['probe'],
      ['journal', 'mkdir'],
      ['seal', 'journal'],
      ['journal', 'swap data'],
      ['journal'], // swapped
      ['journal'], // deploy
      ['journal'], // preserve
      ['journal'], // cleanup
      ['rm old', 'rm journal'],
    ])
    expect(restoreLifecycle().filter((c) => !c.includes('slipway-helper'))).toEqual([
      'stop db-app',
      'create db-app-new',
      'start db-app-new',
      'remove db-app',
      'rename db-app-new',
    ])
    expect([...engine.containers.values()].map((c) => c.name)).toEqual(['db-app'])
    expect(engine.uploads.map((u) => u.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/h\/0\/\.data\.slipway-new-/)]),
    )
    expect(await record(w)).toMatchObject({ outcome: 'restored', errorCode: null, step: 'done' })
  })

  it('verify: an archive that is not its recorded size is refused before any helper exists', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    truncateSync(join(instance.dataDir, 'snapshots', snapshot.id, 'vol-0.tar.gz'), 10)
    const result = await restore(w, snapshot)
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'hash_mismatch' } } })
    expect(restoreExecs()).toEqual([])
    expect(restoreLifecycle()).toEqual([])
    expect(await record(w)).toMatchObject({ outcome: 'failed', step: 'verify', errorCode: 'hash_mismatch' })
  })

  it('pre-flight: a live folder that is a mount point refuses the restore; nothing was journaled or stopped', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    liveKind = 'mountpoint'
    const result = await restore(w, snapshot)
    expect(result).toMatchObject({ ok: false, error: { details: { reason: 'mount_point' } } })
    expect(restoreExecs()).toEqual([['probe']])
    expect(restoreLifecycle().filter((c) => !c.includes('slipway-helper'))).toEqual([])
    const refused = await record(w)
    expect(refused).toMatchObject({ outcome: 'failed', step: 'preflight', errorCode: 'mount_point' })
    // The failure names its record.
    expect(result.ok ? null : result.error.details?.['restoreId']).toBe(refused?.id)
  })

  it('stage: an upload the engine refuses removes the staged folder, then the journal; the app never stopped', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    engine.fail('PUT', /\/archive$/, 500, 1)
    const result = await restore(w, snapshot)
    expect(result.ok).toBe(false)
    expect(restoreExecs()).toEqual([['probe'], ['journal', 'mkdir'], ['rm staging'], ['rm journal']])
    expect(restoreLifecycle().filter((c) => !c.includes('slipway-helper'))).toEqual([])
    expect(await record(w)).toMatchObject({ outcome: 'failed', volumes: [{ state: 'old' }] })
  })

  it('stop: a stop the engine refuses starts the app again, then removes the staged folder and the journal', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    const app = engine.container('db-app')?.id ?? ''
    engine.fail('POST', new RegExp(`^/containers/${app}/stop$`), 500, 1)
    const result = await restore(w, snapshot)
    expect(result.ok).toBe(false)
    expect(restoreExecs()).toEqual([
      ['probe'],
      ['journal', 'mkdir'],
      ['seal', 'journal'],
      ['rm staging'],
      ['rm journal'],
    ])
    expect(restoreLifecycle().filter((c) => !c.includes('slipway-helper'))).toEqual(['stop db-app', 'start db-app'])
    expect(engine.container('db-app')?.running).toBe(true)
    expect(await record(w)).toMatchObject({ outcome: 'failed' })
    expect(instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
  })

  it('swap: the second volume failing puts back both (newest first), starts the app, then cleans up', async () => {
    const { w, snapshot } = await workloadWithSnapshot(['/srv/one', '/srv/two'])
    failing = ['swap two']
    const result = await restore(w, snapshot)
    expect(result.ok).toBe(false)
    expect(restoreExecs()).toEqual([
      ['probe', 'probe'],
      ['journal', 'mkdir', 'mkdir'],
      ['seal', 'seal', 'journal'],
      ['journal', 'swap one'],
      ['journal', 'swap two'],
      ['unswap two'],
      ['unswap one'],
      ['rm staging'],
      ['rm staging'],
      ['rm journal'],
    ])
    expect(restoreLifecycle().filter((c) => !c.includes('slipway-helper'))).toEqual(['stop db-app', 'start db-app'])
    expect(await record(w)).toMatchObject({ outcome: 'failed', volumes: [{ state: 'old' }, { state: 'old' }] })
  })

  it('deploy: a redeploy that fails starts the previous container on the restored data, and the record says so', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    engine.behaviour.onStart = (c) => (/^db-app-[0-9a-f]{8}$/.test(c.name) ? { exitCode: 1 } : 'running')
    const result = value<RestoreRecord>(await restore(w, snapshot))
    expect(result).toMatchObject({ outcome: 'restored', errorCode: 'redeploy_failed', volumes: [{ state: 'new' }] })
    expect(engine.container('db-app')?.running).toBe(true)
    expect(result.preRestoreSnapshotId).not.toBeNull()
  })

  it('deploy: when the app does not run on the restored data at all, the record is restored_not_running', async () => {
    const { w, snapshot } = await workloadWithSnapshot()
    engine.behaviour.onStart = (c) => (c.name.startsWith('db-app') ? { exitCode: 1 } : 'running')
    const result = value<RestoreRecord>(await restore(w, snapshot))
    expect(result).toMatchObject({
      outcome: 'restored_not_running',
      errorCode: 'start_failed',
      volumes: [{ state: 'new' }],
    })
    expect(engine.container('db-app')?.running).toBe(false)
  })
})
