/**
 * A live capture of a real PostgreSQL 15 (data checksums on) while writers insert and update and a
 * CHECKPOINT runs every 0.2 s — the case where a file-by-file copy silently loses data. Pause mode
 * freezes every process for the read: the restored database must pass amcheck (heap and btree,
 * every heap tuple in every index), keep every row committed before the pause, and hold the
 * writers' invariant — every time. A raw live copy is refused unless asked for, and labelled.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, removeWorkloadContainers } from '../helpers/images'
import {
  background,
  CHECKPOINTER,
  consistency,
  psql,
  postgresService,
  SCHEMA,
  untilReady,
  WRITER,
} from '../helpers/postgres'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()
const TRIALS = 10

describe('a live PostgreSQL captured while it writes and checkpoints', () => {
  let instance: Instance
  let w: WorkloadDetail
  const container = (): string => docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)

  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost, tuning: { restoreSettleMs: 1_000 } })
    const { router } = instance.slipway
    const data = join(mkdtempSync(join(tmpdir(), 'pg-consistency-')), 'pgdata')
    mkdirSync(data)
    w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: 'pg',
        snapshotBeforeDeploy: false,
        services: [postgresService(env.postgresImage, data)],
      }),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    psql(await untilReady(container), SCHEMA)
  }, 120_000)
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it(`pause mode: the restored database is consistent and complete, in ${TRIALS} of ${TRIALS} trials`, async () => {
    const { router } = instance.slipway
    const results: string[] = []
    for (let trial = 1; trial <= TRIALS; trial++) {
      const db = await untilReady(container)
      background(db, WRITER)
      background(db, WRITER)
      background(db, CHECKPOINTER)
      await new Promise((r) => setTimeout(r, 1_500))
      // Every row counted here was committed before the pause began.
      const committedBefore = Number(psql(db, 'SELECT count(*) FROM t'))
      const snapshot = value<SnapshotSummary>(
        await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'pause', label: `trial ${trial}` }),
      )
      expect(snapshot.mode).toBe('pause')
      expect(snapshot.consistency.pausedMs).toBeGreaterThan(0)
      expect(snapshot.consistency.mayBeInconsistent).toBe(false)
      // The app was never stopped: the same container runs on, and was thawed.
      expect(container()).toBe(db)
      expect(docker('inspect', '--format', '{{.State.Paused}}', db)).toBe('false')
      await new Promise((r) => setTimeout(r, 500))
      const record = value<RestoreRecord>(
        await router.invoke('restore.start', { workloadId: w.id, snapshotId: snapshot.id, confirm: snapshot.id }),
      )
      expect(record.outcome).toBe('restored')
      const restored = await untilReady(container)
      const state = consistency(restored)
      results.push(`trial ${trial}: ${JSON.stringify({ committedBefore, ...state })}`)
      expect(state, results.join('\n')).toMatchObject({ heapProblems: 0, indexesOk: true, invariant: true })
      expect(state.rows).toBeGreaterThanOrEqual(committedBefore)
    }
  }, 600_000)

  it('a raw live copy of the database is refused unless asked for, and then labelled “may be inconsistent”', async () => {
    const { router } = instance.slipway
    expect(await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', details: { field: 'mode', reason: 'live_database', service: 'db' } },
    })
    const live = value<SnapshotSummary>(
      await router.invoke('snapshots.capture', {
        workloadId: w.id,
        mode: 'live',
        label: null,
        acknowledgeInconsistent: true,
      }),
    )
    expect(live.consistency).toEqual({ pausedMs: null, mayBeInconsistent: true })
    // A schedule that copies it live needs the same choice, said on purpose.
    expect(
      await router.invoke('snapshots.setPolicy', {
        workloadId: w.id,
        scheduleEnabled: true,
        scheduleMode: 'live',
        scheduleTime: '03:00',
        keepLast: 7,
        keepDaily: 7,
        keepWeekly: 4,
      }),
    ).toMatchObject({ ok: false, error: { details: { reason: 'live_database' } } })
  }, 120_000)
})
