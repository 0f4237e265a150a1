import { createReadStream, createWriteStream } from 'node:fs'
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createHash, randomUUID } from 'node:crypto'
import { pack } from 'tar-stream'
import type {
  CaptureHooks,
  CaptureMode,
  DirectoryListing,
  FilePreview,
  HookRun,
  RetentionPolicy,
  SnapshotOrigin,
  SnapshotSummary,
  VerifyResult,
} from '../../shared/types/snapshots'
import { AppError } from '../errors'
import type { EngineRoles } from '../docker/engine'
import type { HelperImages } from '../hosts/helperImages'
import type { HostRegistry } from '../hosts/hostRegistry'
import type { JobRegistry } from '../jobs/jobRegistry'
import type { Logger } from '../log'
import { UndoStack } from '../phases/undoStack'
import type { Clock } from '../platform/ports'
import type { LockedWorkload, WorkloadDispatcher } from '../workloads/dispatch/dispatcher'
import type { PreDeploySnapshotHook } from '../workloads/dispatch/preDeployHook'
import type { WorkloadRecord, WorkloadStore } from '../workloads/workloadStore'
import { captureVolumes } from './capture/captureVolumes'
import { durableRename, fsyncPath, removeTree } from './capture/durableFiles'
import { extractUntrusted, limitsFor } from './extract'
import { importSnapshotFile } from './importSnapshot'
import { archiveName } from './manifest'
import { asText, readEntryHead } from './readEntry'
import { snapshotsToPrune } from './retention'
import type { SnapshotFiles } from './snapshotFiles'
import type { SnapshotStore } from './snapshotStore'
import { requireOwnFolder } from './ownFolder'
import { databaseServices } from '../../shared/databases'
import { snapshotVolumes, type VolumeToCapture } from './snapshotVolumes'
import { localArchives, type ArchiveSource, type SnapshotArchives, type StorePlaces } from '../stores/places'
import type { CaptureHookSettings } from './hooks/captureHookSettings'
import { hookFailed, runHookPhase, type HookContext } from './hooks/runHooks'

/** How the app is held still for a capture: `begin` before the volumes are read, `end` as soon as they are. */
interface Hold {
  readonly mode: CaptureMode
  readonly begin: () => Promise<void>
  readonly end: () => Promise<void>
}

/** A raw live copy of a database's volumes may be torn: it is taken only when asked for on purpose. */
export function requireLiveAcknowledged(
  services: WorkloadRecord['services'],
  mode: CaptureMode,
  acknowledged: boolean,
): void {
  const databases = databaseServices(services)
  if (mode === 'live' && databases.length > 0 && !acknowledged) {
    throw new AppError('BAD_INPUT', 'a live copy of a database needs to be asked for on purpose', {
      details: { field: 'mode', reason: 'live_database', service: databases.join(', ') },
    })
  }
}

export interface SnapshotServiceDeps {
  readonly store: SnapshotStore
  readonly files: SnapshotFiles
  readonly dispatcher: WorkloadDispatcher
  readonly workloads: WorkloadStore
  readonly hosts: HostRegistry
  readonly jobs: JobRegistry
  readonly log: Logger
  readonly clock: Clock
  readonly helperImages: HelperImages
  /** How long Slipway keeps its own pin on a pre-restore snapshot (the newest one always stays pinned). */
  readonly preRestorePinDays: () => number
  /** Snapshot stores (restic); without them every snapshot lives on this computer only. */
  readonly places?: StorePlaces
  readonly hookSettings: CaptureHookSettings
}

const PREVIEW_BYTES = 256 * 1024

export class SnapshotService {
  private readonly archives: SnapshotArchives

  constructor(private readonly deps: SnapshotServiceDeps) {
    this.archives =
      deps.places ??
      localArchives(
        (id) => deps.store.manifest(id),
        (id, volume) => deps.files.archive(id, volume),
      )
  }

