/**
 * Restore, the most destructive action, as a straight sequence of phases. Nothing stops before
 * every check has passed; every step is journaled (locally and on the host) before it runs; each
 * phase registers its undo the moment it has changed something; the live data is only renamed
 * aside, never deleted, until its pre-restore snapshot is committed.
 *
 *   verify → preflight → stage (app still running) → [load a dump] → stop → swap (per volume)
 *     ── point of no return ──  deploy → preserve (pinned pre-restore snapshot of the old folders) → cleanup
 *
 * The audit record's outcome is decided in one place (`settle`) from how far the restore got.
 */
import { randomUUID } from 'node:crypto'
import { posix } from 'node:path'
import type { RestoreRecord, RestoreVolumeReport } from '../../shared/types/restore'
import type { SnapshotDump } from '../../shared/types/snapshots'
import { AppError } from '../errors'
import type { EventBus } from '../events'
import type { HelperImages } from '../hosts/helperImages'
import type { JobContext, JobRegistry } from '../jobs/jobRegistry'
import type { Logger } from '../log'
import { UndoStack, type UnwindReport } from '../phases/undoStack'
import type { Manifest } from '../snapshots/manifest'
import type { SnapshotService } from '../snapshots/snapshotService'
import type { SnapshotStore } from '../snapshots/snapshotStore'
import type { LockedWorkload, WorkloadDispatcher } from '../workloads/dispatch/dispatcher'
import { currentByService, labelledContainers } from '../workloads/dispatch/workloadContainers'
import type { WorkloadStore } from '../workloads/workloadStore'
import type { ArchiveSource, SnapshotArchives } from '../stores/places'
import { proveAppUp, type AppHealth, type HealthWait } from './appHealth'
import { readRootAttributes } from './archiveRoot'
import { loadDump, planDumpLoad, type DumpLoadPlan } from './dumpLoad'
import { ParentFolders, withHostFolders, type HostFolders, type Script } from './hostFolders'
import type { RestoreJournal } from './restoreJournal'
import { dumpFolderName, STEPS, type RestorePlan, type RestoreTarget, type Step } from './restorePlan'
import { resolveTargets } from './restoreTargets'
import { STAGE_SHARDS, stageVolume } from './stageVolume'

export interface RestoreDeps {
  readonly journal: RestoreJournal
  readonly snapshots: SnapshotService
  readonly snapshotStore: SnapshotStore
  /** Where each volume's archive is read from: this computer, or a snapshot store. */
  readonly archives: SnapshotArchives
  readonly dispatcher: WorkloadDispatcher
  readonly workloads: WorkloadStore
  readonly jobs: JobRegistry
  readonly bus: EventBus
  readonly log: Logger
  readonly helperImages: HelperImages
  /** How the app proves it is up on the restored data. */
  readonly health: HealthWait
  /** A restore ended with its journal unfinished (it threw part-way): a recovery sweep should take over. */
  readonly unfinished?: (hostId: string) => void
  /** Test-only seam: called after a step is journaled and its host script ran (fault injection). */
  readonly afterJournal?: (step: string) => void
}

const DISK_MARGIN = 1.02
const DISK_SLACK = 64 * 1024 * 1024
const REMOVE_ATTEMPTS = 4
const REMOVE_RETRY_MS = 500

/** How far a restore got: what its audit record says follows from this alone. */
type Reached =
  | { readonly phase: 'checks' }
  | { readonly phase: 'begun'; readonly unwound: UnwindReport | null }
  | { readonly phase: 'committed' }
  | {
      readonly phase: 'done'
      readonly app: { readonly running: boolean; readonly errorCode: string | null }
      readonly health: AppHealth
    }

export class RestoreEngine {
  private readonly active = new Set<string>()

  constructor(private readonly deps: RestoreDeps) {}

  isRestoring(workloadId: string): boolean {
    return this.active.has(workloadId)
  }

