/**
 * Restore, the most destructive action, as a straight sequence of phases. Nothing stops before
 * every check has passed; every step is journaled (locally and on the host) before it runs; the
 * live data is only renamed aside, never deleted, until its pre-restore snapshot is committed.
 *
 *   verify → preflight → stage (app still running) → stop → swap (per volume) → deploy →
 *   preserve (pinned pre-restore snapshot of the old folders) → cleanup
 */
import type Dockerode from 'dockerode'
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import type { RestoreRecord, RestoreVolumeReport } from '../../shared/types/restore'
import { AppError } from '../errors'
import type { EventBus } from '../events'
import type { JobContext, JobRegistry } from '../jobs/jobRegistry'
import type { Logger } from '../log'
import { limitsFor, validateUntrusted } from '../snapshots/extract'
import type { Manifest } from '../snapshots/manifest'
import type { SnapshotFiles } from '../snapshots/snapshotFiles'
import type { SnapshotService } from '../snapshots/snapshotService'
import type { SnapshotStore } from '../snapshots/snapshotStore'
import type { LockedWorkload, WorkloadDispatcher } from '../workloads/dispatch/dispatcher'
import { currentByService, labelledContainers } from '../workloads/dispatch/workloadContainers'
import type { WorkloadStore } from '../workloads/workloadStore'
import { readRootAttributes } from './archiveRoot'
import { HostFolders } from './hostFolders'
import type { RestoreJournal } from './restoreJournal'
import { STEPS, type RestorePlan, type RestoreTarget } from './restorePlan'
import { resolveTargets } from './restoreTargets'

export interface RestoreDeps {
  readonly journal: RestoreJournal
  readonly snapshots: SnapshotService
  readonly snapshotStore: SnapshotStore
  readonly files: SnapshotFiles
  readonly dispatcher: WorkloadDispatcher
  readonly workloads: WorkloadStore
  readonly jobs: JobRegistry
  readonly bus: EventBus
  readonly log: Logger
  readonly helperImage: (hostId: string) => string | null
  /** A restore ended with its journal unfinished (it threw part-way): a recovery sweep should take over. */
  readonly unfinished?: (hostId: string) => void
  /** Test-only seam: called after a step is journaled, before it runs (fault injection). */
  readonly afterJournal?: (step: string) => void
}

const DISK_MARGIN = 1.02
const STAGE_BUFFER_BYTES = 8 * 1024 * 1024
/** Tar streams the engine extracts side by side: creating files costs kernel time, and two cores beat one. */
const STAGE_SHARDS = 2
const DISK_SLACK = 64 * 1024 * 1024

export class RestoreEngine {
  private readonly active = new Set<string>()

  constructor(private readonly deps: RestoreDeps) {}

  isRestoring(workloadId: string): boolean {
    return this.active.has(workloadId)
  }