  /** Where each volume of a snapshot is read from (restore, extract, preview). */
  sources(snapshotId: string): Promise<Map<number, ArchiveSource>> {
    return this.archives.sources(snapshotId)
  }

  /** Removes what a crash mid-capture, mid-import or mid-delete left behind. */
  async sweep(): Promise<{ removed: string[] }> {
    const { files, store, log } = this.deps
    await mkdir(files.root, { recursive: true, mode: 0o700 })
    const known = store.ids()
    const removed: string[] = []
    for (const name of await readdir(files.root)) {
      if (known.has(name)) continue
      await removeTree(join(files.root, name))
      removed.push(name)
    }
    const orphanRows = store.sweepOrphanIndex()
    if (removed.length > 0 || orphanRows > 0) log.warn('swept incomplete snapshots', { removed, orphanRows })
    return { removed }
  }

  list(filter: { hostId?: string | undefined; workloadId?: string | undefined }): SnapshotSummary[] {
    return this.deps.store.list(filter)
  }

  get(id: string): SnapshotSummary {
    return this.deps.store.require(id)
  }

  /**
   * A user's (or the schedule's) capture: single-flight with every other action on the workload
   * (BUSY otherwise). A raw live copy of a workload that runs a database is taken only when asked
   * for on purpose (`acknowledgeInconsistent`): it may not restore to a consistent state.
   */
  capture(
    workloadId: string,
    mode: CaptureMode,
    label: string | null,
    origin: SnapshotOrigin = 'manual',
    acknowledgeInconsistent = false,
  ): Promise<SnapshotSummary> {
    requireLiveAcknowledged(this.deps.workloads.require(workloadId).services, mode, acknowledgeInconsistent)
    return this.deps.dispatcher.exclusive(workloadId, 'try', (locked) =>
      this.captureLocked(locked, mode, label, origin),
    )
  }

  /** The pre-deploy hook: called by the dispatcher under the lock, right before new containers start. */
  preDeployHook(): PreDeploySnapshotHook {
    return {
      snapshot: async (workload, context) => {
        if (snapshotVolumes(workload).length === 0) return null
        // The deploy owns the restart: the old containers stay stopped for it.
        const hold: Hold = { mode: 'stop', begin: context.quiesce, end: async () => undefined }
        const summary = await this.captureWith(workload, context.engine, hold, null, 'pre-deploy', false, null, null)
        return { snapshotId: summary.id }
      },
    }
  }

  async captureLocked(
    locked: LockedWorkload,
    mode: CaptureMode,
    label: string | null,
    origin: SnapshotOrigin,
    pinned = false,
  ): Promise<SnapshotSummary> {
    // Released as soon as the volumes are read, and whatever happens to the capture.
    const release = new UndoStack(this.deps.log, { workloadId: locked.workload.id })
    // Set by `end`, which runs twice (as soon as the volumes are read, and after): the last word counts.
    const released = { complete: true }
    const end = async (): Promise<void> => {
      const report = await release.unwind()
      if (report.ran.length > 0 || report.failed.length > 0) released.complete = report.complete
    }
    const hold: Hold =
      mode === 'stop'
        ? {
            mode,
            begin: async () => {
              release.push('start the app again', () => locked.startStopped())
              await locked.stop()
            },
            end,
          }
        : mode === 'pause'
          ? {
              mode,
              begin: async () => {
                release.push('thaw the app', () => locked.unpausePaused())
                await locked.pause()
              },
              end,
            }
          : { mode, begin: async () => undefined, end }
    const hooks = this.deps.hookSettings.get(locked.workload.id)
    const captured = await this.captureWith(
      locked.workload,
      locked.engine,
      hold,
      label,
      origin,
      pinned,
      null,
      hooks,
    ).then(
      (summary) => ({ summary }),
      (error: unknown) => ({ error }),
    )
    await end()
    if (!released.complete) {
      // The recovery sweep keeps trying: the containers stay owed a start (or a thaw).
      throw new AppError('CONFLICT', 'the app could not be started again after the capture', {
        details: { reason: 'restart_failed' },
        cause: 'error' in captured ? captured.error : undefined,
      })
    }
    if ('error' in captured) throw captured.error
    return captured.summary
  }