  /**
   * `keepSetid`: an imported snapshot is untrusted, so its files lose setuid/setgid unless the user
   * keeps them on purpose; Slipway's own snapshots keep their exact modes. `fromDump`: the
   * database's volume is made from the dump the snapshot holds, not from its raw files.
   */
  async restore(
    workloadId: string,
    snapshotId: string,
    confirm: string,
    requestedBy: string,
    options: { readonly keepSetid?: boolean; readonly fromDump?: boolean } = {},
  ): Promise<RestoreRecord> {
    // Ownership and the typed confirmation are checked here, not only in the UI.
    if (confirm !== snapshotId)
      throw new AppError('BAD_INPUT', 'confirmation does not match', { details: { field: 'confirm' } })
    const snapshot = this.deps.snapshotStore.find(snapshotId)
    if (snapshot === undefined) throw new AppError('NOT_FOUND', 'unknown snapshot')
    this.deps.workloads.require(workloadId)
    // An imported or catalogued snapshot of a workload this desktop never knew goes to the one it is restored into.
    const unowned = snapshot.workloadId === null && snapshot.origin === 'import'
    if (snapshot.workloadId !== workloadId && !unowned) {
      throw new AppError('BAD_INPUT', 'snapshot of another workload', { details: { field: 'snapshotId' } })
    }
    if (options.fromDump === true && snapshot.dump === null)
      throw new AppError('BAD_INPUT', 'the snapshot holds no dump', { details: { field: 'fromDump' } })
    if (this.active.has(workloadId)) throw new AppError('BUSY', 'a restore of this workload is running')
    this.active.add(workloadId)
    if (unowned) this.deps.snapshotStore.assignWorkload(snapshotId, workloadId)
    const restoreId = randomUUID()
    try {
      const job = this.deps.jobs.start('restore', 'steps', workloadId, (ctx) =>
        this.deps.dispatcher.exclusive(workloadId, 'wait', (locked) =>
          new RestoreRun(this.deps, locked, snapshotId, restoreId, requestedBy, ctx, {
            stripSetid: snapshot.origin === 'import' && options.keepSetid !== true,
            dump: options.fromDump === true ? snapshot.dump : null,
          }).run(),
        ),
      )
      await job.result.catch((error: unknown) => {
        // A failure carries its record's id, so the UI shows the very record it left.
        throw error instanceof AppError
          ? new AppError(error.code, error.message, { details: { ...error.details, restoreId }, cause: error })
          : new AppError('INTERNAL', 'restore failed', { details: { restoreId }, cause: error })
      })
      const record = this.deps.journal.get(restoreId)
      if (record === undefined) throw new AppError('INTERNAL', 'restore record vanished')
      return record
    } finally {
      this.active.delete(workloadId)
      // Whatever stopped it part-way (a step that failed, a link lost), the journal says what is
      // unfinished; a recovery sweep finishes or reverts it now rather than at the next start.
      const left = this.deps.journal.get(restoreId)
      if (left?.outcome === 'running') {
        this.deps.log.warn('restore left unfinished; a recovery sweep takes over', { restoreId, step: left.step })
        this.deps.unfinished?.(this.deps.workloads.require(workloadId).hostId)
      }
    }
  }
}

/** One restore, holding the workload's dispatch lock from its first phase to its last. */
class RestoreRun {
  private readonly undo: UndoStack
  private reached: Reached = { phase: 'checks' }
  private current: Step = 'verify'
  private sources = new Map<number, ArchiveSource>()
  private dumpLoad: DumpLoadPlan | null = null

  constructor(
    private readonly deps: RestoreDeps,
    private readonly locked: LockedWorkload,
    private readonly snapshotId: string,
    private readonly restoreId: string,
    private readonly requestedBy: string,
    private readonly ctx: JobContext,
    private readonly modes: { readonly stripSetid: boolean; readonly dump: SnapshotDump | null },
  ) {
    this.undo = new UndoStack(deps.log, { restoreId })
  }

  async run(): Promise<void> {
    try {
      const manifest = await this.verify()
      const plan = await this.resolve(manifest)
      // One helper stays up for every folder step: an exec each instead of a container each.
      await withHostFolders(
        this.locked.engine.helpers,
        plan.helperImage,
        ParentFolders.of(plan.targets),
        STAGE_SHARDS,
        async (host) => {
          try {
            await this.preflight(host, plan)
            this.begin(plan)
            await this.stage(host, plan)
            await this.load(host, plan)
            await this.stop(host, plan)
            await this.swap(host, plan)
            this.commit()
            const app = await this.redeploy(host, plan)
            await this.preserve(host, plan)
            await this.cleanup(host, plan)
            const health = app.running ? await this.proveUp() : 'not_running'
            this.step('done')
            this.reached = { phase: 'done', app, health }
          } catch (error) {
            // The undos work in this helper session: they run before it ends.
            if (this.reached.phase === 'begun') this.reached = { phase: 'begun', unwound: await this.undo.unwind() }
            throw error
          }
        },
      )
    } catch (error) {
      this.settle(error)
      throw error
    }
    this.settle(null)
  }

