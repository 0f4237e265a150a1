/**
 * Snapshot stores against Debian's restic: a folder repository, SFTP to the test sshd (over the
 * host's own SSH connection), and a REST server (`rclone serve restic` on loopback). Round trips
 * are compared tree for tree; secrets are looked for in every place they must not be.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import type { CatalogResult, StoreLocation, StoreSummary, StoreVerifyResult } from '../../src/shared/types/stores'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, importedImage, populatedVolume, removeWorkloadContainers } from '../helpers/images'
import { PrivateSshd } from '../helpers/sshd'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { heldLock } from '../helpers/resticLock'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const PASSWORD = 'store-pw-7f3a9c1e-never-anywhere'
const REST_PASSWORD = 'rest-pw-51d0b2aa-never-anywhere'

function volumeData(name: string): string {
  return docker('volume', 'inspect', '--format', '{{.Mountpoint}}', name)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** Every restic command line seen while `during` runs (from /proc, as another user of the machine sees it). */
async function resticCommandLines<T>(during: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines = new Set<string>()
  const poll = setInterval(() => {
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
        if (cmdline.includes('restic')) lines.add(cmdline)
      } catch {
        // The process ended between the listing and the read.
      }
    }
  }, 5)
  try {
    return { result: await during(), lines: [...lines] }
  } finally {
    clearInterval(poll)
  }
}

