/** `npm run dev:web`: the real main services under Node, with the renderer served to a browser. */
import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createSlipway } from '../main/app'
import { createLogger, fileLogSink } from '../main/log'
import { createFileSecretStore } from '../main/platform/fileSecretStore'
import { systemClock } from '../main/platform/ports'
import { startDevWebServer } from './server'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5190' },
      'data-dir': { type: 'string', default: join(homedir(), '.local/share/slipway-dev-web') },
      renderer: { type: 'string', default: resolve(__dirname, '../../out/renderer') },
    },
  })
  const dataDir = resolve(values['data-dir'])
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const log = createLogger(fileLogSink(join(dataDir, 'logs/main.log'), true))
  // A failure nobody awaited is a bug to log, not a reason to drop what the services are doing (a
  // capture, a restore's later phases): exiting would cut them short, and keeping on serving loses
  // nothing that the journals and recovery sweeps would not repair anyway.
  process.on('unhandledRejection', (error) => log.error('unhandled rejection in the dev-web harness', { error }))
  process.on('uncaughtException', (error) => log.error('uncaught exception in the dev-web harness', { error }))
  const slipway = await createSlipway(
    {
      dataDir,
      homeDir: homedir(),
      shell: 'web',
      appVersion: process.env['npm_package_version'] ?? '0.0.0',
      secrets: () => createFileSecretStore(join(dataDir, 'secrets.json'), log),
      clock: systemClock,
      env: process.env,
    },
    log,
  )
  await slipway.start()
  const server = await startDevWebServer({
    router: slipway.router,
    rendererDir: values.renderer,
    log,
    port: Number(values.port),
  })
  process.stdout.write(`Slipway dev-web: open ${server.url}\n`)
  const shutdown = (): void => {
    void server
      .close()
      .then(() => slipway.stop())
      .then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

void main()