  /**
   * 1. What is cheap now: every volume has an archive to read, on this computer at its recorded
   * size or in a store that opens with its password (hashes and rules: in `stage`).
   */
  private async verify(): Promise<Manifest> {
    this.step('verify')
    const manifest = this.deps.snapshotStore.manifest(this.snapshotId)
    this.sources = await this.deps.archives.sources(this.snapshotId)
    const local = this.deps.snapshotStore.require(this.snapshotId).places.local
    for (const v of manifest.volumes) {
      if (this.sources.has(v.index)) continue
      // This computer's archive is not its recorded size, and no store has the volume: damaged.
      throw new AppError('CONFLICT', 'no whole copy of a volume to restore from', {
        details: { reason: local ? 'hash_mismatch' : 'no_copy', volume: v.index },
      })
    }
    return manifest
  }

  private source(index: number): ArchiveSource {
    const source = this.sources.get(index)
    if (source === undefined)
      throw new AppError('CONFLICT', 'no copy of a volume to restore from', { details: { reason: 'no_copy' } })
    return source
  }

  /** 2a. Pre-flight from the CURRENT config: where each volume goes, and the image to work with. */
  private async resolve(manifest: Manifest): Promise<RestorePlan> {
    this.step('preflight')
    const { workload, engine } = this.locked
    const targets: RestoreTarget[] = []
    for (const t of await resolveTargets(engine.inspector, workload, manifest, this.restoreId))
      targets.push({ ...t, root: await readRootAttributes(this.source(t.index)) })
    const helperImage = await this.deps.helperImages.forWorkload(engine, workload)
    if (this.modes.dump !== null) this.dumpLoad = await planDumpLoad(engine, workload, this.modes.dump, targets)
    return {
      restoreId: this.restoreId,
      workloadId: workload.id,
      snapshotId: this.snapshotId,
      helperImage,
      targets,
      pins: [],
    }
  }

  /** 2b. On the host, all or nothing: real folders on their parent's filesystem, room beside them. */
  private async preflight(host: HostFolders, plan: RestorePlan): Promise<void> {
    const states = await host.probe(plan.targets)
    const needByDevice = new Map<string, { need: number; free: number }>()
    for (const t of plan.targets) {
      const state = states.find((s) => s.index === t.index)
      if (state === undefined) throw new AppError('INTERNAL', 'no answer for a target')
      if (state.live === 'mountpoint') throw refuse('mount_point', t)
      if (state.live !== 'dir') throw refuse('not_a_directory', t)
      if (state.staging || state.old) throw refuse('busy_target', t)
      const entry = needByDevice.get(state.device) ?? { need: DISK_SLACK, free: state.freeBytes }
      entry.need += t.bytes * DISK_MARGIN
      needByDevice.set(state.device, entry)
    }
    for (const { need, free } of needByDevice.values()) {
      if (need > free) {
        throw new AppError('CONFLICT', 'not enough free space for the restore', {
          details: { reason: 'disk_space', needed: Math.ceil(need), available: free },
        })
      }
    }
  }

  /** From here on the audit record exists, and every failure puts back what the phases changed. */
  private begin(plan: RestorePlan): void {
    this.deps.journal.begin(plan, this.locked.workload.hostId, this.requestedBy, volumes(plan, 'old'))
    this.reached = { phase: 'begun', unwound: null }
  }

  /** 3. Each volume staged beside its live folder (same filesystem) while the app still runs. */
  private async stage(host: HostFolders, plan: RestorePlan): Promise<void> {
    this.step('stage')
    this.undo.push('remove the host journal', () => host.exec(host.removeJournal(plan.restoreId)).then(() => undefined))
    // An aborted upload can still be writing for a moment on the engine's side: tried again.
    this.undo.push('remove the staged folders', async () => {
      for (const t of plan.targets) await retried(() => host.exec(host.remove(t.parent, t.staging)))
    })
    await this.journalStep(host, plan, 'stage', { after: plan.targets.map((t) => host.makeStaging(t)) })
    for (const t of plan.targets) await stageVolume(host, t, this.source(t.index), this.modes)
  }

  /**
   * 3b. A restore from a dump: the database's staged volume gets a fresh database with the dump
   * loaded, made by a copy of the database's container while the app still runs.
   */
  private async load(host: HostFolders, plan: RestorePlan): Promise<void> {
    const load = this.dumpLoad
    if (load === null) return
    this.step('load')
    const t = load.target
    const dumpFolder = dumpFolderName(t.base, plan.restoreId)
    this.undo.push('remove the dump folder', () => retried(() => host.exec(host.remove(t.parent, dumpFolder))))
    await this.journalStep(host, plan, 'load', {
      after: [host.prepareLoad(t, dumpFolder, load.dump.file, load.dataDir)],
    })
    await loadDump(
      this.locked.engine,
      load,
      { staged: posix.join(t.parent, t.staging), dumpFolder: posix.join(t.parent, dumpFolder) },
      this.deps.log,
      this.ctx.signal,
    )
    await host.exec(host.remove(t.parent, dumpFolder))
  }