  async restore(workloadId: string, snapshotId: string, confirm: string, requestedBy: string): Promise<RestoreRecord> {
    // Ownership and the typed confirmation are checked here, not only in the UI.
    if (confirm !== snapshotId)
      throw new AppError('BAD_INPUT', 'confirmation does not match', { details: { field: 'confirm' } })
    const snapshot = this.deps.snapshotStore.find(snapshotId)
    if (snapshot === undefined) throw new AppError('NOT_FOUND', 'unknown snapshot')
    this.deps.workloads.require(workloadId)
    if (snapshot.workloadId !== workloadId) {
      throw new AppError('BAD_INPUT', 'snapshot of another workload', { details: { field: 'snapshotId' } })
    }
    if (this.active.has(workloadId)) throw new AppError('BUSY', 'a restore of this workload is running')
    this.active.add(workloadId)
    const restoreId = randomUUID()
    try {
      const job = this.deps.jobs.start('restore', 'steps', workloadId, (ctx) =>
        this.deps.dispatcher.exclusive(workloadId, 'wait', (locked) =>
          this.run(locked, snapshotId, restoreId, requestedBy, ctx),
        ),
      )
      await job.result
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

  private async run(
    locked: LockedWorkload,
    snapshotId: string,
    restoreId: string,
    requestedBy: string,
    ctx: JobContext,
  ): Promise<void> {
    const { journal } = this.deps
    const { workload } = locked
    let current: (typeof STEPS)[number] = 'verify'
    const step = (name: (typeof STEPS)[number]): void => {
      current = name
      ctx.progress(name, STEPS.indexOf(name), STEPS.length - 1)
    }
    // Refused before anything was touched: the audit record says so, and why.
    const reached = { apply: false }
    try {
      const prepared = await this.prepare(locked, snapshotId, restoreId, step)
      // One helper stays up for every folder step: an exec each instead of a container each.
      await prepared.host.withSession(STAGE_SHARDS, async () => {
        await checkHost(prepared.host, prepared.plan.targets)
        reached.apply = true
        await this.apply(locked, prepared, requestedBy, step)
      })
    } catch (error) {
      if (!reached.apply) {
        const entry = { restoreId, workloadId: workload.id, hostId: workload.hostId, snapshotId, requestedBy }
        journal.refused(entry, current, errorCodeOf(error))
      }
      throw error
    }
  }

  /** Verify and pre-flight: nothing on the host changes here. */
  private async prepare(
    locked: LockedWorkload,
    snapshotId: string,
    restoreId: string,
    step: (name: (typeof STEPS)[number]) => void,
  ): Promise<{ plan: RestorePlan; host: HostFolders; manifest: Manifest }> {
    const { workload, docker } = locked

    // 1. Verify what is cheap now: every archive is there at its recorded size. Hashes and every
    //    extraction rule are checked in the one pass that stages the data, before anything stops.
    step('verify')
    const manifest = this.deps.snapshotStore.manifest(snapshotId)
    for (const v of manifest.volumes) {
      const size = await stat(this.deps.files.archive(snapshotId, v.index)).then(
        (s) => s.size,
        () => -1,
      )
      if (size !== v.archiveBytes) {
        throw new AppError('CONFLICT', 'snapshot does not match its hashes', { details: { reason: 'hash_mismatch' } })
      }
    }

    // 2. Pre-flight, all or nothing: targets from the CURRENT config, host folder checks, disk space.
    step('preflight')
    const resolved = await resolveTargets(docker, workload, manifest, restoreId)
    const targets: RestoreTarget[] = []
    for (const t of resolved)
      targets.push({ ...t, root: await readRootAttributes(this.deps.files.archive(snapshotId, t.index)) })
    const helperImage = await this.helperImage(docker, workload.hostId, workload.id)
    const host = new HostFolders(docker, helperImage, targets)

    const plan: RestorePlan = { restoreId, workloadId: workload.id, snapshotId, helperImage, targets, pins: [] }
    return { plan, host, manifest }
  }

  private async apply(
    locked: LockedWorkload,
    { plan, host, manifest }: { plan: RestorePlan; host: HostFolders; manifest: Manifest },
    requestedBy: string,
    step: (name: (typeof STEPS)[number]) => void,
  ): Promise<void> {
    const { journal, log } = this.deps
    const { workload, docker } = locked
    const { restoreId, snapshotId, targets, helperImage } = plan
    const volumes = (state: RestoreVolumeReport['state'], swapped = new Set<number>()): RestoreVolumeReport[] =>
      targets.map((t) => ({
        index: t.index,
        service: t.service,
        target: t.target,
        state: swapped.has(t.index) ? 'new' : state,
      }))
    journal.begin(plan, workload.hostId, requestedBy, volumes('old'))
    const record = async (
      name: string,
      write = (content: string): Promise<void> => host.writeJournal(restoreId, content),
    ): Promise<void> => {
      journal.step(restoreId, name, plan)
      await write(JSON.stringify({ step: name, plan }))
      this.deps.afterJournal?.(name)
    }

    // 3. Stage each volume beside its live folder (same filesystem), while the app still runs, in
    //    one pass over the archive: hashed, checked by every rule and repacked clean on the way.
    step('stage')
    try {
      await record('stage', (content) => host.beginStaging(restoreId, content))
      for (const t of targets) {
        // Deep buffers let the gunzip and checks here run while the engine writes files.
        const buffered = (): PassThrough => new PassThrough({ highWaterMark: STAGE_BUFFER_BYTES })
        const tars = { shards: Array.from({ length: STAGE_SHARDS }, buffered), last: buffered() }
        const expected = manifest.volumes.find((v) => v.index === t.index)
        const hash = createHash('sha256')
        let size = 0
        const archive = createReadStream(this.deps.files.archive(snapshotId, t.index), { highWaterMark: 1 << 20 })
        archive.on('data', (chunk) => {
          hash.update(chunk)
          size += chunk.length
        })
        // The side that failed first is the cause; the other one fails because of it.
        let cause: { error: unknown } | undefined
        const failed = (error: unknown, fallback: string): void => {
          cause ??= { error }
          // An error (not a quiet close) makes the other side fail instead of waiting forever.
          for (const tar of [...tars.shards, tars.last])
            tar.destroy(error instanceof Error ? error : new Error(fallback))
        }
        // Both sides finish before anything is judged: cleaning up while the engine still extracts would race it.
        const validating = validateUntrusted(archive, { limits: limitsFor(t.bytes), repack: tars }).catch(
          (error: unknown) => failed(error, 'archive refused'),
        )
        const staging = host
          .stage(t, tars, (error) => failed(error, 'staging failed'))
          .catch((error: unknown) => failed(error, 'staging failed'))
        await Promise.allSettled([validating, staging])
        if (cause !== undefined) throw cause.error
        if (expected === undefined || hash.digest('hex') !== expected.sha256 || size !== expected.archiveBytes) {
          throw new AppError('CONFLICT', 'snapshot does not match its hashes', { details: { reason: 'hash_mismatch' } })
        }
      }
    } catch (error) {
      // An aborted upload can still be writing for a moment on the engine's side: try again.
      for (const t of targets) await retried(() => host.remove(t, 'staging')).catch(() => undefined)
      await host.removeJournal(restoreId).catch(() => undefined)
      journal.finish(restoreId, 'failed', volumes('old'), errorCodeOf(error), false)
      throw error
    }

    // 4. Quiesce through the dispatch point, remembering the image each service ran. The staged
    //    data is made durable, with the volume roots' attributes, in the run that journals this.
    await record('stop', (content) => host.sealStaging(restoreId, content))
    step('stop')
    await locked.stop()
    plan.pins = (await pinsOf(docker, workload.id)).map((p) => ({
      ...p,
      imageRef: workload.services.find((s) => s.name === p.service)?.image ?? p.imageRef,
    }))

    // 5. Swap, volume by volume; a failure puts back every volume whose swap was begun (the one that
    //    failed may have been swapped all the same: an answer lost after the renames).
    step('swap')
    const swapped = new Set<number>()
    const begun: RestoreTarget[] = []
    try {
      for (const t of targets) {
        journal.step(restoreId, `swap:${t.index}`, plan)
        begun.push(t)
        await host.swap(t, { restoreId, content: JSON.stringify({ step: `swap:${t.index}`, plan }) })
        this.deps.afterJournal?.(`swap:${t.index}`)
        swapped.add(t.index)
      }
    } catch (error) {
      log.error('restore swap failed; putting the old data back', { restoreId, error })
      try {
        for (const t of [...begun].reverse()) await host.unswap(t)
      } catch (unswapError) {
        // Where each volume is, is not known: the journal stays unfinished and a recovery sweep,
        // which rolls a begun swap forward, takes over (restore() hands it over on the way out).
        log.error('could not put the old data back; a recovery sweep takes over', { restoreId, error: unswapError })
        throw error
      }
      for (const t of targets) await host.remove(t, 'staging').catch(() => undefined)
      await locked.startStopped()
      await host.removeJournal(restoreId).catch(() => undefined)
      journal.finish(restoreId, 'failed', volumes('old'), errorCodeOf(error), false)
      throw error
    }
    await record('swapped')

    // 6. Redeploy through the dispatch point, pinned to the images that ran before.
    step('deploy')
    await record('deploy')
    try {
      await locked.deploy('restore', {
        pins: new Map(plan.pins.map((p) => [p.service, { imageRef: p.imageRef, imageId: p.imageId }])),
      })
    } catch (error) {
      // The app comes back on whatever is live (the restored data) even if the fresh deploy failed.
      await locked.startStopped().catch(() => undefined)
      log.error('redeploy after restore failed; restarted the stopped containers', { restoreId, error })
    }

    // 7. Preserve: the folders set aside become a pinned snapshot before they may go.
    step('preserve')
    await record('preserve')
    const pre = await this.deps.snapshots.capturePreRestore(workload, docker, helperImage, preRestoreVolumes(targets))
    journal.preRestoreSnapshot(restoreId, pre.id)

    // 8. Clean up: the old folders (now in the pre-restore snapshot) and the host journal.
    step('cleanup')
    await record('cleanup')
    for (const t of targets) await host.remove(t, 'old')
    await host.removeJournal(restoreId)
    journal.finish(restoreId, 'restored', volumes('new', swapped), null, false)
    step('done')
  }

  /** An image with a shell on the host: the per-host setting, else the image the workload runs. */
  private async helperImage(docker: Dockerode, hostId: string, workloadId: string): Promise<string> {
    const configured = this.deps.helperImage(hostId)
    if (configured !== null) return configured
    const current = [...currentByService(await labelledContainers(docker, workloadId)).values()][0]
    if (current === undefined)
      throw new AppError('CONFLICT', 'no image to work on the host with', { details: { reason: 'no_helper_image' } })
    return current.imageId
  }
}

async function checkHost(host: HostFolders, targets: readonly RestoreTarget[]): Promise<void> {
  const states = await host.probe()
  const needByDevice = new Map<string, { need: number; free: number }>()
  for (const t of targets) {
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

function refuse(reason: string, t: RestoreTarget): AppError {
  return new AppError('CONFLICT', `restore pre-flight: ${reason}`, { details: { reason, target: t.target } })
}

async function pinsOf(docker: Dockerode, workloadId: string): Promise<RestorePlan['pins']> {
  const current = currentByService(await labelledContainers(docker, workloadId))
  return [...current.values()].map((c) => ({ service: c.service, imageRef: c.image, imageId: c.imageId }))
}

export function preRestoreVolumes(targets: readonly RestoreTarget[]) {
  return targets.map((t, i) => ({
    index: i,
    kind: 'bind' as const,
    source: `${t.parent}/${t.old}`,
    mounts: [{ service: t.service, target: t.target }],
  }))
}

const REMOVE_ATTEMPTS = 4
const REMOVE_RETRY_MS = 500

async function retried(work: () => Promise<void>): Promise<void> {
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

function errorCodeOf(error: unknown): string {
  if (error instanceof AppError) return String(error.details?.['reason'] ?? error.details?.['rule'] ?? error.code)
  return 'internal'
}
