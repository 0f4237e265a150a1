/**
 * Snapshot stores (restic repositories): adding and attaching them, where each workload's snapshots
 * go, reading a snapshot back from whichever place has it, retention per store, the catalog a new
 * desktop reads from a repository another Slipway wrote, and the verify drill.
 */
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, readlink, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, type Duplex } from 'node:stream'
import type { SnapshotOrigin } from '../../shared/types/snapshots'
import type {
  CatalogResult,
  SnapshotDestinations,
  StoreLocation,
  StoreStats,
  StoreSummary,
  StoreVerifyResult,
} from '../../shared/types/stores'
import { AppError } from '../errors'
import type { Logger } from '../log'
import type { Clock, SecretStore } from '../platform/ports'
import { hashTap, type Tally } from '../snapshots/capture/hashTap'
import { tapTar } from '../snapshots/capture/tarTap'
import { extractUntrusted, limitsFor } from '../snapshots/extract'
import { manifestSchema, MANIFEST_NAME, type Manifest } from '../snapshots/manifest'
import { snapshotsToPrune } from '../snapshots/retention'
import type { SnapshotFiles } from '../snapshots/snapshotFiles'
import type { IndexEntryRow, SnapshotStore } from '../snapshots/snapshotStore'
import { Restic } from './restic/resticProcess'
import { ResticRepository, type ResticSnapshot } from './restic/resticRepository'
import type { SftpBridge } from './sftpBridge'
import {
  localSource,
  MANIFEST_TAG,
  PINNED_TAG,
  resticSource,
  ResticWriter,
  snapshotTags,
  type ArchiveSource,
  type CapturePlaces,
  type StorePlaces,
} from './places'
import { MANIFEST_VOLUME, type CopyRecord, type StoreRecord, type StoreRegistry } from './storeRegistry'
import { displayLocation, resticAccess, storePasswordKey, storeSecretKey, type StoreSecrets } from './storeTarget'

export interface StoreServiceDeps {
  readonly registry: StoreRegistry
  readonly snapshots: SnapshotStore
  readonly files: SnapshotFiles
  readonly secrets: SecretStore
  readonly openSftp: (hostId: string) => Promise<Duplex>
  /** The host's name, or undefined for an unknown host (sftp stores name one). */
  readonly hostName: (hostId: string) => string | undefined
  readonly isLocalHost: (hostId: string) => boolean
  /** The restic program: a configured path or `restic` on PATH. */
  readonly binary: () => string
  readonly cacheDir: string
  /** Scratch space for verify drills (removed after each). */
  readonly scratchDir: string
  readonly bridge: SftpBridge
  readonly log: Logger
  readonly clock: Clock
}

export interface AddStoreInput {
  readonly name: string
  readonly location: StoreLocation
  readonly password: string
  readonly backendSecret: string | null
  /** create: `restic init` a new repository; attach: open one that exists (another desktop's, say). */
  readonly mode: 'create' | 'attach'
}

/** A capture is sent to stores only when the user (or the schedule) takes it: pre-deploy/pre-restore stay local. */
const STORE_ORIGINS: ReadonlySet<SnapshotOrigin> = new Set(['manual', 'schedule'])
/** restic snapshots of a capture that never wrote its manifest (killed mid-way) are forgotten after this. */
const ORPHAN_AGE_MS = 24 * 3_600_000
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024

const tagValue = (tags: readonly string[], key: string): string | undefined =>
  tags.find((t) => t.startsWith(`${key}=`))?.slice(key.length + 1)

export class StoreService implements StorePlaces {
  /** Exclusive restic commands (forget, prune, tag, unlock) on one repository run one at a time. */
  private readonly exclusive = new Map<string, Promise<unknown>>()

  constructor(private readonly deps: StoreServiceDeps) {}

  list(): StoreSummary[] {
    return this.deps.registry.list().map((r) => this.summary(r))
  }

