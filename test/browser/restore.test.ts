import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { openRenderer } from '../helpers/browser'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('restore in the UI', () => {
  it('restores through the danger dialog after typing the id, with progress and the result', async () => {
    importedImage('slipway-test/app:a', 'A')
    const data = join(tempDir('ui-restore-'), 'data')
    buildTree(data, { 'state.txt': { type: 'file', content: 'good state\n' } })
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const w = await deployedWorkload(instance, 'local', 'uirestore', [{ kind: 'bind', source: data, target: '/data' }])
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: 'good' }),
    )
    writeFileSync(join(data, 'state.txt'), 'broken\n')
    const session = await openRenderer(instance)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/workloads/local/${w.id}`)
      await page.getByTestId(`restore-${snapshot.id}`).click()
      const dialog = page.getByTestId('restore-dialog')
      await dialog.waitFor({ state: 'visible' })
      expect(await dialog.getByTestId('confirm-restore').isDisabled()).toBe(true)
      await dialog.getByTestId('restore-confirm-input').fill(snapshot.id.slice(0, 8))
      expect(await dialog.getByTestId('confirm-restore').isDisabled()).toBe(true)
      await dialog.getByTestId('restore-confirm-input').fill(snapshot.id)
      await dialog.getByTestId('confirm-restore').click()
      await dialog.getByTestId('restore-progress').waitFor({ state: 'visible', timeout: 10_000 })
      await expect
        .poll(() => dialog.getByTestId('restore-result').getAttribute('data-outcome'), { timeout: 60_000 })
        .toBe('restored')
      await session.screenshot('restore-result')
      expect(readFileSync(join(data, 'state.txt'), 'utf8')).toBe('good state\n')
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })

  it('says so, in the dialog and in the restores list, when the app does not run on the restored data', async () => {
    importedImage('slipway-test/app:a', 'A')
    const data = join(tempDir('ui-restore-poison-'), 'data')
    buildTree(data, { 'state.txt': { type: 'file', content: 'state\n' } })
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const w = await deployedWorkload(instance, 'local', 'uipoison', [{ kind: 'bind', source: data, target: '/data' }], {
      command: ['/bin/sh', '-c', "[ -f /data/poison ] && exit 3; trap 'exit 0' TERM; sleep 3600 & wait"],
    })
    writeFileSync(join(data, 'poison'), 'the app will not start on this\n')
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
    )
    rmSync(join(data, 'poison'))
    const session = await openRenderer(instance)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/workloads/local/${w.id}`)
      await page.getByTestId(`restore-${snapshot.id}`).click()
      const dialog = page.getByTestId('restore-dialog')
      await dialog.getByTestId('restore-confirm-input').fill(snapshot.id)
      await dialog.getByTestId('confirm-restore').click()
      const result = dialog.getByTestId('restore-result')
      await expect.poll(() => result.getAttribute('data-outcome'), { timeout: 60_000 }).toBe('restored_not_running')
      const text = (await result.textContent()) ?? ''
      expect(text).toContain('but uipoison is not running on it')
      expect(text).toContain('The app exited as soon as it started on the restored data.')
      expect(await dialog.textContent()).toContain('uipoison was restored, but it is not running')
      await session.screenshot('restore-result-not-running')
      await page.keyboard.press('Escape')
      const [record] = value<RestoreRecord[]>(
        await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
      )
      const row = page.getByTestId(`restore-row-${record?.id ?? ''}`)
      await expect.poll(() => row.getAttribute('data-outcome')).toBe('restored_not_running')
      expect(await row.getByTestId('restore-row-error').getAttribute('data-code')).toBe('start_failed')
      expect(record).toMatchObject({ outcome: 'restored_not_running', errorCode: 'start_failed' })
      expect(readFileSync(join(data, 'poison'), 'utf8')).toBe('the app will not start on this\n')
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })
})
