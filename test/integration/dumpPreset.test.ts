/**
 * The PostgreSQL preset on a real PostgreSQL 15 with a writer inserting continuously: a live
 * capture whose pre hook runs pg_dumpall inside the container. The app never stops; the dump is in
 * the snapshot and gone from the live folder; loaded into a fresh server it holds exactly the rows
 * of one moment (no gap in the single writer's sequence, the writer's invariant intact, amcheck clean)
 * and every row committed before the capture began.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hookPresetsFor } from '../../src/shared/hookPresets'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { HookRun, SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, helperContainersOf, removeWorkloadContainers } from '../helpers/images'
import { background, consistency, psql, postgresService, SCHEMA, untilReady, WRITER } from '../helpers/postgres'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()
/** The database's password: the dump hook reads it inside the container, Slipway never does. */
const SECRET = 'pg-preset-Secret-7f3a9c'

describe('a consistent live capture of PostgreSQL through the dump preset', () => {
  let instance: Instance
  let w: WorkloadDetail
  let root: string
  let data: string
  let scratch: string | null = null
  let dumped: SnapshotSummary | null = null
  let dumpText = ''
  let preRestore: string | null = null
  const container = (): string => docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)

  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost })
    root = mkdtempSync(join(tmpdir(), 'pg-preset-'))
    data = join(root, 'pgdata')
    mkdirSync(data)
    w = value<WorkloadDetail>(
      await instance.slipway.router.invoke('workloads.create', {
        hostId: 'local',
        name: 'pg-preset',
        snapshotBeforeDeploy: false,
        services: [
          postgresService(env.postgresImage, data, [
            { name: 'POSTGRES_USER', value: 'postgres', secret: false },
            { name: 'POSTGRES_PASSWORD', value: SECRET, secret: true },
          ]),
        ],
      }),
    )
    value(await instance.slipway.router.invoke('workloads.deploy', { workloadId: w.id }))
    psql(await untilReady(container), SCHEMA)
  }, 120_000)
  afterAll(async () => {
    if (scratch !== null) docker('rm', '-f', scratch)
    removeWorkloadContainers()
    await instance.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('dumps while the writer writes, never stops the app, and the dump loads into one consistent moment', async () => {
    const { router } = instance.slipway
    const service = w.services[0]
    if (service === undefined) throw new Error('no service')
    const [preset] = hookPresetsFor(service)
    expect(preset?.id).toBe('postgres-dumpall')
    value(
      await router.invoke('snapshots.setHooks', {
        workloadId: w.id,
        hooks: preset?.hooks ?? [],
        continueOnPreFailure: false,
      }),
    )
    const db = await untilReady(container)
    background(db, WRITER)
    await new Promise((r) => setTimeout(r, 1_500))
    const committedBefore = Number(psql(db, 'SELECT count(*) FROM t'))
    expect(committedBefore).toBeGreaterThan(0)
    const snapshot = value<SnapshotSummary>(
      await router.invoke('snapshots.capture', {
        workloadId: w.id,
        mode: 'live',
        label: 'dump preset',
        acknowledgeInconsistent: true,
      }),
    )
    // Never stopped, never paused: the same container ran on, and the writer kept writing.
    expect(container()).toBe(db)
    expect(docker('inspect', '--format', '{{.State.StartedAt}} {{.State.Paused}}', db)).toMatch(/ false$/)
    expect(snapshot.hooks).toEqual({ ran: 2, failed: 0 })
    expect(snapshot.dump).toEqual({ engine: 'postgres', service: 'db', volume: 0, file: 'slipway-dump.sql' })
    dumped = snapshot
    const runs = value<HookRun[]>(await router.invoke('snapshots.hookRuns', { snapshotId: snapshot.id }))
    expect(runs.map((r) => r.outcome)).toEqual(['ok', 'ok'])
    // The password reached the hook through the container's env only: no IPC result, row or log line has it.
    expect(JSON.stringify([snapshot, runs])).not.toContain(SECRET)
    for (const file of ['slipway.db', 'slipway.db-wal']) {
      const path = join(instance.dataDir, file)
      if (existsSync(path)) expect(readFileSync(path).includes(SECRET)).toBe(false)
    }
    expect(instance.logText()).not.toContain(SECRET)
    // The post hook removed the dump from the live folder; the snapshot holds it.
    expect(existsSync(join(data, 'slipway-dump.sql'))).toBe(false)
    const out = mkdtempSync(join(root, 'out-'))
    value(
      await router.invoke('snapshots.extract', {
        snapshotId: snapshot.id,
        volume: 0,
        path: 'slipway-dump.sql',
        destination: out,
      }),
    )
    const dump = readFileSync(join(out, 'slipway-dump.sql'), 'utf8')
    dumpText = dump
    expect(dump).toContain('PostgreSQL database cluster dump')
    await new Promise((r) => setTimeout(r, 500))
    expect(Number(psql(db, 'SELECT count(*) FROM t'))).toBeGreaterThan(committedBefore)

    // A fresh server from the same image, without any network, loads the dump.
    scratch = docker('run', '-d', '--network', 'none', env.postgresImage)
    const fresh = await untilReady(() => scratch ?? '')
    execFileSync(
      'docker',
      [
        '-H',
        env.dockerHost,
        'exec',
        '-i',
        '-u',
        'postgres',
        fresh,
        'psql',
        '-h',
        '/run/postgresql',
        '-U',
        'postgres',
        '-qX',
        '-f',
        '-',
      ],
      { input: dump, stdio: ['pipe', 'ignore', 'pipe'] },
    )
    const state = consistency(fresh)
    expect(state).toMatchObject({ heapProblems: 0, indexesOk: true, invariant: true })
    expect(state.rows).toBeGreaterThanOrEqual(committedBefore)
    // One writer, every transaction committed: the rows of one moment have no gap in their sequence.
    expect(psql(fresh, 'SELECT count(*) = max(seq) FROM t')).toBe('t')
  }, 240_000)

  it('restores the database from the dump: exactly the rows of the dump, on a fresh cluster, the old data kept aside', async () => {
    const { router } = instance.slipway
    if (dumped === null) throw new Error('the capture above did not run')
    const snapshot = dumped
    const before = await untilReady(container)
    const liveRows = Number(psql(before, 'SELECT count(*) FROM t'))
    const systemBefore = psql(before, 'SELECT system_identifier FROM pg_control_system()')
    // The rows the dump holds: one COPY line each between the table's COPY header and its end mark.
    const copy = dumpText.split('\nCOPY public.t ')[1] ?? ''
    const dumpRows = copy.slice(copy.indexOf('\n') + 1, copy.indexOf('\n\\.\n')).split('\n').length
    expect(dumpRows).toBeGreaterThan(0)
    expect(liveRows).toBeGreaterThan(dumpRows)
    const record = value<RestoreRecord>(
      await router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
        fromDump: true,
      }),
    )
    expect(record.outcome).toBe('restored')
    // The data it replaced is the pinned pre-restore snapshot.
    expect(record.preRestoreSnapshotId).not.toBeNull()
    preRestore = record.preRestoreSnapshotId
    const after = await untilReady(container)
    expect(after).not.toBe(before)
    const state = consistency(after)
    expect(state).toMatchObject({ heapProblems: 0, indexesOk: true, invariant: true, rows: dumpRows })
    expect(psql(after, 'SELECT count(*) = max(seq) FROM t')).toBe('t')
    // A fresh cluster made by the image's own start, not the raw files: a new system identifier.
    expect(psql(after, 'SELECT system_identifier FROM pg_control_system()')).not.toBe(systemBefore)
    // Nothing of the load is left: no dump in the live folder, no dump folder beside it, no helper.
    expect(existsSync(join(data, 'slipway-dump.sql'))).toBe(false)
    expect(readdirSync(root).filter((n) => n.includes('.slipway-'))).toEqual([])
    expect(helperContainersOf(instance.installationId())).toEqual([])
    expect(instance.logText()).not.toContain(SECRET)
    expect(JSON.stringify(record)).not.toContain(SECRET)
  }, 240_000)

  it('refuses a restore from a dump of a snapshot that holds none, and changes nothing', async () => {
    const { router } = instance.slipway
    // The pre-restore snapshot: raw files, no hooks ran.
    if (preRestore === null) throw new Error('the restore above did not run')
    const plain = preRestore
    const db = container()
    const result = await router.invoke('restore.start', {
      workloadId: w.id,
      snapshotId: plain,
      confirm: plain,
      fromDump: true,
    })
    expect(result.ok).toBe(false)
    expect(container()).toBe(db)
    expect(docker('inspect', '--format', '{{.State.Running}}', db)).toBe('true')
  }, 120_000)
})
