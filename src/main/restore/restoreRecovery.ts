/**
 * The recovery sweep, at start-up and whenever a host reconnects: every restore the journal says
 * is unfinished is finished or reverted so that each volume ends entirely old or entirely new,
 * the app runs again, and the user is told. Staging was complete and synced before the app was
 * stopped, so once a swap has begun the restore is rolled forward; before that it is reverted.
 */
import type Dockerode from 'dockerode'
import type { RestoreRecord, RestoreVolumeReport } from '../../shared/types/restore'
import type { EventBus } from '../events'
import type { Logger } from '../log'
import type { SnapshotService } from '../snapshots/snapshotService'
import type { WorkloadDispatcher } from '../workloads/dispatch/dispatcher'
import type { WorkloadStore } from '../workloads/workloadStore'
import { labelledContainers } from '../workloads/dispatch/workloadContainers'
import { HostFolders } from './hostFolders'
import type { RestoreJournal } from './restoreJournal'
import { HOST_JOURNAL_PATTERN, planSchema, SIBLING_PATTERN, stepIndex, type RestorePlan } from './restorePlan'
import { preRestoreVolumes } from './restoreEngine'
import { z } from 'zod'

export interface RecoveryDeps {
  readonly journal: RestoreJournal
  readonly dispatcher: WorkloadDispatcher
  readonly workloads: WorkloadStore
  readonly snapshots: SnapshotService
  readonly bus: EventBus
  readonly log: Logger
  readonly isRestoring: (workloadId: string) => boolean
  readonly helperImage: (hostId: string) => string | null
}

const hostJournalSchema = z.object({ step: z.string(), plan: planSchema })