  private async captureWith(
    workload: WorkloadRecord,
    engine: EngineRoles,
    hold: Hold,
    label: string | null,
    origin: SnapshotOrigin,
    pinned: boolean,
    signal: AbortSignal | null,
    hooks: CaptureHooks | null,
  ): Promise<SnapshotSummary> {
    const host = this.deps.hosts.find(workload.hostId)
    if (host === undefined) throw new AppError('NOT_FOUND', 'unknown host')
    // Refuse before the app is stopped for nothing.
    if (snapshotVolumes(workload).length === 0) {
      throw new AppError('CONFLICT', 'nothing to snapshot', { details: { reason: 'no_volumes' } })
    }
    const estimate = this.deps.store.lastBytes(workload.id)
    const clock = this.deps.clock
    const job = this.deps.jobs.start('capture', 'bytes', workload.id, async (ctx) => {
      const hookContext: HookContext = { workloadId: workload.id, engine, clock, log: this.deps.log }
      const runs: HookRun[] = []
      // Post hooks run in every outcome (a maintenance mode left on is worse than a failed capture),
      // and are not cancelled with the capture.
      const runPost = async (): Promise<void> => {
        if (hooks !== null) runs.push(...(await runHookPhase('post', hooks.hooks, hookContext, false)))
      }
      if (hooks !== null && hooks.hooks.some((h) => h.phase === 'pre')) {
        ctx.progress('hooks', 0, null)
        const pre = await runHookPhase(
          'pre',
          hooks.hooks,
          { ...hookContext, signal: ctx.signal },
          !hooks.continueOnPreFailure,
        )
        runs.push(...pre)
        const failure = pre.find(hookFailed)
        if (failure !== undefined && !hooks.continueOnPreFailure) {
          await runPost()
          throw new AppError('CONFLICT', 'a pre-capture hook failed', {
            details: {
              reason: 'pre_hook_failed',
              service: failure.service,
              outcome: failure.outcome,
              exitCode: failure.exitCode,
            },
          })
        }
      }
      let summary: SnapshotSummary
      try {
        const helperImage = await this.deps.helperImages.forWorkload(engine, workload)
        if (hold.mode !== 'live') ctx.progress(hold.mode, 0, estimate)
        const heldAt = clock.now()
        await hold.begin()
        let pausedMs: number | null = null
        ctx.progress('read', 0, estimate, 0)
        const places = this.deps.places?.capture(workload, origin)
        summary = await captureVolumes({
          engine,
          workload,
          host: { id: host.id, name: host.name },
          helperImage,
          mode: hold.mode,
          consistency: () => ({
            pausedMs,
            mayBeInconsistent: hold.mode === 'live' && databaseServices(workload.services).length > 0,
          }),
          afterRead: async () => {
            await hold.end()
            if (hold.mode === 'pause') pausedMs = Math.max(0, clock.now() - heldAt)
          },
          label,
          origin,
          pinned,
          snapshotsDir: this.deps.files.root,
          store: this.deps.store,
          now: () => clock.now(),
          signal: signal ?? ctx.signal,
          onProgress: (bytes, files) =>
            ctx.progress('read', bytes, estimate === null ? null : Math.max(estimate, bytes), files),
          ...(places === undefined ? {} : places),
        })
      } finally {
        // The app must run again before the post hooks can reach it.
        await hold.end()
        if (hooks !== null && hooks.hooks.some((h) => h.phase === 'post')) ctx.progress('hooks', 0, null)
        await runPost()
      }
      if (runs.length > 0) {
        this.deps.store.recordHookRuns(summary.id, runs)
        summary = this.deps.store.require(summary.id)
      }
      this.prune(workload.id)
      await this.pruneStores(workload.id)
      return summary
    })
    return job.result
  }

