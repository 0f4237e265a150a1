/**
 * The composition root: every service is built here by hand, in the order a reader can follow,
 * from the platform ports it is given. Electron's index.ts and the dev-web harness both call it.
 */
import Dockerode from 'dockerode'
import { join } from 'node:path'
import { localDockerOptions } from './docker/dockerHost'
import { EventBus } from './events'
import { HostConnections } from './hosts/hostConnections'
import { HostRegistry } from './hosts/hostRegistry'
import { HostService } from './hosts/hostService'
import { TrustedHostKeys } from './hosts/trustedHostKeys'
import { appHandlers } from './ipc/handlers/appHandlers'
import { hostHandlers } from './ipc/handlers/hostHandlers'
import { jobHandlers } from './ipc/handlers/jobHandlers'
import { workloadHandlers } from './ipc/handlers/workloadHandlers'
import { createRouter, type Handlers, type Router } from './ipc/router'
import { topicSources } from './ipc/topicSources'
import { JobRegistry } from './jobs/jobRegistry'
import type { Logger } from './log'
import type { Platform, SecretStore } from './platform/ports'
import { readAppSettings } from './settings/appSettings'
import { SettingsStore } from './settings/settingsStore'
import { KeyedLock } from './concurrency/keyedLock'
import { DeployHistory } from './workloads/deployHistory'
import { WorkloadDispatcher } from './workloads/dispatch/dispatcher'
import { WorkloadService } from './workloads/workloadService'
import { WorkloadStore } from './workloads/workloadStore'
import { openDatabase, type Db } from './store/database'
import { migrate } from './store/migrate'
import { migrations } from './store/migrations'
import { HostKeyPolicy } from './ssh/hostKeyPolicy'
import { sshEnvironment } from './ssh/sshEnvironment'

export interface Slipway {
  /** Start-up work that needs the services: connecting hosts (and, later, recovery). */
  start(): void
  readonly router: Router
  readonly db: Db
  readonly settings: SettingsStore
  readonly bus: EventBus
  readonly secrets: SecretStore
  /** Docker clients per host (tests and benchmarks use the very clients the app uses). */
  readonly engines: HostConnections
  readonly dispatcher: WorkloadDispatcher
  stop(): Promise<void>
}

export interface Tuning {
  readonly keepaliveIntervalMs: number
  readonly keepaliveCountMax: number
  readonly reconnectFirstDelayMs: number
  readonly reconnectMaxDelayMs: number
}

export const defaultTuning: Tuning = {
  keepaliveIntervalMs: 2_000,
  keepaliveCountMax: 2,
  reconnectFirstDelayMs: 1_000,
  reconnectMaxDelayMs: 10_000,
}

export async function createSlipway(platform: Platform, log: Logger, tuning: Tuning = defaultTuning): Promise<Slipway> {
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
  const registry = new HostRegistry(db)
  const trustedKeys = new TrustedHostKeys(db)
  const ssh = sshEnvironment(platform.homeDir, platform.env)
  const connections = new HostConnections({
    registry,
    policy: new HostKeyPolicy(trustedKeys, ssh.knownHostsFiles),
    secrets,
    ssh,
    localDocker: new Dockerode(localDockerOptions(platform.env['DOCKER_HOST'])),
    bus,
    log,
    reconnect: { firstDelayMs: tuning.reconnectFirstDelayMs, maxDelayMs: tuning.reconnectMaxDelayMs },
    keepaliveIntervalMs: tuning.keepaliveIntervalMs,
    keepaliveCountMax: tuning.keepaliveCountMax,
  })
  const workloadStore = new WorkloadStore(db, secrets)
  const hosts = new HostService(registry, connections, trustedKeys, secrets, ssh, workloadStore)
  const history = new DeployHistory(db, platform.clock)
  const interrupted = history.markInterrupted()
  if (interrupted > 0) log.warn('deploys interrupted by the last shutdown were marked failed', { interrupted })
  const dispatcher = new WorkloadDispatcher({
    store: workloadStore,
    history,
    engines: connections,
    lock: new KeyedLock(),
    jobs,
    log,
    historyLimit: () => readAppSettings(settings).deployHistoryLimit,
  })
  const workloads = new WorkloadService(workloadStore, history, dispatcher, registry, connections, log)

  // 3. The IPC surface.
  const handlers: Handlers = {
    ...appHandlers(platform, settings),
    ...hostHandlers(hosts),
    ...jobHandlers(jobs),
    ...workloadHandlers(workloads),
  }
  const router = createRouter({ handlers, topics: topicSources(bus, workloads), log })

  return {
    router,
    db,
    settings,
    bus,
    secrets,
    engines: connections,
    dispatcher,
    start() {
      connections.startAll()
    },
    async stop() {
      connections.stopAll()
      db.close()
      log.info('stopped')
    },
  }
}
