import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRenderer, type BrowserSession } from '../helpers/browser'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

describe('workloads in the UI', () => {
  let instance: Instance
  let session: BrowserSession
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    importedImage('slipway-test/app:b', 'B')
    instance = await startInstance({ dockerHost: env.dockerHost })
    session = await openRenderer(instance)
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await session.close()
    await instance.close()
  })

  it('creates a workload, deploys it, sees it running, and rolls back from the history panel', async () => {
    const { page } = session
    await page.getByTestId('nav-workloads').click()
    await page.getByTestId('new-workload').click()
    await page.getByTestId('workload-name').fill('webui')
    await page.getByTestId('service-0-name').fill('app')
    await page.getByTestId('service-0-image').fill('slipway-test/app:a')
    await page.getByTestId('workload-submit').click()

    const detail = page.getByTestId('workload-detail')
    await detail.waitFor({ state: 'visible' })
    await page.getByTestId('deploy').click()
    await expect
      .poll(() => page.getByTestId('workload-state').first().getAttribute('data-state'), { timeout: 20_000 })
      .toBe('running')
    const workloadId = (
      instance.slipway.db.prepare("SELECT id FROM workloads WHERE name = 'webui'").get() as { id: string }
    ).id
    const firstDeploy = (
      instance.slipway.db.prepare('SELECT id FROM deployments WHERE workload_id = ? ORDER BY seq').get(workloadId) as {
        id: string
      }
    ).id

    // Second version through the edit form.
    await page.getByTestId('edit-workload').click()
    await page.getByTestId('service-0-image').fill('slipway-test/app:b')
    await page.getByTestId('workload-submit').click()
    await page.getByTestId('deploy').click()
    const historyRows = page.locator('[data-testid^="history-row-"]')
    await expect.poll(() => historyRows.count(), { timeout: 20_000 }).toBe(2)
    const runningImage = (): string => {
      const id = docker('ps', '-q', '--filter', `label=io.slipway.workload=${workloadId}`)
      return id === '' ? '' : docker('inspect', '--format', '{{.Image}}', id)
    }
    await expect
      .poll(runningImage, { timeout: 20_000 })
      .toBe(docker('image', 'inspect', '--format', '{{.Id}}', 'slipway-test/app:b'))

    await page.getByTestId(`rollback-${firstDeploy}`).click()
    await page.getByTestId('confirm-rollback').click()
    await expect.poll(() => historyRows.count(), { timeout: 20_000 }).toBe(3)
    await expect.poll(() => historyRows.first().getAttribute('data-reason')).toBe('rollback')
    await expect.poll(() => historyRows.first().getAttribute('data-status')).toBe('success')
    expect(runningImage()).toBe(docker('image', 'inspect', '--format', '{{.Id}}', 'slipway-test/app:a'))
    await session.screenshot('workload-detail')
  })
})
