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

  it('defines two services with a user, a healthcheck, a memory limit and a wait, shows every setting, and an edit keeps what the form does not show', async () => {
    const { page } = session
    await page.getByTestId('nav-workloads').click()
    await page.getByTestId('new-workload').click()
    await page.getByTestId('workload-name').fill('pair')
    await page.getByTestId('service-0-name').fill('db')
    await page.getByTestId('service-0-image').fill('slipway-test/app:a')
    await page.getByTestId('service-0-user').fill('1000:1000')
    await page.getByTestId('service-0-healthcheck').selectOption('shell')
    await page.getByTestId('service-0-healthTest').fill('test -f /version')
    await page.getByTestId('service-0-healthInterval').fill('0.5')
    await page.getByTestId('service-0-memLimit').fill('64')
    await page.getByTestId('add-service').click()
    await page.getByTestId('service-1-name').fill('web')
    await page.getByTestId('service-1-image').fill('slipway-test/app:a')
    // An open quote is refused on the field before anything is sent.
    await page.getByTestId('service-1-entrypoint').fill('"sh')
    await page.getByTestId('workload-submit').click()
    await page.getByTestId('field-error-services.1.entrypoint').waitFor({ state: 'visible' })
    await page.getByTestId('service-1-entrypoint').fill('')
    await page.getByTestId('service-1-depends-db').selectOption('service_healthy')
    await page.getByTestId('workload-submit').click()

    const detail = page.getByTestId('workload-detail')
    await detail.waitFor({ state: 'visible' })
    const db = page.getByTestId('service-summary-db')
    await expect.poll(() => db.locator('[data-setting="user"] dd').textContent()).toBe('1000:1000')
    await expect.poll(() => db.locator('[data-setting="healthcheck"] dd').textContent()).toContain('test -f /version')
    await expect
      .poll(() => page.getByTestId('service-summary-web').locator('[data-setting="dependsOn"]').count())
      .toBe(1)
    await expect
      .poll(() => page.getByTestId('workload-resources').locator('[data-network="pair_default"]').count())
      .toBe(1)

    await page.getByTestId('deploy').click()
    await expect
      .poll(() => page.getByTestId('workload-state').first().getAttribute('data-state'), { timeout: 30_000 })
      .toBe('running')
    const workloadId = (
      instance.slipway.db.prepare("SELECT id FROM workloads WHERE name = 'pair'").get() as { id: string }
    ).id
    const containerOf = (service: string): string =>
      docker(
        'ps',
        '-q',
        '--filter',
        `label=io.slipway.workload=${workloadId}`,
        '--filter',
        `label=io.slipway.service=${service}`,
      )
    const [inspectDb] = JSON.parse(docker('inspect', containerOf('db'))) as {
      Config: { User: string; Healthcheck: { Test: string[]; Interval: number } }
      HostConfig: { Memory: number }
      State: { Health?: { Status: string } }
    }[]
    expect(inspectDb?.Config.User).toBe('1000:1000')
    expect(inspectDb?.Config.Healthcheck).toMatchObject({
      Test: ['CMD-SHELL', 'test -f /version'],
      Interval: 500_000_000,
    })
    expect(inspectDb?.HostConfig.Memory).toBe(64 * 1024 * 1024)
    // web waited for db to be healthy: it exists only once db reported so.
    expect(inspectDb?.State.Health?.Status).toBe('healthy')

    // A setting the form does not edit (labels, here set as an import would) survives an edit through the form.
    instance.slipway.db
      .prepare(
        "UPDATE services SET spec = json_set(spec, '$.labels', json('{\"tier\":\"data\"}')) WHERE name = 'db' AND workload_id = ?",
      )
      .run(workloadId)
    await page.reload()
    await page.getByTestId('edit-workload').click()
    await page.getByTestId('service-0-memLimit').fill('96')
    await page.getByTestId('workload-submit').click()
    await detail.waitFor({ state: 'visible' })
    await expect.poll(() => db.locator('[data-setting="memLimitBytes"] dd').textContent()).toContain('96')
    const saved = JSON.parse(
      (
        instance.slipway.db
          .prepare("SELECT spec FROM services WHERE name = 'db' AND workload_id = ?")
          .get(workloadId) as { spec: string }
      ).spec,
    ) as { labels: Record<string, string>; user: string; memLimitBytes: number; healthcheck: { intervalMs: number } }
    expect(saved).toMatchObject({ labels: { tier: 'data' }, user: '1000:1000', memLimitBytes: 96 * 1024 * 1024 })
    expect(saved.healthcheck.intervalMs).toBe(500)
    // Saved, not deployed: the page says what a deploy would change from what runs, and only that.
    const pending = page.getByTestId('undeployed-changes')
    await pending.waitFor({ state: 'visible' })
    expect(await pending.locator('[data-change="removed"]').allTextContents()).toEqual([
      expect.stringMatching(/^− db: .*64/),
    ])
    // The labels were written straight into the store before the edit: also not deployed yet.
    const added = await pending.locator('[data-change="added"]').allTextContents()
    expect(added).toHaveLength(2)
    expect(added).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\+ db: .*96/), expect.stringMatching(/^\+ db: .*tier=data/)]),
    )
    await session.screenshot('workload-undeployed-changes')
    await page.getByTestId('deploy').click()
    await pending.waitFor({ state: 'detached', timeout: 30_000 })
    const [redeployed] = JSON.parse(docker('inspect', containerOf('db'))) as { HostConfig: { Memory: number } }[]
    expect(redeployed?.HostConfig.Memory).toBe(96 * 1024 * 1024)
    await session.screenshot('workload-two-services')
  })

  it('imports a pasted compose file: an error shows at its line, the fixed file deploys, and the export gives the file back', async () => {
    const { page } = session
    await page.getByTestId('nav-workloads').click()
    await page.getByTestId('import-compose').click()
    await page.getByTestId('compose-name').fill('pasted')
    // Typed as a user would: selecting all and deleting, then inserting plain text (a `fill` of the
    // editor's contenteditable makes Chromium carry the highlighted tokens' styles into inline ones).
    const type = async (text: string): Promise<void> => {
      await page.getByTestId('compose-text').click()
      await page.keyboard.press('Control+A')
      await page.keyboard.press('Delete')
      await page.keyboard.insertText(text)
    }
    const file = (image: string) =>
      `services:\n  app:\n    image: ${image}\n    environment:\n      TOKEN: \${TOKEN}\n    volumes:\n      - data:/data\nvolumes:\n  data:\n`
    await type(`${file('slipway-test/app:a')}    buidl: .\n`)
    const problem = page.getByTestId('compose-problems').locator('li').first()
    await expect.poll(() => problem.getAttribute('data-line'), { timeout: 10_000 }).toBe('10')
    expect(await page.getByTestId('compose-import-confirm').isDisabled()).toBe(true)
    // Inline in the editor too: a marker in the gutter of line 10.
    await expect.poll(() => page.locator('.cm-lint-marker-error').count(), { timeout: 10_000 }).toBe(1)
    await session.screenshot('compose-import-error')
    await type(file('slipway-test/app:a'))
    await page.getByTestId('compose-env').fill('TOKEN=tok-from-env\n')
    await expect
      .poll(() => page.getByTestId('compose-summary').textContent(), { timeout: 10_000 })
      .toContain('pasted_data')
    await page.getByTestId('compose-import-confirm').click()

    const detail = page.getByTestId('workload-detail')
    await detail.waitFor({ state: 'visible' })
    await page.getByTestId('deploy').click()
    await expect
      .poll(() => page.getByTestId('workload-state').first().getAttribute('data-state'), { timeout: 20_000 })
      .toBe('running')
    await page.getByTestId('export-compose').click()
    const exported = page.getByTestId('compose-exported')
    await expect.poll(() => exported.inputValue(), { timeout: 10_000 }).toContain('TOKEN: ${TOKEN}')
    expect(await exported.inputValue()).toContain('source: data')
    expect(await page.getByTestId('compose-exported-env').inputValue()).toBe('TOKEN=\n')
    await session.screenshot('compose-export')
  })
})