  /**
   * The pre-restore snapshot: the folders a restore set aside, captured as the workload's volumes
   * and pinned, so the restore itself can be undone by restoring this one.
   */
  async capturePreRestore(
    workload: WorkloadRecord,
    engine: EngineRoles,
    helperImage: string,
    volumes: VolumeToCapture[],
  ): Promise<SnapshotSummary> {
    const host = this.deps.hosts.find(workload.hostId)
    if (host === undefined) throw new AppError('NOT_FOUND', 'unknown host')
    return captureVolumes({
      engine,
      workload,
      host: { id: host.id, name: host.name },
      helperImage,
      mode: 'stop',
      consistency: () => ({ pausedMs: null, mayBeInconsistent: false }),
      label: null,
      origin: 'pre-restore',
      pinned: true,
      snapshotsDir: this.deps.files.root,
      store: this.deps.store,
      now: () => this.deps.clock.now(),
      volumes,
    })
  }

  /**
   * Lifts Slipway's own pins on pre-restore snapshots older than the setting (each workload's
   * newest keeps its pin), then applies those workloads' policies: pre-restore snapshots would
   * otherwise pile up, one per restore, never pruned.
   */
  expirePreRestorePins(): string[] {
    const cutoff = new Date(this.deps.clock.now() - this.deps.preRestorePinDays() * 86_400_000).toISOString()
    const workloads = this.deps.store.expireAutoPins(cutoff)
    for (const workloadId of workloads) {
      this.deps.log.info('pre-restore snapshots past their pin time are unpinned', { workloadId })
      this.prune(workloadId)
    }
    return workloads
  }

  /**
   * Applies the workload's retention policy to this computer's copies; pinned snapshots are never
   * removed. A snapshot that also lives in a store only leaves this computer: the store's own policy
   * decides when it goes.
   */
  prune(workloadId: string): string[] {
    const policy = this.deps.store.policy(workloadId)
    const local = this.deps.store.list({ workloadId }).filter((s) => s.places.local)
    const doomed = snapshotsToPrune(local, policy)
    for (const id of doomed) {
      if (this.deps.places?.hasCopies(id) === true) this.dropLocal(id)
      else this.removeNow(id)
    }
    return doomed
  }

  /** The stores' policies: a failing store is logged, never fails the capture that triggered it. */
  async pruneStores(workloadId: string): Promise<void> {
    await this.deps.places?.prune(workloadId).catch((error: unknown) => {
      this.deps.log.warn('retention in a snapshot store failed', { workloadId, error })
    })
  }

  browse(id: string, volume: number, dir: string, offset: number, limit: number): DirectoryListing {
    this.requireVolume(id, volume)
    return this.deps.store.browse(id, volume, dir, offset, limit)
  }

  async preview(id: string, volume: number, path: string): Promise<FilePreview> {
    this.requireVolume(id, volume)
    const file = this.regularFile(id, volume, path)
    const head = await readEntryHead(await this.sourceOf(id, volume), file, PREVIEW_BYTES)
    if (head === null) throw new AppError('NOT_FOUND', 'file missing from the archive')
    return { text: asText(head.data), truncated: head.size > head.data.length, size: head.size }
  }

