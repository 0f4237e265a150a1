/**
 * The one dispatch point: every action that creates, starts, stops or removes a workload's
 * containers runs here, under the workload's lock. Different workloads proceed in parallel. It is
 * the only module handed the container lifecycle (see docker/containerLifecycle.ts).
 */
import type { DeployReason, DeployRecord } from '../../../shared/types/workloads'
import type { KeyedLock } from '../../concurrency/keyedLock'
import type { EngineRoles } from '../../docker/engine'
import { AppError } from '../../errors'
import type { JobRegistry } from '../../jobs/jobRegistry'
import type { Logger } from '../../log'
import { UndoStack } from '../../phases/undoStack'
import type { Clock } from '../../platform/ports'
import type { DeployHistory } from '../deployHistory'
import type { WorkloadRecord, WorkloadStore } from '../workloadStore'
import { repairAfterCrash } from './crashRepair'
import { deployPreflight, type EnvFileReader } from './deployPreflight'
import {
  failureOf,
  removeUnusedNetworks,
  runDeploy,
  type DeployOptions,
  type DeployWaits,
  type DispatchEngine,
} from './deployRun'
import { noPreDeploySnapshot, type PreDeploySnapshotHook } from './preDeployHook'
import type { QuiesceJournal } from './quiesceJournal'
import { networksInUse } from './workloadResources'
import { currentByService, labelledContainers, type ServiceContainer } from './workloadContainers'

export type { DeployOptions } from './deployRun'

export interface DispatcherDeps {
  readonly store: WorkloadStore
  readonly history: DeployHistory
  /** The host's engine with its container lifecycle: given to nothing but this dispatch point. */
  readonly engine: (hostId: string) => DispatchEngine
  readonly lock: KeyedLock
  readonly jobs: JobRegistry
  readonly log: Logger
  readonly clock: Clock
  readonly historyLimit: () => number
  readonly quiesced: QuiesceJournal
  /** Env files are read on this computer at every deploy, as compose reads them. */
  readonly readEnvFile: EnvFileReader
  readonly waits: DeployWaits
  /** Test-only seam: a stop or pause was just asked of the engine (a test kills the process here). */
  readonly quiesceRequested?: (containerId: string) => void
}

/** What a caller holding the lock may do (snapshot capture, restore): never the lifecycle itself. */
export interface LockedWorkload {
  readonly workload: WorkloadRecord
  readonly engine: EngineRoles
  /** Stops the running containers (each owed a start until `startStopped`); returns the image id each stopped service ran. */
  stop(): Promise<Map<string, string>>
  /** Starts the containers that `stop` stopped. */
  startStopped(): Promise<void>
  /** Freezes the running containers (each owed an unpause until `unpausePaused`). */
  pause(): Promise<void>
  /** Thaws the containers that `pause` froze. */
  unpausePaused(): Promise<void>
  deploy(reason: DeployReason, options?: DeployOptions): Promise<DeployRecord>
}

export class WorkloadDispatcher {
  private hook: PreDeploySnapshotHook = noPreDeploySnapshot

  constructor(private readonly deps: DispatcherDeps) {}

  setPreDeployHook(hook: PreDeploySnapshotHook): void {
    this.hook = hook
  }

  isBusy(workloadId: string): boolean {
    return this.deps.lock.isBusy(workloadId)
  }

  deploy(
    workloadId: string,
    reason: 'deploy' | 'redeploy' | 'adopt',
    options: DeployOptions = {},
  ): Promise<DeployRecord> {
    return this.exclusive(workloadId, 'wait', (locked) => locked.deploy(reason, options))
  }