export async function recoverRestores(deps: RecoveryDeps, hostId: string, docker: Dockerode): Promise<RestoreRecord[]> {
  await adoptHostJournals(deps, hostId, docker)
  const done: RestoreRecord[] = []
  for (const entry of deps.journal.running(hostId)) {
    if (deps.isRestoring(entry.plan.workloadId)) continue
    try {
      await recoverOne(deps, docker, entry.plan, entry.step, entry.preRestoreSnapshotId)
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
  await cleanOrphans(deps, hostId, docker)
  return done
}

async function recoverOne(
  deps: RecoveryDeps,
  docker: Dockerode,
  plan: RestorePlan,
  step: string,
  preRestoreSnapshotId: string | null,
): Promise<void> {
  const { journal, log } = deps
  const host = new HostFolders(docker, plan.helperImage, plan.targets)
  const report = (state: RestoreVolumeReport['state']): RestoreVolumeReport[] =>
    plan.targets.map((t) => ({ index: t.index, service: t.service, target: t.target, state }))
  const workload = deps.workloads.find(plan.workloadId)

  if (stepIndex(step) < stepIndex('swap')) {
    // Nothing was swapped: drop the staged copies; the app is restarted by the quiesce journal.
    for (const t of plan.targets) await host.remove(t, 'staging')
    await host.removeJournal(plan.restoreId)
    journal.finish(plan.restoreId, 'reverted', report('old'), 'interrupted', true)
    if (workload !== undefined) await deps.dispatcher.recoverQuiesced(workload.hostId)
    log.warn('interrupted restore reverted', { restoreId: plan.restoreId, step })
    return
  }

  // A swap had begun: finish every volume's swap, bring the app up, preserve the old data, clean up.
  for (const t of plan.targets) await host.finishSwap(t)
  if (workload !== undefined) {
    await deps.dispatcher.exclusive(workload.id, 'wait', async (locked) => {
      const running = (await labelledContainers(docker, workload.id)).some((c) => c.running)
      if (stepIndex(step) <= stepIndex('deploy') || !running) {
        await locked
          .deploy('restore', {
            pins: new Map(plan.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
          })
          .catch((error: unknown) => log.error('redeploy during recovery failed', { restoreId: plan.restoreId, error }))
      }
      let preId = preRestoreSnapshotId
      if (preId === null) {
        const states = await host.probe()
        const withOld = plan.targets.filter((t) => states.find((s) => s.index === t.index)?.old === true)
        if (withOld.length === plan.targets.length) {
          preId = (
            await deps.snapshots.capturePreRestore(
              locked.workload,
              docker,
              plan.helperImage,
              preRestoreVolumes(plan.targets),
            )
          ).id
          journal.preRestoreSnapshot(plan.restoreId, preId)
        }
      }
      if (preId !== null) for (const t of plan.targets) await host.remove(t, 'old')
    })
  }
  await deps.dispatcher.recoverQuiesced(workload?.hostId ?? '')
  await host.removeJournal(plan.restoreId)
  journal.finish(plan.restoreId, 'restored', report('new'), null, true)
  log.warn('interrupted restore finished', { restoreId: plan.restoreId, step })
}

/** Journals found beside the targets that this Slipway does not know (it lost its own copy). */
async function adoptHostJournals(deps: RecoveryDeps, hostId: string, docker: Dockerode): Promise<void> {
  for (const { folders, names } of await scanParents(deps, hostId, docker)) {
    for (const [index, list] of names) {
      for (const name of list) {
        const match = HOST_JOURNAL_PATTERN.exec(name)
        if (match === null || deps.journal.known(match[1] ?? '')) continue
        const parsed = hostJournalSchema.safeParse(
          JSON.parse(await folders.readJournal(index, name).catch(() => 'null')),
        )
        if (parsed.success) deps.journal.adopt(parsed.data.plan, hostId, parsed.data.step)
      }
    }
  }
}

/** Slipway-named staging/old folders and journals that no running restore claims. */
async function cleanOrphans(deps: RecoveryDeps, hostId: string, docker: Dockerode): Promise<void> {
  const claimed = new Set(deps.journal.running(hostId).map((r) => r.id))
  for (const { folders, names } of await scanParents(deps, hostId, docker)) {
    for (const [index, list] of names) {
      for (const name of list) {
        const id = SIBLING_PATTERN.exec(name)?.[3] ?? HOST_JOURNAL_PATTERN.exec(name)?.[1]
        if (id === undefined || claimed.has(id)) continue
        deps.log.warn('removing an orphaned restore folder', { name })
        await folders.removeName(index, name)
      }
    }
  }
}

async function scanParents(
  deps: RecoveryDeps,
  hostId: string,
  docker: Dockerode,
): Promise<{ folders: HostFolders; names: Map<number, string[]> }[]> {
  const out: { folders: HostFolders; names: Map<number, string[]> }[] = []
  for (const workload of deps.workloads.list(hostId)) {
    const image = deps.helperImage(hostId) ?? workload.services[0]?.image
    if (image === undefined) continue
    const parents = new Map<string, number>()
    for (const service of workload.services) {
      for (const v of service.volumes) {
        let live = v.source
        if (v.kind === 'volume') {
          const info = await docker
            .getVolume(v.source)
            .inspect()
            .catch(skipRefused(deps, workload.id, null))
          if (info === null) continue
          live = info.Mountpoint
        }
        const parent = live.slice(0, live.lastIndexOf('/')) || '/'
        if (!parents.has(parent)) parents.set(parent, parents.size)
      }
    }
    if (parents.size === 0) continue
    const targets = [...parents].map(([parent, index]) => ({
      index,
      service: '',
      target: '',
      kind: 'bind' as const,
      live: parent,
      parent,
      base: '',
      staging: '',
      old: '',
      bytes: 0,
      root: null,
    }))
    const folders = new HostFolders(docker, image, targets)
    out.push({ folders, names: await folders.list().catch(skipRefused(deps, workload.id)) })
  }
  return out
}

/**
 * The engine refused (a bind source or volume that no longer exists): that workload has nothing
 * to scan. Anything else (a link lost mid-sweep) fails the sweep, which is then retried.
 */
function skipRefused<T = Map<number, string[]>>(
  deps: RecoveryDeps,
  workloadId: string,
  empty?: T,
): (error: unknown) => T {
  return (error) => {
    const status = (error as { statusCode?: unknown } | null)?.statusCode
    if (typeof status !== 'number' || status < 400 || status >= 500) throw error
    deps.log.warn('recovery skipped a workload the engine refused to scan', { workloadId, status })
    return empty ?? (new Map<number, string[]>() as T)
  }
}
