import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SnapshotDestinations, StoreSummary } from '../../src/shared/types/stores'
import { openRenderer } from '../helpers/browser'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { heldLock } from '../helpers/resticLock'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const PASSWORD = 'ui-store-pw-3c8e51d2'

describe('snapshot stores in the UI', () => {
  it('adds a folder store, sends a workload’s snapshots only there, and shows where each one is', async () => {
    importedImage('slipway-test/app:a', 'A')
    const data = tempDir('ui-store-data-')
    buildTree(data, {
      notes: { type: 'dir' },
      'notes/readme.txt': { type: 'file', content: 'kept in a restic repository\n' },
    })
    const repo = join(tempDir('ui-store-repo-'), 'repo')
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const w = await deployedWorkload(instance, 'local', 'storeui', [{ kind: 'bind', source: data, target: '/data' }])
    const { router } = instance.slipway
    const session = await openRenderer(instance)
    try {
      const { page } = session
      const base = session.server.url.split('?')[0] ?? ''

      // Settings → Snapshot stores → Add store: a new repository in a folder.
      await page.goto(`${base}#/settings`)
      await page.getByTestId('stores-empty').waitFor({ state: 'visible' })
      await page.getByTestId('add-store').click()
      const dialog = page.getByTestId('add-store-dialog')
      await dialog.getByTestId('store-name').fill('Local restic')
      await dialog.getByTestId('store-kind-folder').check()
      await dialog.getByTestId('store-folder-path').fill(repo)
      await dialog.getByTestId('store-mode-create').check()
      await dialog.getByTestId('store-password').fill(PASSWORD)
      await dialog.getByTestId('store-password-repeat').fill(`${PASSWORD}-typo`)
      await dialog.getByTestId('store-submit').click()
      await dialog.getByTestId('store-field-error-passwordRepeat').waitFor({ state: 'visible' })
      await dialog.getByTestId('store-password-repeat').fill(PASSWORD)
      expect(await dialog.getByTestId('store-password').getAttribute('type')).toBe('password')
      await session.screenshot('store-add-dialog')
      await dialog.getByTestId('store-submit').click()
      await dialog.waitFor({ state: 'detached', timeout: 30_000 })

      const [store] = value<StoreSummary[]>(await router.invoke('stores.list', {}))
      if (store === undefined) throw new Error('the store was not added')
      expect(store).toMatchObject({ name: 'Local restic', location: { kind: 'folder', path: repo } })
      expect(existsSync(join(repo, 'config'))).toBe(true)
      const item = page.getByTestId(`store-${store.id}`)
      await item.waitFor({ state: 'visible' })
      expect(await item.getByTestId('store-display').textContent()).toContain(repo)

      // The workload's page: snapshots go to the store only.
      await page.goto(`${base}#/workloads/local/${w.id}`)
      const destinations = page.getByTestId('snapshot-destinations')
      await destinations.getByTestId(`destination-store-${store.id}`).waitFor({ state: 'visible' })
      await destinations.getByTestId('destination-local').uncheck()
      await destinations.getByTestId('destinations-save').click()
      await destinations.getByTestId('destinations-nowhere').waitFor({ state: 'visible' })
      await destinations.getByTestId(`destination-store-enabled-${store.id}`).check()
      await destinations.getByTestId(`destination-keepLast-${store.id}`).fill('5')
      await destinations.getByTestId('destinations-save').click()
      await destinations.getByTestId('destinations-saved').waitFor({ state: 'visible' })
      expect(value<SnapshotDestinations>(await router.invoke('snapshots.destinations', { workloadId: w.id }))).toEqual({
        local: false,
        stores: [{ storeId: store.id, keepLast: 5, keepDaily: 7, keepWeekly: 4 }],
      })

      await page.getByTestId('capture-now').click()
      await page.getByTestId('capture-mode-stop').check()
      await page.getByTestId('confirm-capture').click()
      await page.getByTestId('capture-done').waitFor({ state: 'visible', timeout: 60_000 })
      const snapshotId = (await page.getByTestId('capture-done').getAttribute('data-snapshot-id')) ?? ''
      const row = page.getByTestId(`snapshot-row-${snapshotId}`)
      await row.waitFor({ state: 'visible', timeout: 20_000 })
      await row.getByTestId(`place-store-${store.id}`).waitFor({ state: 'visible' })
      expect(await row.getByTestId(`place-store-${store.id}`).textContent()).toBe('Local restic')
      expect(await row.getByTestId('place-local').count()).toBe(0)
      expect(await row.getAttribute('data-local')).toBe('false')
      // Its archives are not on this computer: the local check is off, the store's is offered.
      expect(await row.getByTestId(`verify-${snapshotId}`).isDisabled()).toBe(true)
      await row.getByTestId(`store-verify-${snapshotId}-${store.id}`).click()
      const outcome = row.getByTestId(`store-verify-result-${snapshotId}-${store.id}`)
      await outcome.waitFor({ state: 'visible', timeout: 60_000 })
      expect(await outcome.getAttribute('data-ok')).toBe('true')
      expect(await outcome.getByTestId('store-drill-0').getAttribute('data-ok')).toBe('true')
      await session.screenshot('store-snapshot-places')

      // Back in Settings, the store counts the snapshot and reports what the repository holds.
      await page.goto(`${base}#/settings`)
      await expect
        .poll(() => page.getByTestId(`store-${store.id}`).getByTestId('store-count').textContent(), { timeout: 10_000 })
        .toContain('1')
      await page.getByTestId(`store-stats-${store.id}`).click()
      const stats = page.getByTestId(`store-stats-result-${store.id}`)
      await stats.waitFor({ state: 'visible', timeout: 30_000 })
      expect(Number(await stats.getByTestId('stats-restic-snapshots').textContent())).toBeGreaterThan(0)
      await session.screenshot('store-settings')
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })

  it('explains a locked repository, names the holder, and unlocks only after an explicit confirm', async () => {
    const repo = join(tempDir('ui-store-locked-'), 'repo')
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const store = value<StoreSummary>(
      await instance.slipway.router.invoke('stores.add', {
        name: 'Busy repo',
        location: { kind: 'folder', path: repo },
        password: PASSWORD,
        backendSecret: null,
        mode: 'create',
      }),
    )
    const holder = await heldLock(repo, PASSWORD)
    const session = await openRenderer(instance)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/settings`)
      const item = page.getByTestId(`store-${store.id}`)
      await item.getByTestId(`store-stats-${store.id}`).click()
      const failure = item.getByTestId('store-error')
      await failure.waitFor({ state: 'visible', timeout: 30_000 })
      expect(await failure.getAttribute('data-reason')).toBe('store_locked')
      expect(await failure.getByTestId('store-error-text').textContent()).toContain('locked by another restic process')
      expect(await failure.getByTestId('lock-pid').textContent()).toBe(String(holder.pid))

      await item.getByTestId(`unlock-${store.id}`).click()
      const dialog = page.getByTestId('unlock-dialog')
      await dialog.waitFor({ state: 'visible' })
      expect(await dialog.getByTestId('lock-pid').textContent()).toBe(String(holder.pid))
      await session.screenshot('store-unlock-dialog')
      // The holder is still there (stopped): only "all" removes a live lock, and the user says so.
      await dialog.getByTestId('unlock-all').check()
      await dialog.getByTestId('confirm-unlock').click()
      await dialog.waitFor({ state: 'detached', timeout: 30_000 })
      await item.getByTestId('unlock-done').waitFor({ state: 'visible' })
      expect(readdirSync(join(repo, 'locks'))).toHaveLength(0)

      await item.getByTestId(`store-stats-${store.id}`).click()
      await item.getByTestId(`store-stats-result-${store.id}`).waitFor({ state: 'visible', timeout: 30_000 })
    } finally {
      holder.kill('SIGKILL')
      await session.close()
      await instance.close()
    }
  })
})
