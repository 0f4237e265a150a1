/**
 * One deploy, as named phases. Nothing that runs now is touched until every new container exists;
 * each phase registers its undo the moment it has changed something, so a failure in any phase
 * puts back exactly what that phase and the ones before it changed, and the previous version runs
 * again. Only `commit` makes the change final.
 *
 *   images → current → pre-deploy snapshot → create → switch (service by service) → commit
 */
import type { DeployErrorCode, DeployPin, DeployReason } from '../../../shared/types/workloads'
import type { ContainerLifecycle } from '../../docker/containerLifecycle'
import type { EngineRoles } from '../../docker/engine'
import { isConnectionError } from '../../docker/engineErrors'
import { AppError } from '../../errors'
import type { JobContext } from '../../jobs/jobRegistry'
import type { Logger } from '../../log'
import type { UndoStack } from '../../phases/undoStack'
import type { DeployHistory } from '../deployHistory'
import type { WorkloadRecord, WorkloadStore } from '../workloadStore'
import { containerName, createOptions } from './containerSpec'
import { DeployFailure, resolveImage } from './imageResolver'
import type { PreDeploySnapshotHook } from './preDeployHook'
import { currentByService, labelledContainers, type ServiceContainer } from './workloadContainers'

/** A host's engine as the dispatch point holds it: the only place with the container lifecycle. */
export interface DispatchEngine extends EngineRoles {
  readonly lifecycle: ContainerLifecycle
}

export interface DeployOptions {
  /** Images to run per service (a rollback's or a restore's) instead of resolving the spec's references. */
  readonly pins?: ReadonlyMap<string, { readonly imageRef: string; readonly imageId: string }>
  /** Adoption: the unmanaged containers each service replaces. */
  readonly replaces?: ReadonlyMap<string, string>
}

/** Stops a container the dispatch point will owe a start (journaled first, so a crash is repaired). */
export type OwedStop = (containerId: string) => Promise<void>

export interface DeployRun {
  readonly workload: WorkloadRecord
  readonly engine: DispatchEngine
  readonly deployId: string
  readonly reason: DeployReason
  readonly options: DeployOptions
  readonly ctx: JobContext
  readonly undo: UndoStack
  readonly store: WorkloadStore
  readonly history: DeployHistory
  readonly hook: PreDeploySnapshotHook
  readonly log: Logger
  readonly stopOwed: OwedStop
  /** Filled as images resolve: what the history records for this deploy. */
  readonly pins: DeployPin[]
  /** Records the point of no return: from here on the new containers are the app. */
  readonly markCommitted: () => void
}

export const STOP_TIMEOUT_S = 10
const SETTLE_MS = 400

interface Previous {
  readonly id: string
  readonly running: boolean
}

export async function runDeploy(run: DeployRun): Promise<void> {
  const steps = run.workload.services.length * 3 + 2
  let step = 0
  const progress = (phase: string): void => run.ctx.progress(phase, ++step, steps)

  const images = await resolveImages(run, progress)
  const { all, previous } = await currentContainers(run)
  await preDeploySnapshot(run, previous, progress)
  const created = await createContainers(run, images, progress)
  await switchServices(run, previous, created, progress)
  await commit(run, all, previous, created, progress)
}

/** 1. Every image, before anything changes: a pinned id must still be there, a reference is pulled if absent. */
async function resolveImages(run: DeployRun, progress: (phase: string) => void): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (const service of run.workload.services) {
    progress('pull')
    const pinned = run.options.pins?.get(service.name)
    const id = await resolveImage(run.engine, service.image, pinned?.imageId ?? null, ({ done, total }) =>
      run.ctx.progress('pull', done, total),
    )
    ids.set(service.name, id)
    run.pins.push({ service: service.name, imageRef: pinned?.imageRef ?? service.image, imageId: id })
  }
  return ids
}

/** 2. What runs now: labelled containers, or the unmanaged ones an adoption replaces. */
async function currentContainers(
  run: DeployRun,
): Promise<{ all: ServiceContainer[]; previous: Map<string, Previous> }> {
  const all = await labelledContainers(run.engine.inspector, run.workload.id)
  const current = currentByService(all)
  const previous = new Map<string, Previous>()
  for (const service of run.workload.services) {
    const replaced = run.options.replaces?.get(service.name)
    if (replaced !== undefined) {
      const info = await run.engine.inspector.inspectContainer(replaced)
      if (info === null) throw new AppError('NOT_FOUND', 'the container to replace is gone')
      previous.set(service.name, { id: info.Id, running: info.State.Running })
    } else {
      const c = current.get(service.name)
      if (c !== undefined) previous.set(service.name, { id: c.id, running: c.running })
    }
  }
  return { all, previous }
}

