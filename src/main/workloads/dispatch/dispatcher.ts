/**
 * The one dispatch point: every action that creates, starts, stops or removes a workload's
 * containers runs here, under the workload's lock. Different workloads proceed in parallel.
 */
import type Dockerode from 'dockerode'
import type { DeployErrorCode, DeployPin, DeployReason, DeployRecord } from '../../../shared/types/workloads'
import type { KeyedLock } from '../../concurrency/keyedLock'
import { isConnectionError } from '../../docker/engineErrors'
import { AppError } from '../../errors'
import type { HostConnections } from '../../hosts/hostConnections'
import type { JobContext, JobRegistry } from '../../jobs/jobRegistry'
import type { Logger } from '../../log'
import type { DeployHistory } from '../deployHistory'
import type { WorkloadRecord, WorkloadStore } from '../workloadStore'
import { containerName, createOptions } from './containerSpec'
import { DeployFailure, resolveImage } from './imageResolver'
import { noPreDeploySnapshot, type PreDeploySnapshotHook } from './preDeployHook'
import type { QuiesceJournal } from './quiesceJournal'
import { currentByService, labelledContainers, type ServiceContainer } from './workloadContainers'

export interface DispatcherDeps {
  readonly store: WorkloadStore
  readonly history: DeployHistory
  readonly engines: HostConnections
  readonly lock: KeyedLock
  readonly jobs: JobRegistry
  readonly log: Logger
  readonly historyLimit: () => number
  readonly quiesced: QuiesceJournal
}

export interface DeployOptions {
  /** Images to run per service (a rollback's or a restore's) instead of resolving the spec's references. */
  readonly pins?: ReadonlyMap<string, { readonly imageRef: string; readonly imageId: string }>
  /** Adoption: the unmanaged containers each service replaces. */
  readonly replaces?: ReadonlyMap<string, string>
}

/** What a caller holding the lock may do (snapshot capture, restore). */
export interface LockedWorkload {
  readonly workload: WorkloadRecord
  readonly docker: Dockerode
  /** Stops the running containers; returns the image id each stopped service ran. */
  stop(): Promise<Map<string, string>>
  /** Starts the containers that `stop` stopped. */
  startStopped(): Promise<void>
  deploy(reason: DeployReason, options?: DeployOptions): Promise<DeployRecord>
}

