import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startDevWebServer, type DevWebServer } from '../../src/devweb/server'
import { testEnv } from './testEnv'
import type { Instance } from './slipwayInstance'

export const artifactsDir = join(__dirname, '../../test-artifacts')

export interface BrowserSession {
  readonly browser: Browser
  readonly page: Page
  readonly server: DevWebServer
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

/** Debian's Chromium, headless, on the renderer served by the dev-web harness for `instance`. */
export async function openRenderer(
  instance: Instance,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<BrowserSession> {
  const server = await startDevWebServer({
    router: instance.slipway.router,
    rendererDir: join(__dirname, '../../out/renderer'),
    log: instance.log,
  })
  const browser = await chromium.launch({
    executablePath: testEnv().chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    viewport: { width: 1200, height: 800 },
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(server.url)
  mkdirSync(artifactsDir, { recursive: true })
  return {
    browser,
    page,
    server,
    async screenshot(name) {
      const path = join(artifactsDir, `${name}.png`)
      await page.screenshot({ path, fullPage: true })
      return path
    },
    async close() {
      await browser.close()
      await server.close()
      if (problems.length > 0) throw new Error(`the page reported errors:\n${problems.join('\n')}`)
    },
  }
}
