import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRenderer, type BrowserSession } from '../helpers/browser'
import { keygenFingerprint, PrivateSshd } from '../helpers/sshd'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

describe('adding an SSH host in the UI', () => {
  let sshd: PrivateSshd
  let instance: Instance
  let session: BrowserSession
  beforeAll(async () => {
    sshd = await PrivateSshd.start()
    instance = await startInstance({ dockerHost: env.dockerHost })
    session = await openRenderer(instance)
  })
  afterAll(async () => {
    await session.close()
    await instance.close()
    await sshd.close()
  })

  it('adds the host, shows the fingerprint to confirm, trusts it, and sees it connected', async () => {
    const { page } = session
    await page.getByTestId('add-host').click()
    await page.getByTestId('host-name').fill('homelab')
    await page.getByTestId('host-hostname').fill('127.0.0.1')
    await page.getByTestId('host-port').fill(String(sshd.port))
    await page.getByTestId('host-user').fill(env.ssh.user)
    await page.getByTestId('host-identity-file').fill(env.ssh.keyPath)
    await page.getByTestId('host-socket-path').fill(env.dockerSocket)
    await page.getByTestId('host-submit').click()

    const dialog = page.getByTestId('fingerprint-dialog')
    await dialog.waitFor({ state: 'visible' })
    expect(await dialog.getByTestId('fingerprint-value').textContent()).toContain(keygenFingerprint(sshd.hostKeyPub))
    await session.screenshot('ssh-host-fingerprint')
    await dialog.getByTestId('trust-host').click()

    const row = instance.slipway.db.prepare("SELECT id FROM hosts WHERE kind = 'ssh'").get() as { id: string }
    const card = page.getByTestId(`host-${row.id}`)
    await expect
      .poll(() => card.getByTestId('engine-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('connected')
    expect(await card.getByTestId('engine-status').textContent()).toBe('Reachable')
    await expect.poll(() => card.getByTestId('engine-version').textContent()).toMatch(/\d+\.\d+/)
    await session.screenshot('ssh-host-connected')
  })
})
