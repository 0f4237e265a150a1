/**
 * The recovery sweep, at start-up and whenever a host reconnects: every restore the journal says
 * is unfinished is finished or reverted so that each volume ends entirely old or entirely new,
 * the app runs again, and the user is told. Staging was complete and synced before the app was
 * stopped, so once a swap has begun the restore is rolled forward; before that it is reverted.
 */
import { z } from 'zod'
import type { RestoreOutcome, RestoreRecord, RestoreVolumeReport } from '../../shared/types/restore'
import type { EngineRoles } from '../docker/engine'
import { statusOf } from '../docker/engineErrors'
import type { EventBus } from '../events'
import type { HelperImages } from '../hosts/helperImages'
import type { Logger } from '../log'
import type { SnapshotService } from '../snapshots/snapshotService'
import type { WorkloadDispatcher } from '../workloads/dispatch/dispatcher'
import type { WorkloadRecord, WorkloadStore } from '../workloads/workloadStore'
import { ParentFolders, withHostFolders, type HostFolders } from './hostFolders'
import type { RestoreJournal } from './restoreJournal'
import { proveAppUp, type HealthWait } from './appHealth'
import { appRunning, doneOutcome, preRestoreVolumes } from './restoreEngine'
import {
  dumpFolderName,
  HOST_JOURNAL_PATTERN,
  planSchema,
  SIBLING_PATTERN,
  stepIndex,
  type RestorePlan,
} from './restorePlan'

export interface RecoveryDeps {
  readonly journal: RestoreJournal
  readonly dispatcher: WorkloadDispatcher
  readonly workloads: WorkloadStore
  readonly snapshots: SnapshotService
  readonly bus: EventBus
  readonly log: Logger
  readonly isRestoring: (workloadId: string) => boolean
  readonly helperImages: HelperImages
  readonly health: HealthWait
}

const hostJournalSchema = z.object({ step: z.string(), plan: planSchema })

export async function recoverRestores(
  deps: RecoveryDeps,
  hostId: string,
  engine: EngineRoles,
): Promise<RestoreRecord[]> {
  await adoptHostJournals(deps, hostId, engine)
  const done: RestoreRecord[] = []
  for (const entry of deps.journal.running(hostId)) {
    if (deps.isRestoring(entry.plan.workloadId)) continue
    try {
      await withHostFolders(engine.helpers, entry.plan.helperImage, ParentFolders.of(entry.plan.targets), 1, (host) =>
        stepIndex(entry.step) < stepIndex('swap')
          ? revert(deps, hostId, host, entry.plan, entry.step)
          : rollForward(deps, hostId, engine, host, entry.plan, entry.step, entry.preRestoreSnapshotId),
      )
    } catch (error) {
      deps.log.error('restore recovery failed; will retry at the next start or reconnect', {
        restoreId: entry.id,
        error,
      })
      continue
    }
    const record = deps.journal.get(entry.id)
    if (record !== undefined) {
      done.push(record)
      deps.bus.emit('restore.notices', record)
    }
  }
  await cleanOrphans(deps, hostId, engine)
  return done
}

const report = (plan: RestorePlan, state: RestoreVolumeReport['state']): RestoreVolumeReport[] =>
  plan.targets.map((t) => ({ index: t.index, service: t.service, target: t.target, state }))

/** Nothing was swapped: the staged copies go, and the app is started again once any stop under way has ended. */
async function revert(
  deps: RecoveryDeps,
  hostId: string,
  host: HostFolders,
  plan: RestorePlan,
  step: string,
): Promise<void> {
  await host.exec(
    ...plan.targets.flatMap((t) => [
      host.remove(t.parent, t.staging),
      host.remove(t.parent, dumpFolderName(t.base, plan.restoreId)),
    ]),
    host.removeJournal(plan.restoreId),
  )
  const app = await deps.dispatcher.recoverQuiesced(hostId)
  const down = app.down.includes(plan.workloadId)
  deps.journal.finish(plan.restoreId, 'reverted', report(plan, 'old'), down ? 'app_not_running' : 'interrupted', true)
  deps.log.warn('interrupted restore reverted', { restoreId: plan.restoreId, step, appRunning: !down })
}