const STOP_TIMEOUT_S = 10
const SETTLE_MS = 400

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
        try {
          await locked.docker.getImage(pin.imageId).inspect()
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) {
            throw new AppError('CONFLICT', 'pinned image is gone from the host', {
              details: { reason: 'image_gone', service: pin.service },
            })
          }
          throw error
        }
      }
      return locked.deploy('rollback', {
        pins: new Map(target.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
      })
    })
  }

  start(workloadId: string): Promise<void> {
    return this.exclusive(workloadId, 'wait', async ({ workload, docker }) => {
      const current = currentByService(await labelledContainers(docker, workload.id))
      if (current.size === 0)
        throw new AppError('CONFLICT', 'nothing deployed yet', { details: { reason: 'not_deployed' } })
      for (const c of current.values()) if (!c.running) await docker.getContainer(c.id).start()
    })
  }

  stop(workloadId: string): Promise<void> {
    return this.exclusive(workloadId, 'wait', async (locked) => {
      await locked.stop()
    })
  }

  /**
   * Restarts containers a crash left stopped mid-capture (at start-up and whenever the host
   * reconnects). A workload busy with another action is left for the next sweep.
   */
  async recoverQuiesced(hostId: string): Promise<string[]> {
    const recovered: string[] = []
    const byWorkload = new Map<string, string[]>()
    for (const p of this.deps.quiesced.pending(hostId)) {
      byWorkload.set(p.workloadId, [...(byWorkload.get(p.workloadId) ?? []), p.containerId])
    }
    for (const [workloadId, containers] of byWorkload) {
      if (this.deps.store.find(workloadId) === undefined) {
        this.deps.quiesced.clear(workloadId)
        continue
      }
      try {
        await this.exclusive(workloadId, 'try', async ({ docker }) => {
          for (const id of containers) await startIfStopped(docker, id)
          this.deps.quiesced.clear(workloadId)
          recovered.push(workloadId)
        })
      } catch (error) {
        this.deps.log.warn('could not restart containers stopped before a crash', { workloadId, error })
      }
    }
    return recovered
  }

  /** Removes the containers (and, unless kept, the named volumes), then the workload itself. */
  remove(workloadId: string, keepVolumes: boolean): Promise<void> {
    return this.exclusive(workloadId, 'wait', async ({ workload, docker }) => {
      for (const c of await labelledContainers(docker, workload.id))
        await docker.getContainer(c.id).remove({ force: true })
      if (!keepVolumes) {
        const names = new Set(
          workload.services.flatMap((s) => s.volumes.filter((v) => v.kind === 'volume').map((v) => v.source)),
        )
        for (const name of names) {
          try {
            await docker.getVolume(name).remove()
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode !== 404) throw error
          }
        }
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
      const docker = this.deps.engines.docker(workload.hostId)
      let stopped: ServiceContainer[] = []
      const locked: LockedWorkload = {
        workload,
        docker,
        stop: async () => {
          const running = [...currentByService(await labelledContainers(docker, workload.id)).values()].filter(
            (c) => c.running,
          )
          for (const c of running) this.deps.quiesced.record(workload.hostId, workload.id, c.id)
          stopped = running
          for (const c of running) await docker.getContainer(c.id).stop({ t: STOP_TIMEOUT_S })
          return new Map(running.map((c) => [c.service, c.imageId]))
        },
        startStopped: async () => {
          for (const c of stopped) await startIfStopped(docker, c.id)
          stopped = []
          this.deps.quiesced.clear(workload.id)
        },
        deploy: (reason, options = {}) => this.deployLocked(workload, docker, reason, options),
      }
      return work(locked)
    }
    return mode === 'try' ? this.deps.lock.tryRun(workloadId, run) : this.deps.lock.run(workloadId, run)
  }

  private async deployLocked(
    workload: WorkloadRecord,
    docker: Dockerode,
    reason: DeployReason,
    options: DeployOptions,
  ): Promise<DeployRecord> {
    const { history, jobs, log } = this.deps
    const deployId = history.begin(workload.id, reason)
    const pins: DeployPin[] = []
    const job = jobs.start('deploy', 'steps', workload.id, async (ctx) => {
      try {
        await this.replaceContainers(workload, docker, deployId, options, pins, ctx)
        this.deps.quiesced.clear(workload.id)
        history.finish(deployId, { status: 'success', pins }, this.deps.historyLimit())
      } catch (error) {
        // The failure path restarted whatever ran before; a crash before that leaves the journal to repair it.
        this.deps.quiesced.clear(workload.id)
        const code = failureCode(error)
        log.error('deploy failed', { workloadId: workload.id, deployId, reason, code, error })
        history.finish(deployId, { status: 'failure', errorCode: code, pins }, this.deps.historyLimit())
        throw new AppError('DEPLOY_FAILED', 'deploy failed', { details: { reason: code, deploymentId: deployId } })
      }
    })
    await job.result
    const record = history.get(deployId)
    if (record === undefined) throw new AppError('INTERNAL', 'deploy record vanished')
    return record
  }

  private async replaceContainers(
    workload: WorkloadRecord,
    docker: Dockerode,
    deployId: string,
    options: DeployOptions,
    pins: DeployPin[],
    ctx: JobContext,
  ): Promise<void> {
    const { store, history, log } = this.deps
    const steps = workload.services.length * 3 + 2
    let step = 0
    const progress = (phase: string): void => ctx.progress(phase, ++step, steps)

    // 1. Images, before anything changes.
    const imageIds = new Map<string, string>()
    for (const service of workload.services) {
      progress('pull')
      const pinned = options.pins?.get(service.name)
      const id = await resolveImage(docker, service.image, pinned?.imageId ?? null, (done, total) =>
        ctx.progress('pull', done, total),
      )
      imageIds.set(service.name, id)
      pins.push({ service: service.name, imageRef: pinned?.imageRef ?? service.image, imageId: id })
    }

    // 2. What runs now: labelled containers, or the unmanaged ones an adoption replaces.
    const all = await labelledContainers(docker, workload.id)
    const current = currentByService(all)
    const old = new Map<string, { id: string; running: boolean }>()
    for (const service of workload.services) {
      const replaced = options.replaces?.get(service.name)
      if (replaced !== undefined) {
        const info = await docker.getContainer(replaced).inspect()
        old.set(service.name, { id: info.Id, running: info.State.Running })
      } else {
        const c = current.get(service.name)
        if (c !== undefined) old.set(service.name, { id: c.id, running: c.running })
      }
    }

    // 3. The pre-deploy snapshot, fail-open.
    if (workload.snapshotBeforeDeploy && reasonTakesSnapshot(history.get(deployId)?.reason)) {
      progress('snapshot')
      try {
        const taken = await this.hook.snapshot(workload, {
          deployId,
          docker,
          quiesce: async () => {
            for (const previous of old.values()) {
              if (!previous.running) continue
              this.deps.quiesced.record(workload.hostId, workload.id, previous.id)
              await docker.getContainer(previous.id).stop({ t: STOP_TIMEOUT_S })
            }
          },
        })
        history.preDeploySnapshot(deployId, taken === null ? 'skipped' : 'taken', taken?.snapshotId ?? null)
      } catch (error) {
        log.warn('pre-deploy snapshot failed; deploying anyway', { workloadId: workload.id, deployId, error })
        history.preDeploySnapshot(deployId, 'failed', null)
      }
    }

    // 4. New containers, created but not started: a failure here leaves the old ones untouched.
    const created = new Map<string, string>()
    try {
      for (const service of workload.services) {
        progress('create')
        const container = await docker.createContainer(
          createOptions({
            workloadId: workload.id,
            workloadName: workload.name,
            deployId,
            service,
            imageId: imageIds.get(service.name) ?? '',
            env: await store.resolveEnv(workload.id, service),
          }),
        )
        created.set(service.name, container.id)
      }
    } catch (error) {
      await removeQuietly(docker, [...created.values()], log)
      throw error instanceof DeployFailure || error instanceof AppError
        ? error
        : new DeployFailure(classify(error, 'create_failed'), { cause: error })
    }

    // 5. Switch service by service; on any failure put every old container back as it was.
    const switched: string[] = []
    try {
      for (const service of workload.services) {
        progress('start')
        const previous = old.get(service.name)
        if (previous?.running === true) await docker.getContainer(previous.id).stop({ t: STOP_TIMEOUT_S })
        switched.push(service.name)
        const fresh = docker.getContainer(created.get(service.name) ?? '')
        await fresh.start()
        await settle(fresh)
      }
    } catch (error) {
      log.warn('start failed; restoring the previous containers', { workloadId: workload.id, deployId, error })
      await removeQuietly(docker, [...created.values()], log)
      for (const name of switched) {
        const previous = old.get(name)
        if (previous?.running === true) {
          try {
            await docker.getContainer(previous.id).start()
          } catch (restartError) {
            log.error('could not restart the previous container', {
              workloadId: workload.id,
              service: name,
              error: restartError,
            })
          }
        }
      }
      throw error instanceof DeployFailure
        ? error
        : new DeployFailure(classify(error, 'start_failed'), { cause: error })
    }

    // 6. Commit: the old and any leftover containers go; the new ones take the canonical names.
    progress('cleanup')
    const keep = new Set(created.values())
    const obsolete = new Set(
      [...all.map((c) => c.id), ...[...old.values()].map((o) => o.id)].filter((id) => !keep.has(id)),
    )
    await removeQuietly(docker, [...obsolete], log)
    for (const [service, id] of created) {
      try {
        await docker.getContainer(id).rename({ name: containerName(workload.name, service) })
      } catch (error) {
        log.warn('could not give the container its canonical name', { workloadId: workload.id, service, error })
      }
    }
  }
}

