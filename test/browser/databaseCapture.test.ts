import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { openRenderer } from '../helpers/browser'
import { removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('capturing a database in the UI', () => {
  it('pauses it by default; a live copy needs the acknowledgement, and is labelled “may be inconsistent”', async () => {
    const data = join(tempDir('ui-pg-'), 'pgdata')
    mkdirSync(data)
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const w = await deployedWorkload(
      instance,
      'local',
      'uipg',
      [{ kind: 'bind', source: data, target: '/var/lib/postgresql/data' }],
      {
        image: env.postgresImage,
      },
    )
    const session = await openRenderer(instance)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/workloads/local/${w.id}`)
      await page.getByTestId('capture-now').click()
      expect(await page.getByTestId('capture-mode-pause').isChecked()).toBe(true)
      await page.getByTestId('confirm-capture').click()
      await page.getByTestId('capture-done').waitFor({ state: 'visible', timeout: 60_000 })
      const [paused] = value<SnapshotSummary[]>(
        await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id }),
      )
      expect(paused).toMatchObject({ mode: 'pause', consistency: { mayBeInconsistent: false } })

      await page.getByTestId('capture-now').click()
      await page.getByTestId('capture-mode-live').check()
      expect(await page.getByTestId('confirm-capture').isDisabled()).toBe(true)
      await page.getByTestId('capture-acknowledge-live').check()
      await page.getByTestId('confirm-capture').click()
      await expect.poll(() => page.getByTestId('may-be-inconsistent').count(), { timeout: 60_000 }).toBe(1)
      await session.screenshot('database-capture-live-labelled')
      const [live] = value<SnapshotSummary[]>(
        await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id }),
      )
      expect(live).toMatchObject({ mode: 'live', consistency: { mayBeInconsistent: true } })
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })
})