  async add(input: AddStoreInput): Promise<StoreSummary> {
    const location = this.checkedLocation(input.location)
    const { registry } = this.deps
    if (registry.list().some((s) => s.name === input.name)) {
      throw new AppError('CONFLICT', 'a store with that name exists', { details: { reason: 'exists', field: 'name' } })
    }
    if (registry.findByLocation(location) !== undefined) {
      throw new AppError('CONFLICT', 'that repository is already a store', {
        details: { reason: 'exists', field: 'location' },
      })
    }
    const secrets: StoreSecrets = { password: input.password, backendSecret: input.backendSecret }
    const repository = this.repositoryWith(location, secrets)
    if (input.mode === 'create') await repository.init()
    else await repository.open()
    const record: StoreRecord = {
      id: randomUUID(),
      name: input.name,
      location,
      createdAt: new Date(this.deps.clock.now()).toISOString(),
    }
    await this.deps.secrets.set(storePasswordKey(record.id), input.password)
    if (input.backendSecret !== null) await this.deps.secrets.set(storeSecretKey(record.id), input.backendSecret)
    try {
      registry.insert(record)
    } catch (error) {
      await this.forgetSecrets(record.id)
      throw error
    }
    this.deps.log.info('snapshot store added', { storeId: record.id, kind: location.kind, mode: input.mode })
    return this.summary(record)
  }

  /**
   * Slipway stops using the store; the repository and everything in it stay. Snapshots that lived
   * only there are no longer listed (attach the repository again to see them).
   */
  async remove(storeId: string): Promise<void> {
    this.deps.registry.require(storeId)
    const onlyThere = this.deps.registry
      .snapshotsIn(storeId)
      .filter((id) => this.deps.snapshots.find(id)?.places.local === false && this.storesOf(id).length === 1)
    this.deps.registry.delete(storeId)
    for (const id of onlyThere) this.deps.snapshots.delete(id)
    await this.forgetSecrets(storeId)
  }

  async stats(storeId: string): Promise<StoreStats> {
    const s = await (await this.repository(storeId)).stats()
    return { storedBytes: s.storedBytes, restoreBytes: s.restoreBytes, resticSnapshots: s.snapshots }
  }

  /** The user's explicit unlock: stale locks only, or every lock when they say the holder is gone. */
  async unlock(storeId: string, all: boolean): Promise<void> {
    const repository = await this.repository(storeId)
    await this.serial(storeId, () => repository.unlock(all))
    this.deps.log.warn('snapshot store unlocked by the user', { storeId, all })
  }

  destinations(workloadId: string): SnapshotDestinations {
    return this.deps.registry.destinations(workloadId)
  }

  setDestinations(workloadId: string, destinations: SnapshotDestinations): SnapshotDestinations {
    for (const d of destinations.stores) this.deps.registry.require(d.storeId)
    if (!destinations.local && destinations.stores.length === 0) {
      throw new AppError('BAD_INPUT', 'snapshots need at least one place to go', {
        details: { field: 'local', reason: 'no_destination' },
      })
    }
    this.deps.registry.setDestinations(workloadId, destinations)
    return this.deps.registry.destinations(workloadId)
  }

  capture(workload: { readonly id: string; readonly hostId: string }, origin: SnapshotOrigin): CapturePlaces {
    const destinations = this.deps.registry.destinations(workload.id)
    if (!STORE_ORIGINS.has(origin) || destinations.stores.length === 0) return { local: true }
    return {
      local: destinations.local,
      stores: (snapshotId) => {
        const tags = snapshotTags({ snapshotId, workloadId: workload.id, hostId: workload.hostId })
        return destinations.stores.map((d) => this.writer(d.storeId, tags))
      },
      recordCopies: (copies) => this.deps.registry.addCopies(copies),
    }
  }

  hasCopies(snapshotId: string): boolean {
    return this.deps.registry.copies(snapshotId).length > 0
  }

