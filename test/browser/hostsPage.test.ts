import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRenderer, type BrowserSession } from '../helpers/browser'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

describe('the renderer in Chromium, through the dev-web harness', () => {
  let instance: Instance
  let session: BrowserSession
  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost })
    session = await openRenderer(instance)
  })
  afterAll(async () => {
    await session.close()
    await instance.close()
  })

  it("shows the real private engine's version on the Hosts page", async () => {
    const expected = execFileSync('docker', ['-H', env.dockerHost, 'version', '--format', '{{.Server.Version}}'], {
      encoding: 'utf8',
    }).trim()
    const card = session.page.getByTestId('host-local')
    await expect.poll(() => card.getByTestId('engine-version').textContent()).toBe(expected)
    expect(await card.getByTestId('engine-status').textContent()).toBe('Reachable')
    const images = execFileSync('docker', ['-H', env.dockerHost, 'info', '--format', '{{.Images}}'], {
      encoding: 'utf8',
    }).trim()
    expect(await card.getByTestId('engine-images').textContent()).toBe(images)
    const [total, running] = execFileSync(
      'docker',
      ['-H', env.dockerHost, 'info', '--format', '{{.Containers}} {{.ContainersRunning}}'],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ')
    expect(await card.getByTestId('engine-containers').textContent()).toBe(`${total ?? ''} (${running ?? ''} running)`)
    await session.screenshot('hosts-page')
  })

  it("sets the host's helper image after checking it is there and has a shell, and clears it", async () => {
    const { page } = session
    const card = page.getByTestId('host-local')
    const form = card.getByTestId('helper-image-form')
    await expect.poll(() => form.getByTestId('helper-image-current').textContent()).toMatch(/^Empty:/)

    await form.getByTestId('helper-image-input').fill('slipway-test/not-there:1')
    await form.getByTestId('save-helper-image').click()
    await expect.poll(() => form.getByTestId('helper-image-error').getAttribute('data-reason')).toBe('missing')
    const setting = () =>
      instance.slipway.db.prepare("SELECT value FROM settings WHERE key = 'helperImage:local'").get()
    expect(setting()).toBeUndefined()

    await form.getByTestId('helper-image-input').fill(env.image)
    await form.getByTestId('save-helper-image').click()
    await expect.poll(() => form.getByTestId('helper-image-current').textContent()).toContain(env.image)
    expect(setting()).toEqual({ value: JSON.stringify(env.image) })
    expect(await form.getByTestId('helper-image-error').count()).toBe(0)

    await form.getByTestId('helper-image-input').fill('')
    await form.getByTestId('save-helper-image').click()
    await expect.poll(() => form.getByTestId('helper-image-current').textContent()).toMatch(/^Empty:/)
    expect(setting()).toBeUndefined()
  })

  it('switches to Russian, remembers it in the store, and keeps it after a reload', async () => {
    const { page } = session
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('language-select').selectOption('ru')
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('Хосты')
    const row = instance.slipway.db.prepare("SELECT value FROM settings WHERE key = 'language'").get()
    expect(row).toEqual({ value: '"ru"' })

    await page.reload()
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('Хосты')
    await page.getByTestId('nav-hosts').click()
    await expect.poll(() => page.getByTestId('host-local').getByTestId('engine-status').textContent()).toBe('Доступен')
    await session.screenshot('hosts-page-ru')

    await page.getByTestId('nav-settings').click()
    await page.getByTestId('language-select').selectOption('en')
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('Hosts')
  })
})
