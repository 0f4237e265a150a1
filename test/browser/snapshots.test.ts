import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openRenderer } from '../helpers/browser'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload } from '../helpers/workloadFixtures'

const env = testEnv()

describe('snapshots in the UI', () => {
  it('captures with the progress bar showing, then browses the snapshot with no engine', async () => {
    importedImage('slipway-test/app:a', 'A')
    const data = tempDir('ui-snap-')
    buildTree(data, {
      notes: { type: 'dir' },
      'notes/readme.txt': { type: 'file', content: 'hello from the snapshot\n' },
    })
    execFileSync('dd', ['if=/dev/urandom', `of=${join(data, 'blob.bin')}`, 'bs=1M', 'count=192'], { stdio: 'ignore' })
    const dataDir = tempDir('ui-snap-data-')
    const online = await startInstance({ dockerHost: env.dockerHost, dataDir })
    const w = await deployedWorkload(online, 'local', 'snapui', [{ kind: 'bind', source: data, target: '/data' }])
    let snapshotId = ''
    const session = await openRenderer(online)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/workloads/local/${w.id}`)
      await page.getByTestId('capture-now').click()
      await page.getByTestId('capture-mode-live').check()
      await page.getByTestId('capture-label').fill('from the browser')
      await page.getByTestId('confirm-capture').click()
      await page.getByTestId('capture-progress').waitFor({ state: 'visible', timeout: 20_000 })
      await session.screenshot('snapshot-capture-progress')
      await expect
        .poll(() => online.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshots').get(), { timeout: 60_000 })
        .toEqual({ n: 1 })
      snapshotId = (online.slipway.db.prepare('SELECT id FROM snapshots').get() as { id: string }).id
      await page.getByTestId(`snapshot-row-${snapshotId}`).waitFor({ state: 'visible', timeout: 20_000 })
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await online.slipway.stop()
    }

    const offline = await startInstance({ dockerHost: `unix://${env.envDir}/no-engine.sock`, dataDir })
    const again = await openRenderer(offline)
    try {
      const { page } = again
      await page.getByTestId('nav-snapshots').click()
      await page.getByTestId(`snapshot-item-${snapshotId}`).click()
      await page.getByTestId('snapshot-browser').waitFor({ state: 'visible' })
      await page.getByTestId('dir-entry-notes').getByTestId('open-dir').click()
      await page.getByTestId('dir-entry-readme.txt').getByTestId('open-file').click()
      await expect
        .poll(() => page.getByTestId('preview-text').textContent(), { timeout: 10_000 })
        .toBe('hello from the snapshot\n')
      await again.screenshot('snapshot-browser-offline')
    } finally {
      await again.close()
      await offline.close()
    }
  })
})