  async sources(snapshotId: string): Promise<Map<number, ArchiveSource>> {
    const snapshot = this.deps.snapshots.require(snapshotId)
    const manifest = this.deps.snapshots.manifest(snapshotId)
    const sources = new Map<number, ArchiveSource>()
    if (snapshot.places.local) {
      for (const v of manifest.volumes) {
        const file = this.deps.files.archive(snapshotId, v.index)
        const size = await stat(file).then(
          (s) => s.size,
          () => null,
        )
        const source = size === v.archiveBytes ? localSource(file, v) : null
        if (source !== null) sources.set(v.index, source)
      }
    }
    const missing = manifest.volumes.filter((v) => !sources.has(v.index))
    if (missing.length === 0) return sources
    // The first store that opens (right password, reachable) supplies whatever this computer lacks.
    let failure: unknown = null
    for (const storeId of this.storesOf(snapshotId)) {
      const copies = this.deps.registry.copies(snapshotId, storeId)
      try {
        const repository = await this.repository(storeId)
        await repository.open()
        for (const v of missing) {
          const copy = copies.find((c) => c.volume === v.index)
          const source = copy === undefined ? null : resticSource(storeId, repository, copy.resticId, v)
          if (source !== null && !sources.has(v.index)) sources.set(v.index, source)
        }
      } catch (error) {
        failure ??= error
        this.deps.log.warn('a snapshot store could not be read', { storeId, snapshotId, error })
      }
      if (manifest.volumes.every((v) => sources.has(v.index))) return sources
    }
    // Nothing can be read now: the store's own failure (unreachable, wrong password) says why.
    if (failure !== null)
      throw failure instanceof Error ? failure : new Error('snapshot store unreadable', { cause: failure })
    return sources
  }

  async forget(snapshotId: string): Promise<void> {
    for (const storeId of this.storesOf(snapshotId)) {
      const ids = this.deps.registry.copies(snapshotId, storeId).map((c) => c.resticId)
      const repository = await this.repository(storeId)
      await this.serial(storeId, () => repository.forget(ids))
      this.deps.registry.dropCopies(snapshotId, storeId)
    }
  }

  /** Pins live in the repository too, as a tag, so another desktop's catalog and retention keep them. */
  async setPinned(snapshotId: string, pinned: boolean): Promise<void> {
    for (const storeId of this.storesOf(snapshotId)) {
      const ids = this.deps.registry.copies(snapshotId, storeId).map((c) => c.resticId)
      try {
        const repository = await this.repository(storeId)
        // restic tag gives each snapshot a new id: the copies are re-read from the repository.
        await this.serial(storeId, () => repository.tag(ids, pinned ? { add: [PINNED_TAG] } : { remove: [PINNED_TAG] }))
        await this.refreshCopies(storeId, repository, snapshotId)
      } catch (error) {
        this.deps.log.warn('could not tag a pin in a snapshot store', { storeId, snapshotId, error })
      }
    }
  }

  /**
   * Each store's policy for the workload: whole Slipway snapshots are kept or forgotten (every
   * volume and the manifest together), pinned ones never; `prune` runs when something was forgotten.
   */
  async prune(workloadId: string): Promise<void> {
    for (const destination of this.deps.registry.destinations(workloadId).stores) {
      const repository = await this.repository(destination.storeId)
      await this.serial(destination.storeId, async () => {
        const groups = this.grouped(await repository.snapshots([`slipway-workload=${workloadId}`]))
        const now = this.deps.clock.now()
        const candidates = [...groups.values()]
          .filter((g) => g.manifest !== null)
          .map((g) => ({
            id: g.snapshotId,
            createdAt: g.time,
            pinned: g.pinned || this.deps.snapshots.find(g.snapshotId)?.pinned === true,
          }))
        const doomed = new Set(snapshotsToPrune(candidates, destination))
        const orphans = [...groups.values()].filter(
          (g) => g.manifest === null && now - Date.parse(g.time) > ORPHAN_AGE_MS,
        )
        const forget = [...groups.values()].filter((g) => doomed.has(g.snapshotId)).concat(orphans)
        if (forget.length === 0) return
        await repository.forget(forget.flatMap((g) => g.resticIds))
        for (const g of forget) this.dropCopy(g.snapshotId, destination.storeId)
        await repository.prune()
        this.deps.log.info('retention in a snapshot store', {
          storeId: destination.storeId,
          workloadId,
          forgotten: forget.map((g) => g.snapshotId),
        })
      })
    }
  }