/** 3. The pre-deploy snapshot, fail-open. Its capture stops the old containers: their start is owed from here on. */
async function preDeploySnapshot(
  run: DeployRun,
  previous: ReadonlyMap<string, Previous>,
  progress: (phase: string) => void,
): Promise<void> {
  const { workload, history, deployId } = run
  if (!workload.snapshotBeforeDeploy || !reasonTakesSnapshot(run.reason)) return
  progress('snapshot')
  try {
    const taken = await run.hook.snapshot(workload, {
      deployId,
      engine: run.engine,
      quiesce: async () => {
        for (const [service, old] of previous) {
          if (!old.running) continue
          run.undo.push(`start the previous ${service} (stopped for the snapshot)`, () =>
            run.engine.lifecycle.start(old.id),
          )
          await run.stopOwed(old.id)
        }
      },
    })
    history.preDeploySnapshot(deployId, taken === null ? 'skipped' : 'taken', taken?.snapshotId ?? null)
  } catch (error) {
    run.log.warn('pre-deploy snapshot failed; deploying anyway', { workloadId: workload.id, deployId, error })
    history.preDeploySnapshot(deployId, 'failed', null)
  }
}

/** 4. New containers, created but not started: nothing that runs is touched yet. */
async function createContainers(
  run: DeployRun,
  images: ReadonlyMap<string, string>,
  progress: (phase: string) => void,
): Promise<Map<string, string>> {
  const { workload, engine } = run
  const created = new Map<string, string>()
  return failingAs('create_failed', async () => {
    for (const service of workload.services) {
      progress('create')
      const id = await engine.lifecycle.create(
        createOptions({
          workloadId: workload.id,
          workloadName: workload.name,
          deployId: run.deployId,
          service,
          imageId: images.get(service.name) ?? '',
          env: await run.store.resolveEnv(workload.id, service),
        }),
      )
      run.undo.push(`remove the new ${service.name}`, () => engine.lifecycle.remove(id))
      created.set(service.name, id)
    }
    return created
  })
}

/**
 * 5. Service by service: stop the old one, start the new one, and watch that it does not exit at
 * once. The undos put the old one back in reverse: the new one goes first, so it frees its ports.
 */
async function switchServices(
  run: DeployRun,
  previous: ReadonlyMap<string, Previous>,
  created: ReadonlyMap<string, string>,
  progress: (phase: string) => void,
): Promise<void> {
  const { lifecycle } = run.engine
  await failingAs('start_failed', async () => {
    for (const service of run.workload.services) {
      progress('start')
      const old = previous.get(service.name)
      if (old?.running === true) {
        run.undo.push(`start the previous ${service.name}`, () => lifecycle.start(old.id))
        await run.stopOwed(old.id)
      }
      const fresh = created.get(service.name) ?? ''
      run.undo.push(`take the new ${service.name} down`, () => lifecycle.remove(fresh))
      await lifecycle.start(fresh)
      await settle(run, fresh)
    }
  })
}

/** 6. The point of no return: the old and any leftover containers go; the new ones take the canonical names. */
async function commit(
  run: DeployRun,
  all: readonly ServiceContainer[],
  previous: ReadonlyMap<string, Previous>,
  created: ReadonlyMap<string, string>,
  progress: (phase: string) => void,
): Promise<void> {
  const { workload, engine, log } = run
  run.undo.commit()
  run.markCommitted()
  progress('cleanup')
  const keep = new Set(created.values())
  const obsolete = new Set([...all.map((c) => c.id), ...[...previous.values()].map((o) => o.id)])
  for (const id of obsolete) {
    if (keep.has(id)) continue
    await engine.lifecycle.remove(id).catch((error: unknown) => log.warn('could not remove a container', { id, error }))
  }
  for (const [service, id] of created) {
    try {
      await engine.lifecycle.rename(id, containerName(workload.name, service))
    } catch (error) {
      log.warn('could not give the container its canonical name', { workloadId: workload.id, service, error })
    }
  }
}

function reasonTakesSnapshot(reason: DeployReason): boolean {
  // A restore takes its own pre-restore snapshot; an adoption has nothing of ours to protect yet.
  return reason !== 'restore' && reason !== 'adopt'
}

/** A container that exits at once with an error did not start, whatever `start` answered. */
async function settle(run: DeployRun, id: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const state = (await run.engine.inspector.inspectContainer(id))?.State
  if (state === undefined) throw new DeployFailure('start_failed')
  if (!state.Running && !state.Restarting && state.ExitCode !== 0) throw new DeployFailure('start_failed')
}

/** A phase's own failures carry its code; an engine out of reach is `engine_unavailable` wherever it happens. */
async function failingAs<T>(code: DeployErrorCode, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DeployFailure || error instanceof AppError) throw error
    throw new DeployFailure(isConnectionError(error) ? 'engine_unavailable' : code, { cause: error })
  }
}

/** The history's code for a failure from any phase. */
export function failureCode(error: unknown): DeployErrorCode {
  if (error instanceof DeployFailure) return error.code
  if (error instanceof AppError) return error.code === 'UNAVAILABLE' ? 'engine_unavailable' : 'internal'
  return isConnectionError(error) ? 'engine_unavailable' : 'internal'
}
