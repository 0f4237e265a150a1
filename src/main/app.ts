/**
 * The composition root: every service is built here by hand, in the order a reader can follow,
 * from the platform ports it is given. Electron's index.ts and the dev-web harness both call it.
 */
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { lifecycleOf } from './docker/containerLifecycle'
import { localEngine } from './docker/engines'
import { EventBus } from './events'
import { HelperImages } from './hosts/helperImages'
import { HostConnections } from './hosts/hostConnections'
import { HostRegistry } from './hosts/hostRegistry'
import { HostService } from './hosts/hostService'
import { TrustedHostKeys } from './hosts/trustedHostKeys'
import { appHandlers } from './ipc/handlers/appHandlers'
import { hostHandlers } from './ipc/handlers/hostHandlers'
import { jobHandlers } from './ipc/handlers/jobHandlers'
import { workloadHandlers } from './ipc/handlers/workloadHandlers'
import { ComposeWorkloads } from './workloads/composeWorkloads'
import { snapshotHandlers } from './ipc/handlers/snapshotHandlers'
import { storeHandlers } from './ipc/handlers/storeHandlers'
import { SftpBridge } from './stores/sftpBridge'
import { StoreRegistry } from './stores/storeRegistry'
import { StoreService } from './stores/storeService'
import { SnapshotScheduler } from './snapshots/scheduler'
import { restoreHandlers } from './ipc/handlers/restoreHandlers'
import { metricsHandlers } from './ipc/handlers/metricsHandlers'
import { MetricsSampler } from './metrics/metricsSampler'
import { MetricsService } from './metrics/metricsService'
import { MetricsStore } from './metrics/metricsStore'
import { RecoverySweeps } from './recovery/recoverySweeps'
import { RestoreEngine } from './restore/restoreEngine'
import { RestoreJournal } from './restore/restoreJournal'
import { recoverRestores } from './restore/restoreRecovery'
import { SnapshotFiles } from './snapshots/snapshotFiles'
import { CaptureHookSettings } from './snapshots/hooks/captureHookSettings'
import { SnapshotService } from './snapshots/snapshotService'
import { SnapshotStore } from './snapshots/snapshotStore'
import { createRouter, type Handlers, type Router } from './ipc/router'
import { topicSources } from './ipc/topicSources'
import { JobRegistry } from './jobs/jobRegistry'
import type { Logger } from './log'
import { noDialogs, type Platform, type SecretStore } from './platform/ports'
import { withWeakStorageConsent } from './platform/secretConsent'
import { readAppSettings } from './settings/appSettings'
import { SettingsStore } from './settings/settingsStore'
import { KeyedLock } from './concurrency/keyedLock'
import { DeployHistory } from './workloads/deployHistory'
import { WorkloadDispatcher } from './workloads/dispatch/dispatcher'
import { QuiesceJournal } from './workloads/dispatch/quiesceJournal'
import { readLocalEnvFile } from './workloads/localEnvFile'
import { WorkloadService } from './workloads/workloadService'
import { WorkloadStore } from './workloads/workloadStore'
import { openDatabase, type Db } from './store/database'
import { migrate } from './store/migrate'
import { migrations } from './store/migrations'
import { HostKeyPolicy } from './ssh/hostKeyPolicy'
import { expandHome } from './ssh/sshDestination'
import { sshEnvironment } from './ssh/sshEnvironment'

export interface Slipway {
  /** Start-up work, in order: sweep incomplete snapshots, connect hosts, start the scheduler. */
  start(): Promise<void>
  readonly router: Router
  readonly db: Db
  readonly settings: SettingsStore
  readonly bus: EventBus
  readonly secrets: SecretStore
  /** Engines per host (tests and benchmarks use the very connections the app uses). */
  readonly engines: HostConnections
  readonly dispatcher: WorkloadDispatcher
  readonly snapshots: SnapshotService
  readonly scheduler: SnapshotScheduler
  readonly metrics: MetricsService
  stop(): Promise<void>
}

export interface Tuning {
  readonly keepaliveIntervalMs: number
  readonly keepaliveCountMax: number
  readonly reconnectFirstDelayMs: number
  readonly reconnectMaxDelayMs: number
  readonly recoveryMaxRetryMs: number
  /** Off only where ticks are driven by hand (benchmarks). */
  readonly metricsSampling: boolean
  readonly metricsConcurrencyPerHost: number
  readonly metricsMaintenanceMs: number
  readonly metricsRequestTimeoutMs: number
  /** After a restore, an app without a healthcheck must stay up this long to count as up. */
  readonly restoreSettleMs: number
  readonly restoreMaxHealthWaitMs: number
  /** The longest a deploy waits for a new service's healthcheck, whatever the healthcheck's own timings say. */
  readonly deployMaxHealthWaitMs: number
  /** The longest a deploy waits for a one-shot service others depend on (a migration) to finish. */
  readonly deployMaxCompletionWaitMs: number
}

