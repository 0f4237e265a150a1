/**
 * Every volume the engine can hold round-trips, links included: an absolute link into the volume
 * itself, one to /dev/stdout, a dangling one, a PostgreSQL tablespace-like one and a relative one
 * that climbs out (which the engine's own extractor refuses to make) are captured, restored —
 * locally and over SSH — and compare exactly; a file inside extracts; a link extracts as a link.
 */
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { DirectoryListing, SnapshotSummary } from '../../src/shared/types/snapshots'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, readTree, type TreeSpec } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const t = 1_700_000_000

const linkyVolume: TreeSpec = {
  releases: { type: 'dir', mode: 0o755, mtime: t },
  'releases/7': { type: 'dir', mode: 0o755, mtime: t + 1 },
  'releases/7/app.txt': { type: 'file', content: 'release 7\n', mode: 0o644, mtime: t + 2 },
  // Absolute, into the volume as the app sees it (mounted at /data).
  current: { type: 'symlink', target: '/data/releases/7', mtime: t + 3 },
  log: { type: 'symlink', target: '/dev/stdout', mtime: t + 4 },
  dangling: { type: 'symlink', target: 'no/such/thing', mtime: t + 5 },
  pg_tblspc: { type: 'dir', mode: 0o700, mtime: t + 6 },
  'pg_tblspc/16384': { type: 'symlink', target: '/ts', mtime: t + 7 },
  // Relative, climbing out of the volume: the engine's extractor will not make this one.
  shared: { type: 'symlink', target: '../shared-elsewhere', mtime: t + 8 },
  'releases/7/up': { type: 'symlink', target: '../../../outside/x', mtime: t + 9 },
}

describe.each(['local', 'ssh'] as const)('a volume of links that point anywhere (%s engine)', (where) => {
  let instance: Instance
  let hostId = 'local'
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
    if (where === 'ssh')
      hostId = (await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub })).id
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it('captures, restores exactly, and extracts a file and a link from it', async () => {
    const { router } = instance.slipway
    const bind = join(mkdtempSync(join(tmpdir(), `links-${where}-`)), 'data')
    buildTree(bind, linkyVolume)
    const w = await deployedWorkload(instance, hostId, `links-${where}`, [
      { kind: 'bind', source: bind, target: '/data' },
    ])
    const snapshot = value<SnapshotSummary>(
      await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
    )
    const captured = readTree(bind, { rootAttributes: true })

    // The index shows links as links, with their targets.
    const listing = value<DirectoryListing>(
      await router.invoke('snapshots.browse', { snapshotId: snapshot.id, volume: 0, dir: '', offset: 0, limit: 100 }),
    )
    expect(listing.entries.find((e) => e.name === 'current')).toMatchObject({
      type: 'symlink',
      linkTarget: '/data/releases/7',
    })
    expect(listing.entries.find((e) => e.name === 'shared')).toMatchObject({
      type: 'symlink',
      linkTarget: '../shared-elsewhere',
    })

    // Damage every kind of entry, then restore.
    writeFileSync(join(bind, 'releases/7/app.txt'), 'broken\n')
    buildTree(join(bind, 'releases'), { '8': { type: 'dir' } })
    const record = value<RestoreRecord>(
      await router.invoke('restore.start', { workloadId: w.id, snapshotId: snapshot.id, confirm: snapshot.id }),
    )
    expect(record.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(captured)

    // A file inside extracts, and a link extracts as a link (never followed).
    const out = tempDir(`links-out-${where}-`)
    const file = value<{ path: string }>(
      await router.invoke('snapshots.extract', {
        snapshotId: snapshot.id,
        volume: 0,
        path: 'releases/7/app.txt',
        destination: out,
      }),
    )
    expect(readFileSync(file.path, 'utf8')).toBe('release 7\n')
    const link = value<{ path: string }>(
      await router.invoke('snapshots.extract', {
        snapshotId: snapshot.id,
        volume: 0,
        path: 'shared',
        destination: out,
      }),
    )
    expect(lstatSync(link.path).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link.path)).toBe('../shared-elsewhere')
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
  })

  it('refuses at capture time a volume that holds what a restore would refuse, naming it', async () => {
    const { router } = instance.slipway
    const bind = join(mkdtempSync(join(tmpdir(), `fifo-${where}-`)), 'data')
    buildTree(bind, { 'ok.txt': { type: 'file', content: 'fine\n' } })
    execFileSync('mkfifo', [join(bind, 'pipe')])
    const w = await deployedWorkload(instance, hostId, `fifo-${where}`, [
      { kind: 'bind', source: bind, target: '/data' },
    ])
    const result = await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        details: { reason: 'unrestorable', rule: 'entry_type', entry: './pipe', volume: '/data' },
      },
    })
    expect(value<SnapshotSummary[]>(await router.invoke('snapshots.list', { workloadId: w.id }))).toEqual([])
    // The app it stopped for the capture runs again.
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
  })
})
