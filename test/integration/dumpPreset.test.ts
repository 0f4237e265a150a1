/**
 * The PostgreSQL preset on a real PostgreSQL 15 with a writer inserting continuously: a live
 * capture whose pre hook runs pg_dumpall inside the container. The app never stops; the dump is in
 * the snapshot and gone from the live folder; loaded into a fresh server it holds exactly the rows
 * of one moment (no gap in the single writer's sequence, the writer's invariant intact, amcheck clean)
 * and every row committed before the capture began.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hookPresetsFor } from '../../src/shared/hookPresets'
import type { HookRun, SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, removeWorkloadContainers } from '../helpers/images'
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
})