  rollback(workloadId: string, deploymentId: string): Promise<DeployRecord> {
    return this.exclusive(workloadId, 'wait', async (locked) => {
      const target = this.deps.history.get(deploymentId)
      if (target?.workloadId !== workloadId) throw new AppError('NOT_FOUND', 'unknown deployment')
      if (target.status !== 'success' || target.pins.length === 0) {
        throw new AppError('CONFLICT', 'only a successful deploy can be rolled back to', {
          details: { reason: 'not_success' },
        })
      }
      for (const pin of target.pins) {
        if ((await locked.engine.inspector.inspectImage(pin.imageId)) === null) {
          throw new AppError('CONFLICT', 'pinned image is gone from the host', {
            details: { reason: 'image_gone', service: pin.service },
          })
        }
      }
      return locked.deploy('rollback', {
        pins: new Map(target.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
        // The entry's configuration comes back with its images (entries from before configs were kept: images only).
        ...(target.config === null ? {} : { config: target.config }),
      })
    })
  }

  start(workloadId: string): Promise<void> {
    return this.exclusive(workloadId, 'wait', async ({ workload }) => {
      const engine = this.deps.engine(workload.hostId)
      const current = currentByService(await labelledContainers(engine.inspector, workload.id))
      if (current.size === 0)
        throw new AppError('CONFLICT', 'nothing deployed yet', { details: { reason: 'not_deployed' } })
      for (const c of current.values()) if (!c.running) await engine.lifecycle.start(c.id)
    })
  }

  stop(workloadId: string): Promise<void> {
    return this.exclusive(workloadId, 'wait', async ({ workload }) => {
      const engine = this.deps.engine(workload.hostId)
      for (const c of await this.running(engine, workload)) await engine.lifecycle.stop(c.id)
    })
  }

  /**
   * Repairs what a crash mid-dispatch left on the host (at start-up and whenever it reconnects):
   * containers of a deploy cut short are removed, and every container stopped on purpose and still
   * owed a start is started once any stop still under way has ended. A workload busy with another
   * action is left for the next sweep. Resolves to the workloads whose app runs again.
   */
  async recoverQuiesced(hostId: string): Promise<{ running: string[]; down: string[] }> {
    const { quiesced, store, history, log } = this.deps
    const owed = quiesced.pending(hostId)
    const workloadIds = new Set([
      ...owed.map((o) => o.workloadId),
      ...[...store.ids(hostId)].filter((id) => {
        const latest = history.latest(id)
        return latest !== null && latest.status !== 'success'
      }),
    ])
    const result = { running: [] as string[], down: [] as string[] }
    for (const workloadId of workloadIds) {
      if (store.find(workloadId) === undefined) {
        quiesced.clear(workloadId)
        continue
      }
      try {
        await this.exclusive(workloadId, 'try', async ({ workload }) => {
          const running = await repairAfterCrash({
            engine: this.deps.engine(hostId),
            workload,
            owed: owed.filter((o) => o.workloadId === workloadId),
            uncommitted: (deployId) => {
              const record = history.get(deployId)
              return record !== undefined && record.status !== 'success'
            },
            now: () => this.deps.clock.now(),
            log,
          })
          if (running) {
            quiesced.clear(workloadId)
            result.running.push(workloadId)
          } else {
            log.error('an app stopped before a crash does not run again; will retry', { workloadId })
            result.down.push(workloadId)
          }
        })
      } catch (error) {
        log.warn('could not repair a dispatch interrupted by a crash', { workloadId, error })
        result.down.push(workloadId)
      }
    }
    return result
  }

  /**
   * Removes the containers, the workload's networks (the ones Slipway made and the ones it declares,
   * adopted from compose; never an external one, and the engine refuses one other containers still
   * use), and (unless kept) its named volumes, external ones excepted; then the workload itself.
   */
  remove(workloadId: string, keepVolumes: boolean): Promise<void> {
    return this.exclusive(workloadId, 'wait', async ({ workload }) => {
      const engine = this.deps.engine(workload.hostId)
      for (const c of await labelledContainers(engine.inspector, workload.id)) await engine.lifecycle.remove(c.id)
      await removeUnusedNetworks({ workload, engine, log: this.deps.log }, [])
      for (const network of networksInUse(workload).filter((n) => !n.external)) {
        await engine.lifecycle
          .removeNetwork(network.name)
          .catch((error: unknown) => this.deps.log.warn('could not remove a network', { name: network.name, error }))
      }
      if (!keepVolumes) {
        const external = new Set(workload.volumes.filter((v) => v.external).map((v) => v.name))
        const names = new Set(
          workload.services.flatMap((s) => s.volumes.flatMap((v) => (v.kind === 'volume' ? [v.source] : []))),
        )
        for (const name of names) if (!external.has(name)) await engine.lifecycle.removeVolume(name)
      }
      await this.deps.store.delete(workload.id)
    })
  }

  /**
   * Runs `work` holding the workload's lock: 'wait' queues behind other actions, 'try' refuses
   * with BUSY. The workload is read again after the lock is taken: it may have changed meanwhile.
   */
  exclusive<T>(workloadId: string, mode: 'wait' | 'try', work: (locked: LockedWorkload) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const workload = this.deps.store.require(workloadId)
      const engine = this.deps.engine(workload.hostId)
      let stopped: ServiceContainer[] = []
      let paused: ServiceContainer[] = []
      const locked: LockedWorkload = {
        workload,
        engine: { inspector: engine.inspector, helpers: engine.helpers, exec: engine.exec },
        stop: async () => {
          const running = await this.running(engine, workload)
          stopped = running
          for (const c of running) await this.quiesceOwed(engine, workload, c.id, 'stopped')
          return new Map(running.map((c) => [c.service, c.imageId]))
        },
        startStopped: async () => {
          for (const c of stopped) {
            if ((await engine.inspector.inspectContainer(c.id)) !== null) await engine.lifecycle.start(c.id)
          }
          stopped = []
          this.deps.quiesced.clear(workload.id)
        },
        pause: async () => {
          paused = await this.running(engine, workload)
          for (const c of paused) await this.quiesceOwed(engine, workload, c.id, 'paused')
        },
        unpausePaused: async () => {
          for (const c of paused) {
            if ((await engine.inspector.inspectContainer(c.id)) !== null) await engine.lifecycle.unpause(c.id)
          }
          paused = []
          this.deps.quiesced.clear(workload.id)
        },
        deploy: (reason, options = {}) => this.deployLocked(workload, engine, reason, options),
      }
      return work(locked)
    }
    return mode === 'try' ? this.deps.lock.tryRun(workloadId, run) : this.deps.lock.run(workloadId, run)
  }

