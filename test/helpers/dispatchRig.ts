/**
 * The real dispatch point (store, history, quiesce journal, lock, jobs on SQLite in a temp dir)
 * wired to a mock Engine API: unit tests of deploy phases and their undos, with no real engine.
 */
import { join } from 'node:path'
import { KeyedLock } from '../../src/main/concurrency/keyedLock'
import { lifecycleOf } from '../../src/main/docker/containerLifecycle'
import { localEngine, rolesOf } from '../../src/main/docker/engines'
import { testHelperOwner } from './helperOwner'
import { EventBus } from '../../src/main/events'
import { JobRegistry } from '../../src/main/jobs/jobRegistry'
import { silentLogger } from '../../src/main/log'
import type { Clock, SecretStore } from '../../src/main/platform/ports'
import { openDatabase, type Db } from '../../src/main/store/database'
import { migrate } from '../../src/main/store/migrate'
import { migrations } from '../../src/main/store/migrations'
import { DeployHistory } from '../../src/main/workloads/deployHistory'
import { WorkloadDispatcher } from '../../src/main/workloads/dispatch/dispatcher'
import { QuiesceJournal } from '../../src/main/workloads/dispatch/quiesceJournal'
import { WorkloadStore, type WorkloadRecord } from '../../src/main/workloads/workloadStore'
import { readLocalEnvFile } from '../../src/main/workloads/localEnvFile'
import type { MockEngine } from './mockEngine'
import { workloadFields } from './workloadSpecs'
import { tempDir } from './tempDir'

export interface DispatchRig {
  readonly db: Db
  readonly store: WorkloadStore
  readonly history: DeployHistory
  readonly quiesced: QuiesceJournal
  readonly dispatcher: WorkloadDispatcher
  readonly clock: Clock
  /** A workload on the local host whose services run these images (one service each). */
  workload(name: string, services: Record<string, string>, snapshotBeforeDeploy?: boolean): Promise<WorkloadRecord>
}

export function memorySecrets(protection: SecretStore['protection'] = 'os'): SecretStore {
  const values = new Map<string, string>()
  return {
    protection,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  }
}

export function dispatchRig(engine: MockEngine): DispatchRig {
  const db = openDatabase(join(tempDir('dispatch-rig-'), 'slipway.db'))
  migrate(db, migrations)
  const clock: Clock = { now: () => Date.now() }
  const handle = localEngine(engine.dockerHost, testHelperOwner())
  const store = new WorkloadStore(db, memorySecrets())
  const history = new DeployHistory(db, clock)
  const quiesced = new QuiesceJournal(db)
  const dispatcher = new WorkloadDispatcher({
    store,
    history,
    engine: () => ({ ...rolesOf(handle), lifecycle: lifecycleOf(handle) }),
    lock: new KeyedLock(),
    jobs: new JobRegistry(new EventBus(), clock),
    log: silentLogger,
    clock,
    historyLimit: () => 50,
    quiesced,
    readEnvFile: readLocalEnvFile,
    waits: { maxHealthWaitMs: 30_000, maxCompletionWaitMs: 30_000 },
  })
  return {
    db,
    store,
    history,
    quiesced,
    dispatcher,
    clock,
    workload: (name, services, snapshotBeforeDeploy = false) =>
      store.create(
        'local',
        workloadFields({
          name,
          snapshotBeforeDeploy,
          services: Object.entries(services).map(([service, image]) => ({
            name: service,
            image,
            command: null,
            env: [],
            ports: [],
            volumes: [],
            restart: 'no' as const,
          })),
        }),
      ),
  }
}

/** Lifecycle calls with each deploy's new-container suffix made readable: `create app-web-new`. */
export function calls(engine: MockEngine, from = 0): string[] {
  return engine
    .lifecycle()
    .slice(from)
    .map((c) => c.replace(/-[0-9a-f]{8}$/, '-new'))
}
