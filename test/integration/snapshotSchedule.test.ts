import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('scheduled snapshots with an injected clock', () => {
  let instance: Instance
  const clock = { now: () => new Date(2026, 10, 1, 2, 0).getTime() }
  const set = (d: Date): void => {
    clock.now = () => d.getTime()
  }
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost, clock })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it('takes a snapshot when the daily time comes, once, and prunes to the policy, never a pinned one', async () => {
    const data = tempDir('sched-')
    buildTree(data, { 'a.txt': { type: 'file', content: 'a' } })
    const w = await deployedWorkload(instance, 'local', 'scheduled', [{ kind: 'bind', source: data, target: '/data' }])
    const { router, scheduler } = instance.slipway
    value(
      await router.invoke('snapshots.setPolicy', {
        workloadId: w.id,
        scheduleEnabled: true,
        scheduleTime: '03:00',
        keepLast: 2,
        keepDaily: 0,
        keepWeekly: 0,
      }),
    )
    const list = async (): Promise<SnapshotSummary[]> =>
      value<SnapshotSummary[]>(await router.invoke('snapshots.list', { workloadId: w.id }))

    set(new Date(2026, 10, 1, 2, 59))
    // The first tick catches up the schedule that fell due yesterday at 03:00.
    expect(await scheduler.tick()).toEqual([w.id])
    expect(await scheduler.tick()).toEqual([])
    set(new Date(2026, 10, 1, 3, 1))
    expect(await scheduler.tick()).toEqual([w.id])
    set(new Date(2026, 10, 1, 3, 30))
    expect(await scheduler.tick()).toEqual([])
    const twoOf = await list()
    expect(twoOf.map((s) => s.origin)).toEqual(['schedule', 'schedule'])
    const pinnedId = twoOf[1]?.id ?? ''
    value(await router.invoke('snapshots.pin', { snapshotId: pinnedId, pinned: true }))

    for (const day of [2, 3, 4]) {
      set(new Date(2026, 10, day, 3, 0))
      expect(await scheduler.tick()).toEqual([w.id])
    }
    const after = await list()
    // Newest two by policy, plus the pinned one however old.
    expect(after.map((s) => s.createdAt)).toEqual([
      new Date(2026, 10, 4, 3, 0).toISOString(),
      new Date(2026, 10, 3, 3, 0).toISOString(),
      twoOf[1]?.createdAt,
    ])
    expect(after.find((s) => s.id === pinnedId)?.pinned).toBe(true)
    expect(await router.invoke('snapshots.delete', { snapshotId: pinnedId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
  })
})