describe('snapshot stores (restic)', () => {
  let instance: Instance

  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  async function addStore(inst: Instance, name: string, location: StoreLocation, extra = {}): Promise<StoreSummary> {
    return value<StoreSummary>(
      await inst.slipway.router.invoke('stores.add', {
        name,
        location,
        password: PASSWORD,
        backendSecret: null,
        mode: 'create',
        ...extra,
      }),
    )
  }

  async function workloadOnStore(name: string, storeId: string, local: boolean) {
    const root = tempDir(`${name}-`)
    const bind = join(root, 'pgdata')
    buildTree(bind, databaseLikeTree(name))
    execFileSync('chmod', ['0700', bind])
    const volume = `${name}-${Date.now()}`
    populatedVolume(
      volume,
      'mkdir -p /d/a/b && echo v1 > /d/a/f && chmod 640 /d/a/f && chown 33:33 /d/a/f && ln -s a/f /d/link && ln /d/a/f /d/a/hard && touch -d @1600000000 /d/a/f',
    )
    const w = await deployedWorkload(instance, 'local', name, [
      { kind: 'bind', source: bind, target: '/var/lib/postgresql/data' },
      { kind: 'volume', source: volume, target: '/cache' },
    ])
    value(
      await instance.slipway.router.invoke('snapshots.setDestinations', {
        workloadId: w.id,
        local,
        stores: [{ storeId, keepLast: 5, keepDaily: 0, keepWeekly: 0 }],
      }),
    )
    return { w, bind, volume }
  }

  async function capture(inst: Instance, workloadId: string, label: string | null = null): Promise<SnapshotSummary> {
    return value<SnapshotSummary>(
      await inst.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'stop', label }),
    )
  }

  async function restore(inst: Instance, workloadId: string, snapshotId: string): Promise<RestoreRecord> {
    return value<RestoreRecord>(
      await inst.slipway.router.invoke('restore.start', { workloadId, snapshotId, confirm: snapshotId }),
    )
  }

  /** Captures into the store only, damages the data, restores from the store: the exact tree is back. */
  async function roundTrip(name: string, store: StoreSummary): Promise<{ snapshot: SnapshotSummary; lines: string[] }> {
    const { w, bind, volume } = await workloadOnStore(name, store.id, false)
    const expected = {
      bind: readTree(bind, { rootAttributes: true }),
      volume: readTree(volumeData(volume), { rootAttributes: true }),
    }
    const { result: snapshot, lines } = await resticCommandLines(() => capture(instance, w.id))
    expect(snapshot.places).toEqual({ local: false, stores: [{ storeId: store.id, name: store.name }] })
    expect(existsSync(join(instance.dataDir, 'snapshots', snapshot.id))).toBe(false)

    writeFileSync(join(bind, 'config.yml'), 'broken\n')
    execFileSync('rm', ['-rf', join(bind, 'base')])
    writeFileSync(join(volumeData(volume), 'a/f'), 'v2\n')
    const record = await restore(instance, w.id, snapshot.id)
    expect(record.outcome).toBe('restored')
    expect(readTree(bind, { rootAttributes: true })).toEqual(expected.bind)
    expect(readTree(volumeData(volume), { rootAttributes: true })).toEqual(expected.volume)

    // Browsing works from the local index although the archives are not on this computer.
    const listing = value<{ entries: { name: string }[] }>(
      await instance.slipway.router.invoke('snapshots.browse', {
        snapshotId: snapshot.id,
        volume: 1,
        dir: 'a',
        offset: 0,
        limit: 100,
      }),
    )
    expect(listing.entries.map((e) => e.name).sort()).toEqual(['b', 'f', 'hard'])
    const preview = value<{ text: string }>(
      await instance.slipway.router.invoke('snapshots.preview', { snapshotId: snapshot.id, volume: 1, path: 'a/f' }),
    )
    expect(preview.text).toBe('v1\n')
    return { snapshot, lines }
  }

  function expectNoSecret(lines: readonly string[], ...secrets: string[]): void {
    expect(lines.length).toBeGreaterThan(0)
    const db = readFileSync(join(instance.dataDir, 'slipway.db'))
    const wal = existsSync(join(instance.dataDir, 'slipway.db-wal'))
      ? readFileSync(join(instance.dataDir, 'slipway.db-wal'))
      : Buffer.alloc(0)
    for (const secret of secrets) {
      for (const line of lines) expect(line).not.toContain(secret)
      expect(db.includes(secret)).toBe(false)
      expect(wal.includes(secret)).toBe(false)
      expect(instance.logText()).not.toContain(secret)
    }
  }

  it('a folder repository: capture → restore is exact, verify drills it, and the password is nowhere', async () => {
    const repo = join(tempDir('store-folder-'), 'repo')
    const store = await addStore(instance, 'usb', { kind: 'folder', path: repo })
    expect(existsSync(join(repo, 'config'))).toBe(true)
    const { snapshot, lines } = await roundTrip('store-folder', store)
    expectNoSecret(lines, PASSWORD)

    const verified = value<StoreVerifyResult>(
      await instance.slipway.router.invoke('stores.verify', {
        storeId: store.id,
        snapshotId: snapshot.id,
        readDataPercent: 100,
      }),
    )
    expect(verified.checkOk).toBe(true)
    expect(verified.volumes.map((v) => v.ok)).toEqual([true, true])
    expect(verified.volumes[1]?.files).toBeGreaterThan(3)

    const listed = value<StoreSummary[]>(await instance.slipway.router.invoke('stores.list', {}))
    expect(JSON.stringify(listed)).not.toContain(PASSWORD)
    expect(listed.find((s) => s.id === store.id)?.snapshots).toBe(1)
  })

  it('SFTP to the test sshd over the host’s own SSH connection: the round trip is exact', async () => {
    const sshd = await PrivateSshd.start()
    try {
      const host = await addTrustedSshHost(instance, sshd, 'backup-box')
      const path = `/tmp/slipway-sftp-repo-${Date.now()}`
      const store = await addStore(instance, 'offsite', { kind: 'sftp', hostId: host.id, path })
      expect(store.display).toBe(`sftp:backup-box:${path}`)
      const { lines } = await roundTrip('store-sftp', store)
      expectNoSecret(lines, PASSWORD)
    } finally {
      await sshd.close()
    }
  })

  it('a REST server (rclone serve restic, with its own password): the round trip is exact', async () => {
    const port = await freePort()
    const dir = tempDir('store-rest-')
    const server: ChildProcess = spawn(
      'rclone',
      ['serve', 'restic', dir, '--addr', `127.0.0.1:${port}`, '--user', 'slipway', '--pass', REST_PASSWORD],
      { stdio: 'ignore' },
    )
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500))
      const store = await addStore(
        instance,
        'rest',
        { kind: 'rest', url: `http://127.0.0.1:${port}/repo`, username: 'slipway' },
        { backendSecret: REST_PASSWORD },
      )
      expect(store.display).not.toContain(REST_PASSWORD)
      const { lines } = await roundTrip('store-rest', store)
      expectNoSecret(
        lines.filter((l) => !l.startsWith('rclone')),
        PASSWORD,
        REST_PASSWORD,
      )
    } finally {
      server.kill()
    }
  })

  it('a second Slipway with an empty data dir attaches the repository, catalogs it and restores what the first wrote', async () => {
    const repo = join(tempDir('store-second-'), 'repo')
    const store = await addStore(instance, 'shared', { kind: 'folder', path: repo })
    const { w, bind } = await workloadOnStore('store-second', store.id, true)
    const expected = readTree(bind, { rootAttributes: true })
    const snapshot = await capture(instance, w.id, 'before the laptop died')
    expect(snapshot.places.local).toBe(true)

    const second = await startInstance({ dockerHost: env.dockerHost })
    try {
      const attached = value<StoreSummary>(
        await second.slipway.router.invoke('stores.add', {
          name: 'shared',
          location: { kind: 'folder', path: repo },
          password: PASSWORD,
          backendSecret: null,
          mode: 'attach',
        }),
      )
      const catalog = value<CatalogResult>(
        await second.slipway.router.invoke('stores.catalog', { storeId: attached.id }),
      )
      expect(catalog).toEqual({ added: 1, known: 0, skipped: 0 })
      const listed = value<SnapshotSummary[]>(await second.slipway.router.invoke('snapshots.list', {}))
      expect(listed.map((s) => [s.id, s.label, s.places.local, s.indexed])).toEqual([
        [snapshot.id, 'before the laptop died', false, false],
      ])
      // The same app, set up again on the new desktop.
      writeFileSync(join(bind, 'config.yml'), 'lost\n')
      execFileSync('rm', ['-rf', join(bind, 'base')])
      removeWorkloadContainers(w.id)
      const again = value<WorkloadDetail>(
        await second.slipway.router.invoke('workloads.create', {
          hostId: 'local',
          name: 'store-second',
          snapshotBeforeDeploy: false,
          services: [
            {
              name: 'app',
              image: 'slipway-test/app:a',
              command: null,
              env: [],
              ports: [],
              volumes: (w.services[0]?.volumes ?? []).map((v) => ({ ...v })),
              restart: 'no',
            },
          ],
        }),
      )
      value(await second.slipway.router.invoke('workloads.deploy', { workloadId: again.id }))
      const record = await restore(second, again.id, snapshot.id)
      expect(record.outcome).toBe('restored')
      expect(readTree(bind, { rootAttributes: true })).toEqual(expected)
      // The tree can be indexed on demand for browsing.
      const indexed = value<SnapshotSummary>(
        await second.slipway.router.invoke('snapshots.index', { snapshotId: snapshot.id }),
      )
      expect(indexed.indexed).toBe(true)
    } finally {
      removeWorkloadContainers()
      await second.close()
    }
  })

  it('retention in a repository keeps the newest N and every pinned one, forgets the rest whole, and restic check passes', async () => {
    const repo = join(tempDir('store-retention-'), 'repo')
    const store = await addStore(instance, 'retained', { kind: 'folder', path: repo })
    const { w } = await workloadOnStore('store-retention', store.id, false)
    value(
      await instance.slipway.router.invoke('snapshots.setDestinations', {
        workloadId: w.id,
        local: false,
        stores: [{ storeId: store.id, keepLast: 2, keepDaily: 0, keepWeekly: 0 }],
      }),
    )
    const resticTags = (): string[][] =>
      (
        JSON.parse(
          execFileSync('restic', ['-r', repo, 'snapshots', '--json'], {
            env: { ...process.env, RESTIC_PASSWORD: PASSWORD },
            encoding: 'utf8',
          }),
        ) as { tags: string[] }[]
      ).map((s) => s.tags)
    const inRepo = (): string[] =>
      [
        ...new Set(
          resticTags().flatMap((t) => t.filter((x) => x.startsWith('slipway-snapshot=')).map((x) => x.slice(17))),
        ),
      ].sort()
    const taken: SnapshotSummary[] = []
    taken.push(await capture(instance, w.id, 'one'))
    value(await instance.slipway.router.invoke('snapshots.pin', { snapshotId: taken[0]?.id ?? '', pinned: true }))
    for (const label of ['two', 'three', 'four']) taken.push(await capture(instance, w.id, label))
    const [one, , three, four] = taken.map((s) => s.id)
    // Newest two, and the pinned first one; every volume and the manifest of each, nothing else.
    expect(inRepo()).toEqual([one, three, four].sort())
    expect(resticTags()).toHaveLength(3 * 3)
    expect(resticTags().filter((t) => t.includes('slipway-pinned')).length).toBe(3)
    const listed = value<SnapshotSummary[]>(
      await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id }),
    )
    expect(listed.map((s) => s.id).sort()).toEqual([one, three, four].sort())
    execFileSync('restic', ['-r', repo, 'check'], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD } })
  })

  it('typed failures: wrong password, a locked repository, an unreachable SFTP host, a full disk — nothing local lost', async () => {
    const repo = join(tempDir('store-fail-'), 'repo')
    const store = await addStore(instance, 'failing', { kind: 'folder', path: repo })

    const wrong = await instance.slipway.router.invoke('stores.add', {
      name: 'wrong',
      location: { kind: 'folder', path: repo },
      password: 'not the password',
      backendSecret: null,
      mode: 'attach',
    })
    // The same folder is already a store: refused before restic runs; a copy of the folder proves the password.
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const copy = join(tempDir('store-copy-'), 'repo')
    execFileSync('cp', ['-a', repo, copy])
    const wrongPassword = await instance.slipway.router.invoke('stores.add', {
      name: 'wrong',
      location: { kind: 'folder', path: copy },
      password: 'not the password',
      backendSecret: null,
      mode: 'attach',
    })
    expect(wrongPassword).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED', details: { reason: 'store_wrong_password' } },
    })
    expect(
      value<StoreSummary[]>(await instance.slipway.router.invoke('stores.list', {})).map((s) => s.name),
    ).not.toContain('wrong')

    // A lock held by a live restic (stopped mid-check): the capture fails typed, naming the holder.
    const { w } = await workloadOnStore('store-locked', store.id, true)
    const first = await capture(instance, w.id, 'first')
    const holder = await heldLock(repo, PASSWORD)
    const locked = await instance.slipway.router.invoke('snapshots.capture', {
      workloadId: w.id,
      mode: 'stop',
      label: null,
    })
    expect(locked).toMatchObject({
      ok: false,
      error: { code: 'BUSY', details: { reason: 'store_locked', lockPid: holder.pid } },
    })
    // The holder dies: its lock is stale, and only the user's explicit unlock removes it.
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    expect(readdirSync(join(repo, 'locks'))).toHaveLength(1)
    value(await instance.slipway.router.invoke('stores.unlock', { storeId: store.id, all: false }))
    expect(readdirSync(join(repo, 'locks'))).toHaveLength(0)
    expect((await capture(instance, w.id, 'after unlock')).places.stores).toHaveLength(1)

    // A full disk: the repository lives on a 2 MiB tmpfs; the capture fails typed, nothing half-written.
    const small = tempDir('store-full-')
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small])
    try {
      const full = await addStore(instance, 'tiny', { kind: 'folder', path: join(small, 'repo') })
      const big = join(tempDir('store-big-'), 'data')
      mkdirSync(big)
      writeFileSync(join(big, 'random.bin'), randomBytes(8 << 20))
      const bw = await deployedWorkload(instance, 'local', 'store-full', [
        { kind: 'bind', source: big, target: '/data' },
      ])
      value(
        await instance.slipway.router.invoke('snapshots.setDestinations', {
          workloadId: bw.id,
          local: true,
          stores: [{ storeId: full.id, keepLast: 3, keepDaily: 0, keepWeekly: 0 }],
        }),
      )
      const failed = await instance.slipway.router.invoke('snapshots.capture', {
        workloadId: bw.id,
        mode: 'stop',
        label: null,
      })
      expect(failed).toMatchObject({ ok: false, error: { details: { reason: 'store_no_space' } } })
      expect(
        value<SnapshotSummary[]>(await instance.slipway.router.invoke('snapshots.list', { workloadId: bw.id })),
      ).toEqual([])
      expect(readdirSync(join(instance.dataDir, 'snapshots')).filter((n) => n.endsWith('.partial'))).toEqual([])
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${bw.id}`)).not.toBe('')
    } finally {
      execFileSync('umount', ['-l', small])
    }

    // Unreachable SFTP: the host's sshd is gone.
    const sshd = await PrivateSshd.start()
    const host = await addTrustedSshHost(instance, sshd, 'gone-box')
    const remote = await addStore(instance, 'gone', {
      kind: 'sftp',
      hostId: host.id,
      path: `/tmp/slipway-gone-${Date.now()}`,
    })
    await sshd.close()
    const unreachable = await instance.slipway.router.invoke('stores.stats', { storeId: remote.id })
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })

    // Nothing local was lost along the way.
    const after = value<SnapshotSummary[]>(await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id }))
    expect(after.map((s) => s.id)).toContain(first.id)
    expect(existsSync(join(instance.dataDir, 'snapshots', first.id, 'vol-0.tar.gz'))).toBe(true)
  })
})