  /**
   * Lists the Slipway snapshots in the repository (from their tags and manifests) and records them,
   * so a new desktop can restore what another one wrote. A manifest that does not validate is skipped.
   */
  async catalog(storeId: string, workloadExists: (workloadId: string) => boolean): Promise<CatalogResult> {
    const repository = await this.repository(storeId)
    const groups = this.grouped(await repository.snapshots(['slipway']))
    let added = 0
    let known = 0
    let skipped = 0
    for (const group of groups.values()) {
      if (group.manifest === null) continue
      try {
        const manifest = this.deps.snapshots.find(group.snapshotId)
          ? this.deps.snapshots.manifest(group.snapshotId)
          : await this.readManifest(repository, group.manifest, group.snapshotId)
        const copies = this.copiesOf(storeId, manifest, group)
        if (copies === null) {
          skipped++
          continue
        }
        if (this.deps.snapshots.find(manifest.id) === undefined) {
          const workloadId = workloadExists(manifest.workload.id) ? manifest.workload.id : null
          this.deps.snapshots.insert(manifest, {
            workloadId,
            origin: 'import',
            pinned: group.pinned,
            local: false,
            indexed: false,
          })
          added++
        } else known++
        this.deps.registry.addCopies(copies)
      } catch (error) {
        skipped++
        this.deps.log.warn('a snapshot in a store could not be catalogued', {
          storeId,
          snapshotId: group.snapshotId,
          error,
        })
      }
    }
    return { added, known, skipped }
  }

  /** Builds the browsing index of a snapshot this desktop only knows from a store's catalog. */
  async buildIndex(snapshotId: string): Promise<void> {
    if (this.deps.snapshots.require(snapshotId).indexed) return
    const sources = await this.sources(snapshotId)
    const manifest = this.deps.snapshots.manifest(snapshotId)
    this.deps.snapshots.dropIndex(snapshotId)
    for (const v of manifest.volumes) {
      const source = sources.get(v.index)
      if (source === undefined)
        throw new AppError('CONFLICT', 'no copy of a volume', { details: { reason: 'no_copy' } })
      const index = this.deps.snapshots.indexWriter(snapshotId, v.index)
      const tally: Tally = { bytes: 0, sha256: '' }
      const tar = source.compression === 'none' ? source.open() : null
      if (tar === null) throw new AppError('CONFLICT', 'only a store copy is indexed', { details: { reason: 'local' } })
      let read = 0
      for await (const chunk of tapTar(hashTap(tally)(tar), (e) => index.add(e))) read += chunk.length
      this.deps.log.debug('store snapshot indexed', { snapshotId, volume: v.index, bytes: read })
      index.flush()
      if (tally.sha256 !== source.sha256) {
        this.deps.snapshots.dropIndex(snapshotId)
        throw new AppError('CONFLICT', 'a volume in the store does not match its manifest', {
          details: { reason: 'hash_mismatch' },
        })
      }
    }
    this.deps.snapshots.markIndexed(snapshotId)
  }

  /**
   * `restic check --read-data-subset`, then a restore drill: every volume dumped, hashed against the
   * manifest and extracted (through the untrusted-archive checks) into a scratch folder whose tree
   * is compared with the index.
   */
  async verify(snapshotId: string, storeId: string, readDataPercent: number): Promise<StoreVerifyResult> {
    const copies = this.deps.registry.copies(snapshotId, storeId)
    if (copies.length === 0) throw new AppError('NOT_FOUND', 'the snapshot has no copy in that store')
    const repository = await this.repository(storeId)
    let checkOk = true
    try {
      await repository.check(readDataPercent)
    } catch (error) {
      if (error instanceof AppError && error.details?.['reason'] !== 'store_failed') throw error
      checkOk = false
      this.deps.log.warn('restic check failed', { storeId, error })
    }
    await this.buildIndex(snapshotId).catch((error: unknown) => {
      this.deps.log.warn('could not index a store snapshot for its drill', { snapshotId, error })
    })
    const indexed = this.deps.snapshots.require(snapshotId).indexed
    const manifest = this.deps.snapshots.manifest(snapshotId)
    const volumes: StoreVerifyResult['volumes'][number][] = []
    for (const v of manifest.volumes) {
      const copy = copies.find((c) => c.volume === v.index)
      const source = copy === undefined ? null : resticSource(storeId, repository, copy.resticId, v)
      if (source === null) {
        volumes.push({ index: v.index, ok: false, files: 0, mismatches: 1 })
        continue
      }
      volumes.push(await this.drill(snapshotId, source, v, indexed))
    }
    return { checkOk, readDataPercent, volumes }
  }