  /**
   * 4. The app stops through the dispatch point, which owes it a start from here on; the image each
   * service ran is pinned for the redeploy. The staged data is made durable (with the volume roots'
   * attributes) in the run that journals this step.
   */
  private async stop(host: HostFolders, plan: RestorePlan): Promise<void> {
    await this.journalStep(host, plan, 'stop', { before: plan.targets.map((t) => host.sealStaging(t)) })
    this.step('stop')
    this.undo.push('start the app again', () => this.locked.startStopped())
    await this.locked.stop()
    const { workload, engine } = this.locked
    const current = currentByService(await labelledContainers(engine.inspector, workload.id))
    plan.pins = [...current.values()].map((c) => ({
      service: c.service,
      imageRef: workload.services.find((s) => s.name === c.service)?.image ?? c.image,
      imageId: c.imageId,
    }))
  }

  /**
   * 5. Swap, volume by volume. Its undo is registered before the rename is asked for (the answer
   * may be lost after the renames), and is critical: the app is never started on data that could
   * not be put back; a recovery sweep takes over instead.
   */
  private async swap(host: HostFolders, plan: RestorePlan): Promise<void> {
    this.step('swap')
    for (const t of plan.targets) {
      this.undo.push(`put back ${t.target}`, () => host.exec(host.unswap(t)).then(() => undefined), { critical: true })
      await this.journalStep(host, plan, `swap:${t.index}`, { after: [host.swap(t)] })
    }
  }

  /** 9. The app proves it is up on the restored data: its healthcheck passes, or it stays running. */
  private async proveUp(): Promise<AppHealth> {
    this.step('verify_app')
    return proveAppUp(this.locked, this.deps.health)
  }

  /** The point of no return: every volume holds the snapshot's data; from here the restore goes forward. */
  private commit(): void {
    this.undo.commit()
    this.reached = { phase: 'committed' }
  }