  /** Extracts one file, one folder or the whole volume into `destination/<name>` (never overwriting). */
  async extract(id: string, volume: number, path: string, destination: string): Promise<{ path: string }> {
    const snapshot = this.requireVolume(id, volume)
    await requireOwnFolder(destination)
    const name = path === '' ? `${snapshot.workloadName}-${id.slice(0, 8)}-volume-${volume}` : basename(path)
    const finalPath = join(destination, name)
    if ((await lstat(finalPath).catch(() => null)) !== null) {
      throw new AppError('CONFLICT', 'something with that name is already there', {
        details: { reason: 'exists', name },
      })
    }
    const staging = join(destination, `.slipway-extract-${randomUUID()}`)
    const limits = limitsFor(snapshot.volumes.find((v) => v.index === volume)?.bytes ?? null)
    const archive = await this.sourceOf(id, volume)
    const read = { compression: archive.compression }
    const entry = path === '' ? null : this.deps.store.entry(id, volume, path)
    if (path !== '' && entry === undefined) throw new AppError('NOT_FOUND', 'no such path in the snapshot')
    // A hard-linked file is extracted through the name the archive stores its data under.
    const source = entry?.type === 'hardlink' ? this.regularFile(id, volume, path) : path
    try {
      try {
        await extractUntrusted(archive.open(), staging, {
          ...read,
          limits,
          ...(source === '' ? {} : { select: source }),
          preserveOwnership: false,
        })
      } catch (error) {
        // A folder whose hard links reach outside it: take the whole volume and keep the folder.
        if (!(error instanceof AppError && error.code === 'CONFLICT') || source === '') throw error
        await rm(staging, { recursive: true, force: true })
        await extractUntrusted(archive.open(), staging, { ...read, limits, preserveOwnership: false })
      }
      await rename(source === '' ? staging : join(staging, source), finalPath)
    } finally {
      await rm(staging, { recursive: true, force: true })
    }
    return { path: finalPath }
  }

  /** One portable file: a tar of the manifest and the volume archives. */
  async export(id: string, destination: string): Promise<{ path: string }> {
    const snapshot = this.requireLocal(id)
    const manifest = this.deps.store.manifest(id)
    await requireOwnFolder(destination)
    const target = join(
      destination,
      `${snapshot.workloadName}-${snapshot.createdAt.slice(0, 10)}-${id.slice(0, 8)}.slipway.tar`,
    )
    if ((await lstat(target).catch(() => null)) !== null) {
      throw new AppError('CONFLICT', 'an export with that name is already there', { details: { reason: 'exists' } })
    }
    const partial = `${target}.partial`
    const archive = pack()
    const writing = pipeline(archive, createWriteStream(partial, { mode: 0o600 }))
    try {
      archive.entry({ name: 'manifest.json', mode: 0o600 }, JSON.stringify(manifest, null, 2))
      for (const v of manifest.volumes) {
        const file = this.deps.files.archive(id, v.index)
        await new Promise<void>((resolve, reject) => {
          const entry = archive.entry({ name: archiveName(v.index), size: v.archiveBytes, mode: 0o600 }, (error) =>
            error ? reject(error) : resolve(),
          )
          createReadStream(file).on('error', reject).pipe(entry)
        })
      }
      archive.finalize()
      await writing
      await fsyncPath(partial)
      await durableRename(partial, target)
    } catch (error) {
      archive.destroy()
      await rm(partial, { force: true })
      throw error
    }
    return { path: target }
  }

  async import(path: string): Promise<SnapshotSummary> {
    return importSnapshotFile(path, {
      store: this.deps.store,
      files: this.deps.files,
      workloadExists: (workloadId) => this.deps.workloads.find(workloadId) !== undefined,
      log: this.deps.log,
    })
  }

  /** Re-hashes every archive against the manifest recorded when the snapshot was taken. */
  async verify(id: string): Promise<VerifyResult> {
    this.requireLocal(id)
    const manifest = this.deps.store.manifest(id)
    const volumes = []
    for (const v of manifest.volumes) {
      const hash = createHash('sha256')
      let size = 0
      try {
        for await (const chunk of createReadStream(this.deps.files.archive(id, v.index)) as AsyncIterable<Buffer>) {
          hash.update(chunk)
          size += chunk.length
        }
        volumes.push({ index: v.index, ok: size === v.archiveBytes && hash.digest('hex') === v.sha256 })
      } catch {
        volumes.push({ index: v.index, ok: false })
      }
    }
    return { ok: volumes.every((v) => v.ok), volumes }
  }

  async pin(id: string, pinned: boolean): Promise<SnapshotSummary> {
    const summary = this.deps.store.setPinned(id, pinned)
    await this.deps.places?.setPinned(id, pinned)
    return summary
  }