  private async drill(
    snapshotId: string,
    source: ArchiveSource,
    volume: Manifest['volumes'][number],
    indexed: boolean,
  ): Promise<StoreVerifyResult['volumes'][number]> {
    await mkdir(this.deps.scratchDir, { recursive: true, mode: 0o700 })
    const scratch = join(this.deps.scratchDir, `drill-${randomUUID()}`)
    const tally: Tally = { bytes: 0, sha256: '' }
    try {
      await extractUntrusted(Readable.from(hashTap(tally)(source.open())), scratch, {
        limits: limitsFor(volume.bytes),
        preserveOwnership: false,
        compression: 'none',
      })
      const entries = indexed ? this.deps.snapshots.entries(snapshotId, volume.index) : []
      let mismatches = tally.sha256 === source.sha256 && tally.bytes === source.bytes ? 0 : 1
      for (const entry of entries) if (!(await matches(scratch, entry))) mismatches++
      return { index: volume.index, ok: mismatches === 0, files: entries.length, mismatches }
    } catch (error) {
      this.deps.log.warn('a restore drill failed', { snapshotId, volume: volume.index, error })
      return { index: volume.index, ok: false, files: 0, mismatches: 1 }
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  /** The repository of a store, with its secrets from the secret store. */
  async repository(storeId: string): Promise<ResticRepository> {
    const record = this.deps.registry.require(storeId)
    const password = await this.deps.secrets.get(storePasswordKey(storeId))
    if (password === null) {
      throw new AppError('CONFLICT', 'the store password is missing from the secret store', {
        details: { reason: 'store_no_password' },
      })
    }
    const backendSecret = await this.deps.secrets.get(storeSecretKey(storeId))
    return this.repositoryWith(record.location, { password, backendSecret })
  }

  private repositoryWith(location: StoreLocation, secrets: StoreSecrets): ResticRepository {
    const access = resticAccess(location, secrets, {
      binary: this.deps.binary(),
      cacheDir: this.deps.cacheDir,
      bridge: this.deps.bridge,
      openSftp: this.deps.openSftp,
    })
    return new ResticRepository(new Restic(access, this.deps.log))
  }

  private writer(storeId: string, tags: readonly string[]): ResticWriter {
    const repository = this.repository(storeId)
    // Awaited by the writer's first volume; a missing password fails the capture there.
    repository.catch(() => undefined)
    return new ResticWriter(storeId, repository, tags, this.deps.log)
  }

  private grouped(snapshots: readonly ResticSnapshot[]): Map<string, SnapshotGroup> {
    const groups = new Map<string, SnapshotGroup>()
    for (const s of snapshots) {
      const snapshotId = tagValue(s.tags, 'slipway-snapshot')
      if (snapshotId === undefined) continue
      const group = groups.get(snapshotId) ?? {
        snapshotId,
        time: s.time,
        manifest: null,
        volumes: new Map<number, string>(),
        resticIds: [],
        pinned: false,
      }
      group.resticIds.push(s.id)
      if (s.tags.includes(PINNED_TAG)) group.pinned = true
      if (Date.parse(s.time) < Date.parse(group.time)) group.time = s.time
      if (s.tags.includes(MANIFEST_TAG)) group.manifest = s.id
      const volume = tagValue(s.tags, 'slipway-volume')
      if (volume !== undefined && /^\d+$/.test(volume)) group.volumes.set(Number(volume), s.id)
      groups.set(snapshotId, group)
    }
    return groups
  }

  private async readManifest(repository: ResticRepository, resticId: string, snapshotId: string): Promise<Manifest> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of repository.dump(resticId, MANIFEST_NAME) as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MANIFEST_MAX_BYTES) throw new AppError('CONFLICT', 'manifest too large')
      chunks.push(chunk)
    }
    const manifest = manifestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    if (manifest.id !== snapshotId) throw new AppError('CONFLICT', 'manifest does not match its tags')
    return manifest
  }

  private copiesOf(storeId: string, manifest: Manifest, group: SnapshotGroup): CopyRecord[] | null {
    const copies: CopyRecord[] = []
    for (const v of manifest.volumes) {
      const resticId = group.volumes.get(v.index)
      if (resticId === undefined || v.tarSha256 === undefined) return null
      copies.push({ snapshotId: manifest.id, storeId, volume: v.index, resticId })
    }
    if (group.manifest !== null) {
      copies.push({ snapshotId: manifest.id, storeId, volume: MANIFEST_VOLUME, resticId: group.manifest })
    }
    return copies
  }

  private async refreshCopies(storeId: string, repository: ResticRepository, snapshotId: string): Promise<void> {
    const group = this.grouped(await repository.snapshots([`slipway-snapshot=${snapshotId}`])).get(snapshotId)
    if (group === undefined) return
    const copies = this.copiesOf(storeId, this.deps.snapshots.manifest(snapshotId), group)
    if (copies === null) return
    this.deps.registry.dropCopies(snapshotId, storeId)
    this.deps.registry.addCopies(copies)
  }

  /** The store no longer holds the snapshot: the row goes too when no place is left. */
  private dropCopy(snapshotId: string, storeId: string): void {
    this.deps.registry.dropCopies(snapshotId, storeId)
    const snapshot = this.deps.snapshots.find(snapshotId)
    if (snapshot !== undefined && !snapshot.places.local && !this.hasCopies(snapshotId)) {
      this.deps.snapshots.delete(snapshotId)
    }
  }

  private storesOf(snapshotId: string): string[] {
    return [...new Set(this.deps.registry.copies(snapshotId).map((c) => c.storeId))]
  }

  private serial<T>(storeId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.exclusive.get(storeId) ?? Promise.resolve()
    const next = previous.then(run, run)
    this.exclusive.set(
      storeId,
      next.catch(() => undefined),
    )
    return next
  }

  private async forgetSecrets(storeId: string): Promise<void> {
    await this.deps.secrets.delete(storePasswordKey(storeId))
    await this.deps.secrets.delete(storeSecretKey(storeId))
  }

  private summary(record: StoreRecord): StoreSummary {
    return {
      id: record.id,
      name: record.name,
      location: record.location,
      display: displayLocation(record.location, (id) => this.deps.hostName(id) ?? id),
      createdAt: record.createdAt,
      snapshots: this.deps.registry.countCopies(record.id),
    }
  }

  private checkedLocation(location: StoreLocation): StoreLocation {
    const bad = (field: string): AppError => new AppError('BAD_INPUT', 'invalid store location', { details: { field } })
    switch (location.kind) {
      case 'folder':
        if (!location.path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(location.path)) throw bad('path')
        return location
      case 'sftp':
        if (this.deps.hostName(location.hostId) === undefined || this.deps.isLocalHost(location.hostId)) {
          throw bad('hostId')
        }
        if (location.path.trim() === '') throw bad('path')
        return location
      case 'rest': {
        const url = URL.canParse(location.url) ? new URL(location.url) : null
        if (url === null || !['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '') {
          throw bad('url')
        }
        return location
      }
      case 's3':
        if (!URL.canParse(location.endpoint) || location.bucket.trim() === '') throw bad('endpoint')
        return location
    }
  }
}

interface SnapshotGroup {
  readonly snapshotId: string
  time: string
  manifest: string | null
  readonly volumes: Map<number, string>
  readonly resticIds: string[]
  pinned: boolean
}

/** Whether the drill's restored entry is what the index says the snapshot holds. */
async function matches(root: string, entry: IndexEntryRow): Promise<boolean> {
  const path = join(root, entry.path)
  const info = await lstat(path).catch(() => null)
  if (info === null) return false
  const perm = (info.mode & 0o777) === (entry.mode & 0o777)
  switch (entry.type) {
    case 'file':
      return info.isFile() && info.size === entry.size && perm && Math.floor(info.mtimeMs / 1000) === entry.mtimeSeconds
    case 'directory':
      return info.isDirectory()
    case 'symlink':
      return info.isSymbolicLink() && (await readlink(path)) === entry.link
    case 'hardlink':
      return info.isFile()
    default:
      return true
  }
}
