import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { createSlipway, defaultTuning, type Slipway, type Tuning } from '../../src/main/app'
import { createLogger, fileLogSink, type Logger } from '../../src/main/log'
import { createFileSecretStore } from '../../src/main/platform/fileSecretStore'
import { systemClock, type Clock } from '../../src/main/platform/ports'

export interface Instance {
  readonly slipway: Slipway
  readonly dataDir: string
  readonly homeDir: string
  readonly log: Logger
  readonly logPath: string
  /** Everything the main process logged so far. */
  logText(): string
  /** The id this data dir's helper containers are labelled with. */
  installationId(): string
  close(): Promise<void>
}

export interface InstanceOptions {
  readonly dockerHost: string
  readonly clock?: Clock
  readonly dataDir?: string
  /** The user's home (~/.ssh, ~/.docker); a fresh empty one by default. */
  readonly homeDir?: string
  readonly env?: Readonly<Record<string, string>>
  readonly tuning?: Partial<Tuning>
  /** Call start() (connect SSH hosts) right away; default true. */
  readonly start?: boolean
  readonly afterRestoreJournal?: (step: string) => void
  readonly quiesceRequested?: (containerId: string) => void
}

/** A real Slipway composition (SQLite in a temp dir) wired to the given engine. */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'slipway-data-'))
  const homeDir = options.homeDir ?? mkdtempSync(join(tmpdir(), 'slipway-home-'))
  const logPath = join(dataDir, 'logs/main.log')
  const log = createLogger(fileLogSink(logPath, process.env['SLIPWAY_TEST_LOG_ECHO'] === '1'), 'debug')
  const slipway = await createSlipway(
    {
      dataDir,
      homeDir,
      shell: 'web',
      appVersion: '0.0.0-test',
      secrets: () => createFileSecretStore(join(dataDir, 'secrets.json'), log),
      clock: options.clock ?? systemClock,
      env: { USER: 'tester', ...options.env, DOCKER_HOST: options.dockerHost },
      testHooks: {
        ...(options.afterRestoreJournal === undefined ? {} : { afterRestoreJournal: options.afterRestoreJournal }),
        ...(options.quiesceRequested === undefined ? {} : { quiesceRequested: options.quiesceRequested }),
      },
    },
    log,
    // A shorter settle than the app's 3 s keeps the many restores of the suite quick; the rule is the same.
    { ...defaultTuning, restoreSettleMs: 1_000, ...options.tuning },
  )
  if (options.start !== false) await slipway.start()
  return {
    slipway,
    dataDir,
    homeDir,
    log,
    logPath,
    logText: () => readFileSync(logPath, 'utf8'),
    installationId: () => {
      const id = slipway.settings.get('installationId', z.string())
      if (id === undefined) throw new Error('the instance has no installation id yet')
      return id
    },
    async close() {
      await slipway.stop()
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
      if (options.homeDir === undefined) rmSync(homeDir, { recursive: true, force: true })
    },
  }
}