  /** Deletes the snapshot everywhere: its copies in stores first, so a failing store keeps the row. */
  async delete(id: string): Promise<void> {
    const snapshot = this.deps.store.require(id)
    if (snapshot.pinned)
      throw new AppError('CONFLICT', 'a pinned snapshot is not deleted', { details: { reason: 'pinned' } })
    await this.deps.places?.forget(id)
    this.removeNow(id)
  }

  policy(workloadId: string): RetentionPolicy {
    this.deps.workloads.require(workloadId)
    return this.deps.store.policy(workloadId)
  }

  setPolicy(workloadId: string, policy: RetentionPolicy, acknowledgeInconsistent = false): RetentionPolicy {
    const workload = this.deps.workloads.require(workloadId)
    if (policy.scheduleEnabled) requireLiveAcknowledged(workload.services, policy.scheduleMode, acknowledgeInconsistent)
    const saved = this.deps.store.setPolicy(workloadId, policy)
    this.prune(workloadId)
    return saved
  }

  hooks(workloadId: string): CaptureHooks {
    this.deps.workloads.require(workloadId)
    return this.deps.hookSettings.get(workloadId)
  }

  /** Every hook names one of the workload's services; it runs in that service's container. */
  setHooks(workloadId: string, hooks: CaptureHooks): CaptureHooks {
    const workload = this.deps.workloads.require(workloadId)
    const services = new Set(workload.services.map((s) => s.name))
    hooks.hooks.forEach((hook, i) => {
      if (!services.has(hook.service)) {
        throw new AppError('BAD_INPUT', 'a hook names a service the app does not have', {
          details: { field: `hooks.${i}.service`, reason: 'unknown_service', service: hook.service },
        })
      }
    })
    this.deps.hookSettings.set(workloadId, hooks)
    return this.deps.hookSettings.get(workloadId)
  }

  hookRuns(snapshotId: string): HookRun[] {
    return this.deps.store.hookRuns(snapshotId)
  }

  /** This computer's copy goes; the row stays for the stores that hold the snapshot. */
  private dropLocal(id: string): void {
    this.deps.store.markNotLocal(id)
    void removeTree(this.deps.files.dir(id)).catch((error: unknown) =>
      this.deps.log.warn('could not remove snapshot files', { id, error }),
    )
  }

  private async sourceOf(id: string, volume: number): Promise<ArchiveSource> {
    const source = (await this.archives.sources(id)).get(volume)
    if (source === undefined) {
      throw new AppError('CONFLICT', 'no place holds this volume right now', { details: { reason: 'no_copy' } })
    }
    return source
  }

  private requireLocal(id: string): SnapshotSummary {
    const snapshot = this.deps.store.require(id)
    if (!snapshot.places.local) {
      throw new AppError('CONFLICT', 'the snapshot is not on this computer', { details: { reason: 'not_local' } })
    }
    return snapshot
  }

  private removeNow(id: string): void {
    // Row first: a crash before the files go leaves an orphan folder the start-up sweep removes.
    this.deps.store.delete(id)
    void removeTree(this.deps.files.dir(id)).catch((error: unknown) =>
      this.deps.log.warn('could not remove snapshot files', { id, error }),
    )
  }

  /** The path holding a file's data: itself, or the file a hard link names. */
  private regularFile(id: string, volume: number, path: string): string {
    const entry = this.deps.store.entry(id, volume, path)
    if (entry?.type === 'file') return path
    if (entry?.type === 'hardlink' && entry.link !== null) {
      const target = entry.link.replace(/^(\.\/)+/, '')
      if (this.deps.store.entry(id, volume, target)?.type === 'file') return target
    }
    throw new AppError('NOT_FOUND', 'no such file in the snapshot')
  }

  private requireVolume(id: string, volume: number): SnapshotSummary {
    const snapshot = this.deps.store.require(id)
    if (!snapshot.volumes.some((v) => v.index === volume))
      throw new AppError('NOT_FOUND', 'no such volume in the snapshot')
    return snapshot
  }
}
