import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSlipway, type Slipway } from '../../src/main/app'
import { createLogger, fileLogSink, type Logger } from '../../src/main/log'
import { createFileSecretStore } from '../../src/main/platform/fileSecretStore'
import { systemClock, type Clock } from '../../src/main/platform/ports'

export interface Instance {
  readonly slipway: Slipway
  readonly dataDir: string
  readonly log: Logger
  readonly logPath: string
  /** Everything the main process logged so far. */
  logText(): string
  close(): Promise<void>
}

/** A real Slipway composition (SQLite in a temp dir) wired to the given engine. */
export async function startInstance(options: {
  dockerHost: string
  clock?: Clock
  dataDir?: string
}): Promise<Instance> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'slipway-data-'))
  const logPath = join(dataDir, 'logs/main.log')
  const log = createLogger(fileLogSink(logPath), 'debug')
  const slipway = await createSlipway(
    {
      dataDir,
      shell: 'web',
      appVersion: '0.0.0-test',
      secrets: () => createFileSecretStore(join(dataDir, 'secrets.json'), log),
      clock: options.clock ?? systemClock,
      env: { DOCKER_HOST: options.dockerHost },
    },
    log,
  )
  return {
    slipway,
    dataDir,
    log,
    logPath,
    logText: () => readFileSync(logPath, 'utf8'),
    async close() {
      await slipway.stop()
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
