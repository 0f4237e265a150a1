/**
 * After every restore the app must prove it is up: its healthcheck passes, or it stays running.
 * One that never becomes healthy ends "restored, app unhealthy", and its pinned pre-restore
 * snapshot — the one-click undo — brings the old data back exactly. Those pins expire after the
 * set time, the newest excepted, so pre-restore snapshots do not pile up.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { docker, healthcheckedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const DAY = 86_400_000

describe('the app proves it is up after a restore', () => {
  it('an app whose healthcheck never passes on the restored data is “restored, app unhealthy”; the undo brings the old data back', async () => {
    healthcheckedImage()
    let offset = 0
    const instance = await startInstance({
      dockerHost: env.dockerHost,
      clock: { now: () => Date.now() + offset },
      tuning: { restoreSettleMs: 1_000 },
    })
    const { router } = instance.slipway
    try {
      const data = join(tempDir('health-'), 'data')
      // Healthy from the start: a deploy waits for a healthcheck to pass before it counts.
      buildTree(data, { 'state.txt': { type: 'file', content: 'v1\n' }, healthy: { type: 'file', content: 'yes\n' } })
      const w = await deployedWorkload(
        instance,
        'local',
        'healthy-app',
        [{ kind: 'bind', source: data, target: '/data' }],
        {
          image: 'slipway-test/app:healthcheck',
        },
      )
      // A snapshot of data the app cannot be healthy on.
      rmSync(join(data, 'healthy'))
      const broken = value<SnapshotSummary>(
        await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'pause', label: null }),
      )
      writeFileSync(join(data, 'healthy'), 'yes\n')
      writeFileSync(join(data, 'state.txt'), 'v2\n')
      const id = docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)
      await expect
        .poll(() => docker('inspect', '--format', '{{.State.Health.Status}}', id), { timeout: 15_000 })
        .toBe('healthy')
      const good = readTree(data, { rootAttributes: true })

      const record = value<RestoreRecord>(
        await router.invoke('restore.start', { workloadId: w.id, snapshotId: broken.id, confirm: broken.id }),
      )
      expect(record).toMatchObject({ outcome: 'restored_unhealthy', errorCode: 'unhealthy' })
      expect(record.preRestoreSnapshotId).not.toBeNull()
      const preRestore = record.preRestoreSnapshotId ?? ''

      // The undo: the pinned pre-restore snapshot, through the same restore.
      const undone = value<RestoreRecord>(
        await router.invoke('restore.start', { workloadId: w.id, snapshotId: preRestore, confirm: preRestore }),
      )
      expect(undone).toMatchObject({ outcome: 'restored', errorCode: null })
      expect(readTree(data, { rootAttributes: true })).toEqual(good)

      // Two pre-restore snapshots now, both pinned by Slipway. Past the pin time, only the newest keeps its pin.
      const list = async (): Promise<SnapshotSummary[]> =>
        value<SnapshotSummary[]>(await router.invoke('snapshots.list', { workloadId: w.id })).filter(
          (s) => s.origin === 'pre-restore',
        )
      const before = await list()
      expect(before.map((s) => s.pinned)).toEqual([true, true])
      value(await router.invoke('settings.update', { preRestorePinDays: 2 }))
      value(
        await router.invoke('snapshots.setPolicy', {
          workloadId: w.id,
          scheduleEnabled: false,
          scheduleMode: 'stop',
          scheduleTime: '03:00',
          keepLast: 1,
          keepDaily: 0,
          keepWeekly: 0,
        }),
      )
      expect((await list()).map((s) => s.id)).toEqual(before.map((s) => s.id))
      offset = 1 * DAY
      expect(instance.slipway.snapshots.expirePreRestorePins()).toEqual([])
      offset = 3 * DAY
      expect(instance.slipway.snapshots.expirePreRestorePins()).toEqual([w.id])
      const after = await list()
      // The older one lost its pin and the policy (keep the newest one) removed it; the newest stays pinned.
      expect(after.map((s) => [s.id, s.pinned])).toEqual([[before[0]?.id, true]])
    } finally {
      removeWorkloadContainers()
      await instance.close()
    }
  }, 120_000)
})