/** A swap had begun: every volume's swap is finished, the app brought up, the old data preserved, then cleaned up. */
async function rollForward(
  deps: RecoveryDeps,
  hostId: string,
  engine: EngineRoles,
  host: HostFolders,
  plan: RestorePlan,
  step: string,
  preRestoreSnapshotId: string | null,
): Promise<void> {
  const { journal, log } = deps
  await host.exec(...plan.targets.map((t) => host.finishSwap(t)))
  let outcome: Exclude<RestoreOutcome, 'running'> = 'restored'
  let errorCode: string | null = null
  const workload = deps.workloads.find(plan.workloadId)
  if (workload !== undefined) {
    await deps.dispatcher.exclusive(workload.id, 'wait', async (locked) => {
      const running = await appRunning(locked)
      if (stepIndex(step) <= stepIndex('deploy') || !running) {
        await locked
          .deploy('restore', {
            pins: new Map(plan.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
          })
          .catch((error: unknown) => {
            errorCode = 'redeploy_failed'
            log.error('redeploy during recovery failed', { restoreId: plan.restoreId, error })
          })
      }
      let preId = preRestoreSnapshotId
      if (preId === null) {
        const states = await host.probe(plan.targets)
        const withOld = plan.targets.filter((t) => states.find((s) => s.index === t.index)?.old === true)
        if (withOld.length === plan.targets.length) {
          preId = (
            await deps.snapshots.capturePreRestore(
              locked.workload,
              engine,
              plan.helperImage,
              preRestoreVolumes(plan.targets),
            )
          ).id
          journal.preRestoreSnapshot(plan.restoreId, preId)
        }
      }
      if (preId !== null) await host.exec(...plan.targets.map((t) => host.remove(t.parent, t.old)))
    })
    // A redeploy that failed left the stopped containers owed a start: they run on the restored data.
    await deps.dispatcher.recoverQuiesced(hostId)
    const health = await proveAppUp({ workload, engine }, deps.health)
    ;({ outcome, errorCode } = doneOutcome({ running: true, errorCode }, health))
  }
  await host.exec(host.removeJournal(plan.restoreId))
  journal.finish(plan.restoreId, outcome, report(plan, 'new'), errorCode, true)
  log.warn('interrupted restore finished', { restoreId: plan.restoreId, step, outcome })
}

/** Journals found beside the targets that this Slipway does not know (it lost its own copy). */
async function adoptHostJournals(deps: RecoveryDeps, hostId: string, engine: EngineRoles): Promise<void> {
  await scanParents(deps, hostId, engine, async (host, names) => {
    for (const [parent, list] of names) {
      for (const name of list) {
        const match = HOST_JOURNAL_PATTERN.exec(name)
        if (match === null || deps.journal.known(match[1] ?? '')) continue
        const text = await host.readFile(parent, name).catch(() => 'null')
        const parsed = hostJournalSchema.safeParse(safeJson(text))
        if (parsed.success) deps.journal.adopt(parsed.data.plan, hostId, parsed.data.step)
      }
    }
  })
}

/** Slipway-named staging/old folders and journals that no running restore claims. */
async function cleanOrphans(deps: RecoveryDeps, hostId: string, engine: EngineRoles): Promise<void> {
  const claimed = new Set(deps.journal.running(hostId).map((r) => r.id))
  await scanParents(deps, hostId, engine, async (host, names) => {
    for (const [parent, list] of names) {
      for (const name of list) {
        const id = SIBLING_PATTERN.exec(name)?.[3] ?? HOST_JOURNAL_PATTERN.exec(name)?.[1]
        if (id === undefined || claimed.has(id)) continue
        deps.log.warn('removing an orphaned restore folder', { name })
        await host.exec(host.remove(parent, name))
      }
    }
  })
}

/** For each workload on the host: its volumes' parent folders, listed in one helper session. */
async function scanParents(
  deps: RecoveryDeps,
  hostId: string,
  engine: EngineRoles,
  work: (host: HostFolders, names: Map<string, string[]>) => Promise<void>,
): Promise<void> {
  for (const workload of deps.workloads.list(hostId)) {
    const parents = await parentsOf(engine, workload)
    if (parents.paths.length === 0) continue
    try {
      const image = await deps.helperImages.forWorkload(engine, workload)
      await withHostFolders(engine.helpers, image, parents, 1, async (host) => work(host, await host.list()))
    } catch (error) {
      // The engine refused (a bind source that no longer exists, no image to work with): that
      // workload has nothing to scan. Anything else (a link lost mid-sweep) fails the sweep, which is retried.
      const status = statusOf(error)
      const refused = status !== undefined ? status >= 400 && status < 500 : isNoHelperImage(error)
      if (!refused) throw error
      deps.log.warn('recovery skipped a workload it could not scan', { workloadId: workload.id, status })
    }
  }
}

async function parentsOf(engine: EngineRoles, workload: WorkloadRecord): Promise<ParentFolders> {
  const lives: string[] = []
  for (const service of workload.services) {
    for (const v of service.volumes) {
      if (v.kind === 'bind') lives.push(v.source)
      else if (v.kind === 'volume') {
        const info = await engine.inspector.inspectVolume(v.source)
        if (info !== null) lives.push(info.Mountpoint)
      }
    }
  }
  return new ParentFolders(lives.map((live) => live.slice(0, live.lastIndexOf('/')) || '/'))
}

function isNoHelperImage(error: unknown): boolean {
  return (error as { details?: { reason?: unknown } } | null)?.details?.reason === 'no_helper_image'
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