  /** 6. Redeploy through the dispatch point, pinned to the images that ran before. */
  private async redeploy(
    host: HostFolders,
    plan: RestorePlan,
  ): Promise<{ running: boolean; errorCode: string | null }> {
    await this.journalStep(host, plan, 'swapped')
    this.step('deploy')
    await this.journalStep(host, plan, 'deploy')
    try {
      await this.locked.deploy('restore', {
        pins: new Map(plan.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
      })
      return { running: true, errorCode: null }
    } catch (error) {
      // The app comes back on what is live now (the restored data), in the containers it ran in.
      this.deps.log.error('redeploy after restore failed; starting the stopped containers', {
        restoreId: plan.restoreId,
        error,
      })
      await this.locked
        .startStopped()
        .catch((startError: unknown) =>
          this.deps.log.error('the stopped containers did not start either', { restoreId: plan.restoreId, startError }),
        )
      const running = await appRunning(this.locked, { afterStart: true })
      return { running, errorCode: running ? 'redeploy_failed' : deployCode(error) }
    }
  }

  /** 7. The folders set aside become a pinned snapshot before they may go. */
  private async preserve(host: HostFolders, plan: RestorePlan): Promise<void> {
    this.step('preserve')
    await this.journalStep(host, plan, 'preserve')
    const { workload, engine } = this.locked
    const pre = await this.deps.snapshots.capturePreRestore(
      workload,
      engine,
      plan.helperImage,
      preRestoreVolumes(plan.targets),
    )
    this.deps.journal.preRestoreSnapshot(plan.restoreId, pre.id)
  }

  /** 8. The old folders (now in the pre-restore snapshot) and the host journal go. */
  private async cleanup(host: HostFolders, plan: RestorePlan): Promise<void> {
    this.step('cleanup')
    await this.journalStep(host, plan, 'cleanup')
    await host.exec(...plan.targets.map((t) => host.remove(t.parent, t.old)), host.removeJournal(plan.restoreId))
  }

  /**
   * The one journaling path: the local row first, then the host copy in one exec together with the
   * step's own scripts (those that must be durable before it is announced come `before`).
   */
  private async journalStep(
    host: HostFolders,
    plan: RestorePlan,
    name: string,
    scripts: { before?: readonly Script[]; after?: readonly Script[] } = {},
  ): Promise<void> {
    this.deps.journal.step(plan.restoreId, name, plan)
    await host.exec(
      ...(scripts.before ?? []),
      host.journal(plan.restoreId, JSON.stringify({ step: name, plan })),
      ...(scripts.after ?? []),
    )
    this.deps.afterJournal?.(name)
  }

  /** The audit record's outcome, from how far the restore got and how it ended. */
  private settle(error: unknown): void {
    const { journal } = this.deps
    const reached = this.reached
    const record = journal.get(this.restoreId)
    switch (reached.phase) {
      case 'checks': {
        // Refused before anything was touched: the record says so, and why.
        const { workload } = this.locked
        journal.refused(
          {
            restoreId: this.restoreId,
            workloadId: workload.id,
            hostId: workload.hostId,
            snapshotId: this.snapshotId,
            requestedBy: this.requestedBy,
          },
          this.current,
          errorCodeOf(error),
        )
        return
      }
      case 'begun':
        // Put back entirely: every volume holds its old data and the app runs on it. Otherwise the
        // journal stays unfinished and a recovery sweep (which rolls a begun swap forward) takes over.
        if (reached.unwound?.complete === true) {
          journal.finish(this.restoreId, 'failed', reportOf(record, 'old'), errorCodeOf(error), false)
        }
        return
      case 'committed':
        // Left unfinished on purpose: the recovery sweep rolls it forward.
        return
      case 'done': {
        const { outcome, errorCode } = doneOutcome(reached.app, reached.health)
        journal.finish(this.restoreId, outcome, reportOf(record, 'new'), errorCode, false)
      }
    }
  }

  private step(name: Step): void {
    this.current = name
    this.ctx.progress(name, STEPS.indexOf(name), STEPS.length - 1)
  }
}

/** A finished restore's outcome: the data is the snapshot's; what the record says is how the app took it. */
export function doneOutcome(
  app: { readonly running: boolean; readonly errorCode: string | null },
  health: AppHealth,
): { outcome: 'restored' | 'restored_not_running' | 'restored_unhealthy'; errorCode: string | null } {
  if (!app.running) return { outcome: 'restored_not_running', errorCode: app.errorCode }
  if (health === 'not_running') return { outcome: 'restored_not_running', errorCode: 'exited' }
  if (health === 'unhealthy') return { outcome: 'restored_unhealthy', errorCode: 'unhealthy' }
  return { outcome: 'restored', errorCode: app.errorCode }
}

function volumes(plan: RestorePlan, state: RestoreVolumeReport['state']): RestoreVolumeReport[] {
  return plan.targets.map((t) => ({ index: t.index, service: t.service, target: t.target, state }))
}

function reportOf(record: RestoreRecord | undefined, state: RestoreVolumeReport['state']): RestoreVolumeReport[] {
  return (record?.volumes ?? []).map((v) => ({ ...v, state }))
}

function refuse(reason: string, t: RestoreTarget): AppError {
  return new AppError('CONFLICT', `restore pre-flight: ${reason}`, { details: { reason, target: t.target } })
}

/** How long an app just started is watched before it counts as up (as the deploy's own check). */
const SETTLE_MS = 400

/** Every service of the workload has a running container (a moment after a start, if one was just asked for). */
export async function appRunning(
  locked: Pick<LockedWorkload, 'workload' | 'engine'>,
  { afterStart = false }: { afterStart?: boolean } = {},
): Promise<boolean> {
  if (afterStart) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const current = currentByService(await labelledContainers(locked.engine.inspector, locked.workload.id))
  return locked.workload.services.every((s) => current.get(s.name)?.running === true)
}

export function preRestoreVolumes(targets: readonly RestoreTarget[]) {
  return targets.map((t, i) => ({
    index: i,
    kind: 'bind' as const,
    source: `${t.parent}/${t.old}`,
    mounts: [{ service: t.service, target: t.target }],
  }))
}

async function retried(work: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work()
      return
    } catch (error) {
      if (attempt >= REMOVE_ATTEMPTS) throw error
      await new Promise((resolve) => setTimeout(resolve, REMOVE_RETRY_MS))
    }
  }
}

function deployCode(error: unknown): string {
  return error instanceof AppError ? String(error.details?.['reason'] ?? 'redeploy_failed') : 'redeploy_failed'
}

function errorCodeOf(error: unknown): string {
  if (error instanceof AppError) return String(error.details?.['reason'] ?? error.details?.['rule'] ?? error.code)
  return 'internal'
}