  private async running(engine: DispatchEngine, workload: WorkloadRecord): Promise<ServiceContainer[]> {
    return [...currentByService(await labelledContainers(engine.inspector, workload.id)).values()].filter(
      (c) => c.running,
    )
  }

  /** A stop (or pause) the dispatch point owes an undo for: journaled before it is asked, so a crash is repaired. */
  private async quiesceOwed(
    engine: DispatchEngine,
    workload: WorkloadRecord,
    containerId: string,
    kind: 'stopped' | 'paused',
  ): Promise<void> {
    this.deps.quiesced.record(workload.hostId, workload.id, containerId, this.deps.clock.now(), kind)
    const asked = kind === 'stopped' ? engine.lifecycle.stop(containerId) : engine.lifecycle.pause(containerId)
    this.deps.quiesceRequested?.(containerId)
    await asked
  }

  private async deployLocked(
    saved: WorkloadRecord,
    engine: DispatchEngine,
    reason: DeployReason,
    options: DeployOptions,
  ): Promise<DeployRecord> {
    const { history, jobs, log, quiesced } = this.deps
    const workload: WorkloadRecord = options.config === undefined ? saved : { ...saved, ...options.config }
    // Refused before anything is recorded or created: a missing env file, an external network that is not there.
    const env = await deployPreflight({
      workload,
      inspector: engine.inspector,
      store: this.deps.store,
      readEnvFile: this.deps.readEnvFile,
    })
    const deployId = history.begin(workload.id, reason, {
      services: workload.services,
      networks: workload.networks,
      volumes: workload.volumes,
    })
    const undo = new UndoStack(log, { workloadId: workload.id, deployId })
    const pins: DeployRecord['pins'][number][] = []
    const job = jobs.start('deploy', 'steps', workload.id, async (ctx) => {
      try {
        await runDeploy({
          workload,
          engine,
          deployId,
          reason,
          options,
          ctx,
          undo,
          env,
          waits: this.deps.waits,
          history,
          hook: this.hook,
          log,
          stopOwed: (id) => this.quiesceOwed(engine, workload, id, 'stopped'),
          pins,
          markCommitted: () => history.commit(deployId, pins, this.deps.historyLimit()),
        })
        quiesced.clear(workload.id)
      } catch (error) {
        const failure = failureOf(error)
        log.error('deploy failed; putting the previous version back', {
          workloadId: workload.id,
          deployId,
          code: failure.code,
          service: failure.service,
          error,
        })
        const unwound = await undo.unwind()
        // Whatever could not be put back stays owed: the recovery sweep starts it.
        if (unwound.complete) quiesced.clear(workload.id)
        history.fail(deployId, failure, pins, this.deps.historyLimit())
        throw new AppError('DEPLOY_FAILED', 'deploy failed', {
          details: { reason: failure.code, deploymentId: deployId, service: failure.service },
        })
      }
    })
    await job.result
    // A rollback's configuration is the saved one once it runs (secret values: the stored ones are kept).
    if (options.config !== undefined)
      await this.deps.store.update(workload.id, {
        name: workload.name,
        snapshotBeforeDeploy: workload.snapshotBeforeDeploy,
        services: [...options.config.services],
        networks: [...options.config.networks],
        volumes: [...options.config.volumes],
      })
    const record = history.get(deployId)
    if (record === undefined) throw new AppError('INTERNAL', 'deploy record vanished')
    return record
  }
}