function reasonTakesSnapshot(reason: DeployReason | undefined): boolean {
  // A restore takes its own pre-restore snapshot; an adoption has nothing of ours to protect yet.
  return reason !== undefined && reason !== 'restore' && reason !== 'adopt'
}

/** A container that exits at once with an error did not start, whatever `start` answered. */
async function settle(container: Dockerode.Container): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const state = (await container.inspect()).State
  if (!state.Running && !state.Restarting && state.ExitCode !== 0) throw new DeployFailure('start_failed')
}

async function startIfStopped(docker: Dockerode, id: string): Promise<void> {
  try {
    const info = await docker.getContainer(id).inspect()
    if (!info.State.Running) await docker.getContainer(id).start()
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error
  }
}

async function removeQuietly(docker: Dockerode, ids: readonly string[], log: Logger): Promise<void> {
  for (const id of ids) {
    try {
      await docker.getContainer(id).remove({ force: true })
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) log.warn('could not remove a container', { id, error })
    }
  }
}

function classify(error: unknown, fallback: DeployErrorCode): DeployErrorCode {
  if (error instanceof AppError && error.code === 'UNAVAILABLE') return 'engine_unavailable'
  return isConnectionError(error) ? 'engine_unavailable' : fallback
}

function failureCode(error: unknown): DeployErrorCode {
  if (error instanceof DeployFailure) return error.code
  if (error instanceof AppError) return error.code === 'UNAVAILABLE' ? 'engine_unavailable' : 'internal'
  return classify(error, 'internal')
}
