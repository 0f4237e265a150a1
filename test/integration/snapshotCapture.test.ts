import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DirectoryListing, FilePreview, SnapshotSummary, VerifyResult } from '../../src/shared/types/snapshots'
import type { JobProgress } from '../../src/shared/types/jobs'
import { docker, helperContainersOf, importedImage, populatedVolume, removeWorkloadContainers } from '../helpers/images'
import { PrivateSshd } from '../helpers/sshd'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

function volumeData(name: string): string {
  return docker('volume', 'inspect', '--format', '{{.Mountpoint}}', name)
}

function untar(archive: string): string {
  const out = tempDir('slipway-untar-')
  execFileSync('tar', ['-xzpf', archive, '-C', out])
  return out
}

describe('capturing volumes', () => {
  let instance: Instance

  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  function sourceVolumes(prefix: string): { bind: string; volume: string } {
    const root = tempDir(`${prefix}-`)
    const bind = join(root, 'pgdata')
    buildTree(bind, databaseLikeTree(prefix))
    chmodSync(bind, 0o700)
    const volume = `${prefix}-${Date.now()}`
    populatedVolume(
      volume,
      'mkdir -p /d/a/b /d/empty && echo hello > /d/a/f && chmod 600 /d/a/f && chown 33:33 /d/a/f && ln -s a/f /d/link && touch -d @1600000000 /d/a/f',
    )
    return { bind, volume }
  }

  async function checkSnapshot(inst: Instance, snapshot: SnapshotSummary, bind: string, volume: string): Promise<void> {
    expect(snapshot.volumes.map((v) => [v.kind, v.mounts[0]?.target])).toEqual([
      ['bind', '/var/lib/postgresql/data'],
      ['volume', '/cache'],
    ])
    const dir = join(inst.dataDir, 'snapshots', snapshot.id)
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'vol-0.tar.gz', 'vol-1.tar.gz'])
    // `tar -xzf` opens each archive, and what comes out is the source, exactly.
    expect(readTree(untar(join(dir, 'vol-0.tar.gz')), { rootAttributes: true })).toEqual(
      readTree(bind, { rootAttributes: true }),
    )
    expect(readTree(untar(join(dir, 'vol-1.tar.gz')), { rootAttributes: true })).toEqual(
      readTree(volumeData(volume), { rootAttributes: true }),
    )
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      volumes: { sha256: string; files: number }[]
    }
    const sha = execFileSync('sha256sum', [join(dir, 'vol-0.tar.gz')], { encoding: 'utf8' }).split(' ')[0]
    expect(manifest.volumes[0]?.sha256).toBe(sha)
    expect(
      value<VerifyResult>(await inst.slipway.router.invoke('snapshots.verify', { snapshotId: snapshot.id })).ok,
    ).toBe(true)
  }

  it('captures a bind mount (root-owned, 0700) and a named volume locally, exactly as tar sees them', async () => {
    const { bind, volume } = sourceVolumes('local-cap')
    const w = await deployedWorkload(instance, 'local', 'capture-local', [
      { kind: 'bind', source: bind, target: '/var/lib/postgresql/data' },
      { kind: 'volume', source: volume, target: '/cache' },
      { kind: 'bind', source: tempDir('media-'), target: '/media', excludeFromSnapshots: true },
    ])
    const progress: JobProgress[] = []
    instance.slipway.bus.on('jobs.progress', (e) => progress.push(e))
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: 'first' }),
    )
    expect(snapshot).toMatchObject({ workloadId: w.id, label: 'first', origin: 'manual', mode: 'stop', pinned: false })
    await checkSnapshot(instance, snapshot, bind, volume)
    expect(progress.some((p) => p.kind === 'capture' && p.phase === 'stop')).toBe(true)
    expect(progress.at(-1)).toMatchObject({ kind: 'capture', state: 'succeeded', subject: w.id })
    // The app runs again after a stopping capture.
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')

    // Offline browsing data: the index answers without reading the archive.
    const root = value<DirectoryListing>(
      await instance.slipway.router.invoke('snapshots.browse', {
        snapshotId: snapshot.id,
        volume: 0,
        dir: '',
        offset: 0,
        limit: 100,
      }),
    )
    // The engine's tar writer makes whichever of two hard-linked names it meets second the link.
    expect(root.entries.map((e) => [e.name, e.name.startsWith('config.') ? 'file-or-link' : e.type])).toEqual([
      ['base', 'directory'],
      ['empty', 'directory'],
      ['config.link', 'file-or-link'],
      ['config.yml', 'file-or-link'],
      ['current', 'symlink'],
      ['run.sh', 'file'],
      ['unicode-名前.txt', 'file'],
    ])
    expect(
      root.entries
        .filter((e) => e.name.startsWith('config.'))
        .map((e) => e.type)
        .sort(),
    ).toEqual(['file', 'hardlink'])
    expect(root.entries.find((e) => e.name === 'current')?.linkTarget).toBe('base/1')
    const preview = value<FilePreview>(
      await instance.slipway.router.invoke('snapshots.preview', {
        snapshotId: snapshot.id,
        volume: 0,
        path: 'config.yml',
      }),
    )
    expect(preview).toEqual({ text: 'name: local-cap\nport: 5432\n', truncated: false, size: 27 })
  })

  it('captures over SSH as the non-root docker-group user, although the folders are root-only', async () => {
    const sshd = await PrivateSshd.start()
    const { bind: bindDir, volume: volumeName } = sourceVolumes('ssh-cap')
    try {
      const host = await addTrustedSshHost(instance, sshd)
      // The SSH user itself cannot read the data.
      expect(() =>
        execFileSync(
          'ssh',
          [
            '-i',
            env.ssh.keyPath,
            '-p',
            String(sshd.port),
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'BatchMode=yes',
            `${env.ssh.user}@127.0.0.1`,
            'ls',
            bindDir,
          ],
          { stdio: 'pipe' },
        ),
      ).toThrow()
      const w = await deployedWorkload(instance, host.id, 'capture-ssh', [
        { kind: 'bind', source: bindDir, target: '/var/lib/postgresql/data' },
        { kind: 'volume', source: volumeName, target: '/cache' },
      ])
      const snapshot = value<SnapshotSummary>(
        await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
      )
      expect(snapshot).toMatchObject({ hostId: host.id, hostName: 'remote', mode: 'live' })
      await checkSnapshot(instance, snapshot, bindDir, volumeName)
      value(await instance.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
    } finally {
      await sshd.close()
    }
  })

  it('a cancelled capture leaves no file, no row and no index, and the app running', async () => {
    const big = tempDir('big-')
    execFileSync('dd', ['if=/dev/urandom', `of=${join(big, 'blob')}`, 'bs=1M', 'count=256'], { stdio: 'ignore' })
    const w = await deployedWorkload(instance, 'local', 'capture-cancel', [
      { kind: 'bind', source: big, target: '/big' },
    ])
    const before = readdirSync(join(instance.dataDir, 'snapshots')).sort()
    const stopSub = instance.slipway.bus.on('jobs.progress', (e) => {
      if (
        e.kind === 'capture' &&
        e.subject === w.id &&
        e.phase === 'read' &&
        e.done > 32 * 1024 * 1024 &&
        e.state === 'running'
      ) {
        void instance.slipway.router.invoke('jobs.cancel', { jobId: e.jobId })
      }
    })
    const result = await instance.slipway.router.invoke('snapshots.capture', {
      workloadId: w.id,
      mode: 'stop',
      label: null,
    })
    stopSub()
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
    expect(readdirSync(join(instance.dataDir, 'snapshots')).sort()).toEqual(before)
    expect(
      value<SnapshotSummary[]>(await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id })),
    ).toEqual([])
    expect(
      instance.slipway.db
        .prepare('SELECT COUNT(*) AS n FROM snapshot_files WHERE snapshot_id NOT IN (SELECT id FROM snapshots)')
        .get(),
    ).toEqual({ n: 0 })
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
    expect(helperContainersOf(instance.installationId())).toEqual([])
  })

  it('keeps working offline: list, browse, preview, extract, export and import with no engine', async () => {
    const snapshots = value<SnapshotSummary[]>(await instance.slipway.router.invoke('snapshots.list', {}))
    const snapshot = snapshots.find((s) => s.workloadName === 'capture-local')
    if (snapshot === undefined) throw new Error('no snapshot from the first test')
    await instance.slipway.stop()
    const offline = await startInstance({
      dockerHost: `unix://${env.envDir}/no-engine.sock`,
      dataDir: instance.dataDir,
      homeDir: instance.homeDir,
    })
    try {
      const { router } = offline.slipway
      expect(value<SnapshotSummary[]>(await router.invoke('snapshots.list', {})).map((s) => s.id)).toContain(
        snapshot.id,
      )
      const sub = value<DirectoryListing>(
        await router.invoke('snapshots.browse', {
          snapshotId: snapshot.id,
          volume: 0,
          dir: 'base/1',
          offset: 0,
          limit: 10,
        }),
      )
      expect(sub.entries.map((e) => e.name)).toEqual(['16384', 'PG_VERSION'])
      expect(
        value<FilePreview>(
          await router.invoke('snapshots.preview', { snapshotId: snapshot.id, volume: 0, path: 'base/1/PG_VERSION' }),
        ).text,
      ).toBe('16\n')
      expect(
        value<FilePreview>(
          await router.invoke('snapshots.preview', { snapshotId: snapshot.id, volume: 0, path: 'base/1/16384' }),
        ).text,
      ).toBeNull()

      const out = tempDir('extract-')
      const file = value<{ path: string }>(
        await router.invoke('snapshots.extract', {
          snapshotId: snapshot.id,
          volume: 0,
          path: 'config.yml',
          destination: out,
        }),
      )
      expect(readFileSync(file.path, 'utf8')).toBe('name: local-cap\nport: 5432\n')
      const folder = value<{ path: string }>(
        await router.invoke('snapshots.extract', {
          snapshotId: snapshot.id,
          volume: 0,
          path: 'base',
          destination: out,
        }),
      )
      expect(readdirSync(join(folder.path, '1')).sort()).toEqual(['16384', 'PG_VERSION'])
      expect(readdirSync(out).sort()).toEqual(['base', 'config.yml'])
      expect(
        await router.invoke('snapshots.extract', {
          snapshotId: snapshot.id,
          volume: 0,
          path: 'config.yml',
          destination: out,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      })

      const exported = value<{ path: string }>(
        await router.invoke('snapshots.export', { snapshotId: snapshot.id, destination: tempDir('export-') }),
      )
      expect(existsSync(exported.path)).toBe(true)
      const elsewhere = await startInstance({ dockerHost: `unix://${env.envDir}/no-engine.sock` })
      try {
        const imported = value<SnapshotSummary>(
          await elsewhere.slipway.router.invoke('snapshots.import', { path: exported.path }),
        )
        expect(imported).toMatchObject({
          id: snapshot.id,
          origin: 'import',
          workloadId: null,
          workloadName: 'capture-local',
          files: snapshot.files,
        })
        const listing = value<DirectoryListing>(
          await elsewhere.slipway.router.invoke('snapshots.browse', {
            snapshotId: snapshot.id,
            volume: 1,
            dir: 'a',
            offset: 0,
            limit: 10,
          }),
        )
        expect(listing.entries.map((e) => e.name)).toEqual(['b', 'f'])
        expect(
          value<VerifyResult>(await elsewhere.slipway.router.invoke('snapshots.verify', { snapshotId: snapshot.id }))
            .ok,
        ).toBe(true)
        expect(await elsewhere.slipway.router.invoke('snapshots.import', { path: exported.path })).toMatchObject({
          ok: false,
          error: { code: 'CONFLICT' },
        })
      } finally {
        await elsewhere.close()
      }

      // A damaged archive no longer verifies.
      const archive = join(offline.dataDir, 'snapshots', snapshot.id, 'vol-0.tar.gz')
      const bytes = readFileSync(archive)
      const middle = Math.floor(bytes.length / 2)
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff
      writeFileSync(archive, bytes)
      expect(value<VerifyResult>(await router.invoke('snapshots.verify', { snapshotId: snapshot.id }))).toEqual({
        ok: false,
        volumes: [
          { index: 0, ok: false },
          { index: 1, ok: true },
        ],
      })
    } finally {
      await offline.close()
    }
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
})
