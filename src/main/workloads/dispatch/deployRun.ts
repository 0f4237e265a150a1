/**
 * One deploy, as named phases. Nothing that runs now is touched until every new container exists;
 * each phase registers its undo the moment it has changed something, so a failure in any phase
 * puts back exactly what that phase and the ones before it changed, and the previous version runs
 * again, on the networks and with the aliases it had (they are never detached). Only `commit`
 * makes the change final.
 *
 *   images → current → pre-deploy snapshot → resources → create → switch (in start order) → commit
 */
import { startOrder } from '../../../shared/serviceSpec'
import type {
  DeployConfig,
  DeployErrorCode,
  DeployPin,
  DeployReason,
  ServiceSpec,
} from '../../../shared/types/workloads'
import { awaitExit, awaitHealthy, healthcheckOf } from '../../docker/containerHealth'
import type { ContainerLifecycle } from '../../docker/containerLifecycle'
import type { EngineRoles } from '../../docker/engine'
import { isConnectionError } from '../../docker/engineErrors'
import { AppError } from '../../errors'
import type { JobContext } from '../../jobs/jobRegistry'
import type { Logger } from '../../log'
import type { UndoStack } from '../../phases/undoStack'
import type { DeployHistory } from '../deployHistory'
import type { WorkloadRecord } from '../workloadStore'
import { containerName, createPlan } from './containerSpec'
import { DeployFailure } from './deployFailure'
import type { ResolvedEnv } from './deployPreflight'
import { resolveImage } from './imageResolver'
import { LABELS } from './labels'
import type { PreDeploySnapshotHook } from './preDeployHook'
import { currentByService, labelledContainers, type ServiceContainer } from './workloadContainers'
import { networkCreateSpec, networksInUse, volumeCreateSpec, volumesInUse } from './workloadResources'

/** A host's engine as the dispatch point holds it: the only place with the container lifecycle. */
export interface DispatchEngine extends EngineRoles {
  readonly lifecycle: ContainerLifecycle
}

export interface DeployOptions {
  /** Images to run per service (a rollback's or a restore's) instead of resolving the spec's references. */
  readonly pins?: ReadonlyMap<string, { readonly imageRef: string; readonly imageId: string }>
  /** Adoption: the unmanaged containers each service replaces. */
  readonly replaces?: ReadonlyMap<string, string>
  /** A rollback's configuration: deployed instead of the saved one, and saved once it runs. */
  readonly config?: DeployConfig
}

/** Stops a container the dispatch point will owe a start (journaled first, so a crash is repaired). */
export type OwedStop = (containerId: string) => Promise<void>

/** How long a deploy waits for a new service to become healthy, or for a one-shot service to finish. */
export interface DeployWaits {
  readonly maxHealthWaitMs: number
  readonly maxCompletionWaitMs: number
}

export interface DeployRun {
  readonly workload: WorkloadRecord
  readonly engine: DispatchEngine
  readonly deployId: string
  readonly reason: DeployReason
  readonly options: DeployOptions
  readonly ctx: JobContext
  readonly undo: UndoStack
  /** Every service's env, secrets and env files resolved before the deploy began. */
  readonly env: ResolvedEnv
  readonly waits: DeployWaits
  readonly history: DeployHistory
  readonly hook: PreDeploySnapshotHook
  readonly log: Logger
  readonly stopOwed: OwedStop
  /** Filled as images resolve: what the history records for this deploy. */
  readonly pins: DeployPin[]
  /** Records the point of no return: from here on the new containers are the app. */
  readonly markCommitted: () => void
}

const SETTLE_MS = 400

interface Previous {
  readonly id: string
  readonly running: boolean
}