export const defaultTuning: Tuning = {
  keepaliveIntervalMs: 2_000,
  keepaliveCountMax: 2,
  reconnectFirstDelayMs: 1_000,
  reconnectMaxDelayMs: 10_000,
  recoveryMaxRetryMs: 60_000,
  metricsSampling: true,
  // The engine answers stats on its one-second collection cycle: requests in flight together share
  // one cycle, so a tick of 50 containers takes about a second instead of one per request.
  metricsConcurrencyPerHost: 64,
  metricsMaintenanceMs: 60_000,
  metricsRequestTimeoutMs: 10_000,
  restoreSettleMs: 3_000,
  restoreMaxHealthWaitMs: 5 * 60_000,
  deployMaxHealthWaitMs: 5 * 60_000,
  deployMaxCompletionWaitMs: 30 * 60_000,
}

export async function createSlipway(platform: Platform, log: Logger, tuning: Tuning = defaultTuning): Promise<Slipway> {
  // 1. Store: open and migrate before anything reads it. The data folder is the user's alone.
  mkdirSync(platform.dataDir, { recursive: true, mode: 0o700 })
  chmodSync(platform.dataDir, 0o700)
  const db = openDatabase(join(platform.dataDir, 'slipway.db'), {
    ...(platform.sqliteNativeBinding === undefined ? {} : { nativeBinding: platform.sqliteNativeBinding }),
  })
  const migration = migrate(db, migrations)
  log.info('store ready', { from: migration.from, to: migration.to })

  // 2. Services.
  const bus = new EventBus()
  const settings = new SettingsStore(db)
  const secrets = withWeakStorageConsent(
    platform.secrets(settings),
    () => readAppSettings(settings).allowWeakSecretStorage,
  )
  const jobs = new JobRegistry(bus, platform.clock)
  const registry = new HostRegistry(db)
  const trustedKeys = new TrustedHostKeys(db)
  const ssh = sshEnvironment(platform.homeDir, platform.env)
  const helperOwner = { installation: installationId(settings), run: randomUUID() }
  const connections = new HostConnections({
    registry,
    policy: new HostKeyPolicy(trustedKeys, ssh.knownHostsFiles),
    secrets,
    ssh,
    localEngine: localEngine(platform.env['DOCKER_HOST'], helperOwner),
    helperOwner,
    bus,
    log,
    reconnect: { firstDelayMs: tuning.reconnectFirstDelayMs, maxDelayMs: tuning.reconnectMaxDelayMs },
    keepaliveIntervalMs: tuning.keepaliveIntervalMs,
    keepaliveCountMax: tuning.keepaliveCountMax,
  })
  const engine = (hostId: string) => connections.engine(hostId)
  const helperImages = new HelperImages(settings)
  const workloadStore = new WorkloadStore(db, secrets)
  const hosts = new HostService(registry, connections, trustedKeys, secrets, ssh, workloadStore, helperImages)
  const history = new DeployHistory(db, platform.clock)
  const interrupted = history.markInterrupted()
  if (interrupted > 0) log.warn('deploys interrupted by the last shutdown were marked failed', { interrupted })
  const dispatcher = new WorkloadDispatcher({
    store: workloadStore,
    history,
    // The container lifecycle exists here and in the dispatcher only: nothing else is handed it.
    engine: (hostId) => ({ ...connections.engine(hostId), lifecycle: lifecycleOf(connections.handle(hostId)) }),
    lock: new KeyedLock(),
    jobs,
    log,
    clock: platform.clock,
    historyLimit: () => readAppSettings(settings).deployHistoryLimit,
    quiesced: new QuiesceJournal(db),
    readEnvFile: (path) => readLocalEnvFile(expandHome(path, platform.homeDir)),
    waits: { maxHealthWaitMs: tuning.deployMaxHealthWaitMs, maxCompletionWaitMs: tuning.deployMaxCompletionWaitMs },
    ...(platform.testHooks?.quiesceRequested === undefined
      ? {}
      : { quiesceRequested: platform.testHooks.quiesceRequested }),
  })
  const workloads = new WorkloadService(workloadStore, history, dispatcher, registry, engine, log)
  const compose = new ComposeWorkloads(workloadStore, workloads)
  const snapshotStore = new SnapshotStore(db)
  const snapshotFiles = new SnapshotFiles(join(platform.dataDir, 'snapshots'))
  const storeRegistry = new StoreRegistry(db)
  const stores = new StoreService({
    registry: storeRegistry,
    snapshots: snapshotStore,
    files: snapshotFiles,
    secrets,
    openSftp: (hostId) => connections.openSftp(hostId),
    hostName: (hostId) => registry.find(hostId)?.name,
    isLocalHost: (hostId) => registry.find(hostId)?.kind === 'local',
    binary: () => platform.env['SLIPWAY_RESTIC'] ?? 'restic',
    cacheDir: join(platform.dataDir, 'restic-cache'),
    scratchDir: join(platform.dataDir, 'store-drills'),
    bridge: new SftpBridge(join(platform.dataDir, 'stores'), process.execPath, log),
    log,
    clock: platform.clock,
  })
  const snapshots = new SnapshotService({
    places: stores,
    store: snapshotStore,
    files: snapshotFiles,
    dispatcher,
    workloads: workloadStore,
    hosts: registry,
    jobs,
    log,
    clock: platform.clock,
    helperImages,
    preRestorePinDays: () => readAppSettings(settings).preRestorePinDays,
    hookSettings: new CaptureHookSettings(db),
  })
  dispatcher.setPreDeployHook(snapshots.preDeployHook())
  const restoreJournal = new RestoreJournal(db)
  const restores = new RestoreEngine({
    journal: restoreJournal,
    snapshots,
    snapshotStore,
    archives: snapshots,
    dispatcher,
    workloads: workloadStore,
    jobs,
    bus,
    log,
    helperImages,
    health: { settleMs: tuning.restoreSettleMs, maxHealthWaitMs: tuning.restoreMaxHealthWaitMs },
    // Called once the restore has let go of the workload's lock and its busy mark.
    unfinished: (hostId) => void sweeps.trigger(hostId),
    ...(platform.testHooks?.afterRestoreJournal === undefined
      ? {}
      : { afterJournal: platform.testHooks.afterRestoreJournal }),
  })
  const recoverHost = async (hostId: string): Promise<void> => {
    const roles = connections.engine(hostId)
    await roles.helpers.removeLeftovers()
    await recoverRestores(
      {
        journal: restoreJournal,
        dispatcher,
        workloads: workloadStore,
        snapshots,
        bus,
        log,
        helperImages,
        health: { settleMs: tuning.restoreSettleMs, maxHealthWaitMs: tuning.restoreMaxHealthWaitMs },
        isRestoring: (id) => restores.isRestoring(id),
      },
      hostId,
      roles,
    )
    await dispatcher.recoverQuiesced(hostId)
  }
  const sweeps = new RecoverySweeps({
    sweep: recoverHost,
    isConnected: (hostId) => connections.state(hostId).status !== 'offline',
    log,
    firstRetryMs: tuning.reconnectFirstDelayMs,
    maxRetryMs: tuning.recoveryMaxRetryMs,
  })
  connections.onConnected((hostId) => void sweeps.trigger(hostId))
  const scheduler = new SnapshotScheduler({
    store: snapshotStore,
    clock: platform.clock,
    log,
    run: async (workloadId) => {
      // A live schedule of a database was asked for on purpose when the policy was saved.
      await snapshots.capture(workloadId, snapshotStore.policy(workloadId).scheduleMode, null, 'schedule', true)
    },
    maintain: () => void snapshots.expirePreRestorePins(),
  })

  const metrics = new MetricsService({
    store: new MetricsStore(db),
    sampler: new MetricsSampler({
      hosts: () =>
        registry
          .list()
          // The local engine has no link to watch: it is tried every tick (a failure skips it).
          .filter((h) => h.kind === 'local' || connections.state(h.id).status === 'connected')
          .map((h) => ({
            hostId: h.id,
            engine: connections.engine(h.id).inspector,
            workloadIds: workloadStore.ids(h.id),
          })),
      log,
      concurrencyPerHost: tuning.metricsConcurrencyPerHost,
      requestTimeoutMs: tuning.metricsRequestTimeoutMs,
    }),
    workloads: workloadStore,
    clock: platform.clock,
    log,
    intervalSeconds: () => readAppSettings(settings).metricsIntervalSeconds,
    maintenanceMs: tuning.metricsMaintenanceMs,
  })

  // 3. The IPC surface.
  const handlers: Handlers = {
    ...appHandlers(platform, settings, secrets, () => metrics.intervalChanged()),
    ...hostHandlers(hosts),
    ...jobHandlers(jobs),
    ...workloadHandlers(workloads, compose),
    ...snapshotHandlers(snapshots, platform.dialogs ?? noDialogs),
    ...storeHandlers(stores, snapshotStore, workloadStore),
    ...metricsHandlers(metrics),
    ...restoreHandlers(
      restores,
      restoreJournal,
      workloadStore,
      platform.env['USER'] ?? platform.env['USERNAME'] ?? 'unknown',
    ),
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
    snapshots,
    scheduler,
    metrics,
    async start() {
      await snapshots.sweep()
      await sweeps.trigger('local')
      connections.startAll()
      scheduler.start()
      if (tuning.metricsSampling) metrics.start()
    },
    async stop() {
      scheduler.stop()
      // Closing the links first fails whatever is still in flight on them, so nothing waited on hangs.
      const metricsStopped = metrics.stop()
      connections.stopAll()
      await metricsStopped
      await sweeps.close()
      db.close()
      log.info('stopped')
    },
  }
}

/** This data dir's own id, made at its first start: what its helper containers are labelled with. */
function installationId(settings: SettingsStore): string {
  const known = settings.get('installationId', z.uuid())
  if (known !== undefined) return known
  const made = randomUUID()
  settings.set('installationId', made)
  return made
}
