/**
 * The composition root: every service is built here by hand, in the order a reader can follow,
 * from the platform ports it is given. Electron's index.ts and the dev-web harness both call it.
 */
import Dockerode from 'dockerode'
import { join } from 'node:path'
import { localDockerOptions } from './docker/dockerHost'
import { EventBus } from './events'
import { HostRegistry } from './hosts/hostRegistry'
import { HostService, type EngineProvider } from './hosts/hostService'
import { appHandlers } from './ipc/handlers/appHandlers'
import { hostHandlers } from './ipc/handlers/hostHandlers'
import { jobHandlers } from './ipc/handlers/jobHandlers'
import { createRouter, type Handlers, type Router } from './ipc/router'
import { topicSources } from './ipc/topicSources'
import { JobRegistry } from './jobs/jobRegistry'
import type { Logger } from './log'
import type { Platform, SecretStore } from './platform/ports'
import { SettingsStore } from './settings/settingsStore'
import { openDatabase, type Db } from './store/database'
import { migrate } from './store/migrate'
import { migrations } from './store/migrations'

export interface Slipway {
  readonly router: Router
  readonly db: Db
  readonly settings: SettingsStore
  readonly bus: EventBus
  readonly secrets: SecretStore
  stop(): Promise<void>
}

const ENGINE_TIMEOUT_MS = 10_000

export async function createSlipway(platform: Platform, log: Logger): Promise<Slipway> {
  // 1. Store: open and migrate before anything reads it.
  const db = openDatabase(join(platform.dataDir, 'slipway.db'), {
    ...(platform.sqliteNativeBinding === undefined ? {} : { nativeBinding: platform.sqliteNativeBinding }),
  })
  const migration = migrate(db, migrations)
  log.info('store ready', { from: migration.from, to: migration.to })

  // 2. Services.
  const bus = new EventBus()
  const settings = new SettingsStore(db)
  const secrets = platform.secrets(settings)
  const jobs = new JobRegistry(bus, platform.clock)
  const localDocker = new Dockerode({ ...localDockerOptions(platform.env.DOCKER_HOST), timeout: ENGINE_TIMEOUT_MS })
  const engines: EngineProvider = { docker: () => localDocker }
  const hosts = new HostService(new HostRegistry(db), engines, bus)

  // 3. The IPC surface.
  const handlers: Handlers = {
    ...appHandlers(platform, settings),
    ...hostHandlers(hosts),
    ...jobHandlers(jobs),
  }
  const router = createRouter({ handlers, topics: topicSources(bus), log })

  return {
    router,
    db,
    settings,
    bus,
    secrets,
    async stop() {
      db.close()
      log.info('stopped')
    },
  }
}