export async function runDeploy(run: DeployRun): Promise<void> {
  const steps = run.workload.services.length * 3 + 3
  let step = 0
  const progress = (phase: string): void => run.ctx.progress(phase, ++step, steps)
  const order = startOrder(run.workload.services) ?? [...run.workload.services]

  const images = await resolveImages(run, progress)
  const { all, previous } = await currentContainers(run)
  await preDeploySnapshot(run, previous, progress)
  await ensureResources(run, progress)
  const created = await createContainers(run, order, images, progress)
  await switchServices(run, order, previous, created, progress)
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

/**
 * 4. The networks and declared volumes the services use, made when missing. Existing ones are
 * left as they are. A network made here goes again on undo; a volume stays (it may hold what the
 * new version wrote before it failed, and the next deploy would make it anyway).
 */
async function ensureResources(run: DeployRun, progress: (phase: string) => void): Promise<void> {
  const { workload, engine } = run
  progress('resources')
  await failingAs('create_failed', async () => {
    for (const network of networksInUse(workload)) {
      if ((await engine.inspector.inspectNetwork(network.name)) !== null) continue
      if (network.external) throw new AppError('BAD_INPUT', 'an external network does not exist')
      const id = await engine.lifecycle.createNetwork(networkCreateSpec(workload, network))
      run.undo.push(`remove the new network ${network.name}`, () => engine.lifecycle.removeNetwork(id))
    }
    for (const volume of volumesInUse(workload)) {
      if ((await engine.inspector.inspectVolume(volume.name)) !== null) continue
      if (volume.external) throw new AppError('BAD_INPUT', 'an external volume does not exist')
      await engine.lifecycle.createVolume(volumeCreateSpec(workload, volume))
    }
  })
}

/** 5. New containers in start order, on their networks, created but not started: nothing that runs is touched yet. */
async function createContainers(
  run: DeployRun,
  order: readonly ServiceSpec[],
  images: ReadonlyMap<string, string>,
  progress: (phase: string) => void,
): Promise<Map<string, string>> {
  const { workload, engine } = run
  const created = new Map<string, string>()
  return failingAs('create_failed', async () => {
    for (const service of order) {
      progress('create')
      const plan = createPlan({
        workload,
        deployId: run.deployId,
        service,
        imageId: images.get(service.name) ?? '',
        env: run.env.get(service.name) ?? [],
        containerOf: (name) => created.get(name) ?? '',
      })
      const id = await engine.lifecycle.create(plan.spec)
      run.undo.push(`remove the new ${service.name}`, () => engine.lifecycle.remove(id))
      created.set(service.name, id)
      for (const { network, endpoint } of plan.connects) await engine.lifecycle.connect(network, id, endpoint)
    }
    return created
  })
}

/**
 * 6. Service by service in start order: wait for what it depends on (healthy, or completed), stop
 * the old one, start the new one. A service with a healthcheck must report healthy before the
 * next one goes; the others must not exit at once with an error. The undos put the old one back
 * in reverse: the new one goes first, so it frees its ports.
 */
async function switchServices(
  run: DeployRun,
  order: readonly ServiceSpec[],
  previous: ReadonlyMap<string, Previous>,
  created: ReadonlyMap<string, string>,
  progress: (phase: string) => void,
): Promise<void> {
  const { lifecycle, inspector } = run.engine
  const completion = new Map<string, Promise<void>>()
  const completed = (service: string): Promise<void> => {
    let wait = completion.get(service)
    if (wait === undefined) {
      wait = untilCompleted(run, service, created.get(service) ?? '')
      completion.set(service, wait)
    }
    return wait
  }
  const unwatched: { service: string; id: string }[] = []
  await failingAs('start_failed', async () => {
    for (const service of order) {
      progress('start')
      for (const dependency of service.dependsOn) {
        if (dependency.condition === 'service_completed_successfully') await completed(dependency.service)
      }
      const old = previous.get(service.name)
      if (old?.running === true) {
        run.undo.push(`start the previous ${service.name}`, () => lifecycle.start(old.id))
        await run.stopOwed(old.id)
      }
      const fresh = created.get(service.name) ?? ''
      run.undo.push(`take the new ${service.name} down`, () => lifecycle.remove(fresh))
      await lifecycle.start(fresh)
      const details = await inspector.inspectContainer(fresh)
      if (details !== null && healthcheckOf(details) !== undefined) await untilHealthy(run, service.name, fresh)
      else if (waitedOnForHealth(run.workload.services, service.name))
        throw new DeployFailure('unhealthy', { service: service.name, cause: new Error('no healthcheck to wait for') })
      else unwatched.push({ service: service.name, id: fresh })
    }
    await settle(run, unwatched)
  })
}

function waitedOnForHealth(services: readonly ServiceSpec[], name: string): boolean {
  return services.some((s) => s.dependsOn.some((d) => d.service === name && d.condition === 'service_healthy'))
}

async function untilHealthy(run: DeployRun, service: string, id: string): Promise<void> {
  run.ctx.progress(`healthy:${service}`, 0, 1)
  const outcome = await awaitHealthy(run.engine.inspector, id, run.waits.maxHealthWaitMs, run.ctx.signal)
  if (outcome !== 'healthy')
    throw new DeployFailure('unhealthy', { service, cause: new Error(`healthcheck: ${outcome}`) })
}

async function untilCompleted(run: DeployRun, service: string, id: string): Promise<void> {
  const outcome = await awaitExit(run.engine.inspector, id, run.waits.maxCompletionWaitMs, run.ctx.signal)
  if (typeof outcome === 'string' || outcome.exitCode !== 0)
    throw new DeployFailure('dependency_failed', {
      service,
      cause: new Error(typeof outcome === 'string' ? outcome : `exit code ${outcome.exitCode}`),
    })
}

/** 7. The point of no return: the old and any leftover containers go; the new ones take the canonical names. */
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
  await removeUnusedNetworks(run)
}

/** Networks Slipway made for this workload that the new spec no longer names (the engine refuses one still in use). */
export async function removeUnusedNetworks(
  run: Pick<DeployRun, 'workload' | 'engine' | 'log'>,
  keep: readonly string[] = networksInUse(run.workload).map((n) => n.name),
): Promise<void> {
  const { workload, engine, log } = run
  const kept = new Set(keep)
  for (const network of await engine.inspector.listNetworks([`${LABELS.workload}=${workload.id}`])) {
    if (kept.has(network.Name)) continue
    await engine.lifecycle
      .removeNetwork(network.Id)
      .catch((error: unknown) => log.warn('could not remove a network', { name: network.Name, error }))
  }
}

function reasonTakesSnapshot(reason: DeployReason): boolean {
  // A restore takes its own pre-restore snapshot; an adoption has nothing of ours to protect yet.
  return reason !== 'restore' && reason !== 'adopt'
}

/** Containers without a healthcheck that exit at once with an error did not start, whatever `start` answered. */
async function settle(run: DeployRun, started: readonly { service: string; id: string }[]): Promise<void> {
  if (started.length === 0) return
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  for (const { service, id } of started) {
    const state = (await run.engine.inspector.inspectContainer(id))?.State
    if (state === undefined) throw new DeployFailure('start_failed', { service })
    if (!state.Running && !state.Restarting && state.ExitCode !== 0)
      throw new DeployFailure('start_failed', { service })
  }
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
export function failureOf(error: unknown): { code: DeployErrorCode; service: string | null } {
  if (error instanceof DeployFailure) return { code: error.code, service: error.service }
  return { code: failureCode(error), service: null }
}

function failureCode(error: unknown): DeployErrorCode {
  if (error instanceof AppError) return error.code === 'UNAVAILABLE' ? 'engine_unavailable' : 'internal'
  return isConnectionError(error) ? 'engine_unavailable' : 'internal'
}
