/**
 * A place a snapshot lives: this computer's `.tar.gz` folder, or a restic store. Capture writes
 * through PlaceWriter, restore and extract read through ArchiveSource: neither branches on the kind.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Logger } from '../log'
import { durableRename, fsyncPath, removeTree } from '../snapshots/capture/durableFiles'
import { hashTap, type Tally } from '../snapshots/capture/hashTap'
import { defaultGzipOptions, parallelGzip, type ParallelGzipOptions } from '../snapshots/capture/parallelGzip'
import type { SnapshotOrigin } from '../../shared/types/snapshots'
import type { ArchiveCompression } from '../snapshots/extract'
import { archiveName, MANIFEST_NAME, tarName, type Manifest } from '../snapshots/manifest'
import { fromStore } from './restic/resticErrors'
import type { ResticRepository } from './restic/resticRepository'
import { MANIFEST_VOLUME, type CopyRecord } from './storeRegistry'

/** What one place made of a volume: the local archive's size and hash (a store keeps the plain tar). */
export interface VolumeCopy {
  readonly archiveBytes: number
  readonly sha256: string
}

export interface PlaceWriter {
  /** null: this computer. */
  readonly storeId: string | null
  volume(index: number, tar: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<VolumeCopy | null>
  /** Makes the snapshot durable in this place; resolves to the copies to record once its row exists. */
  commit(manifest: Manifest): Promise<CopyRecord[]>
  /** Removes whatever this writer wrote (called on any failure, also after commit). */
  abort(): Promise<void>
}

/** One volume's archive, wherever it is, with what it must hash to. */
export interface ArchiveSource {
  readonly compression: ArchiveCompression
  readonly bytes: number
  readonly sha256: string
  /** Where it is read from: shown in logs and errors. */
  readonly place: string
  open(signal?: AbortSignal): Readable
}

export interface SnapshotArchives {
  /** Each volume's archive from the first place that has it whole: this computer, then the stores. */
  sources(snapshotId: string): Promise<Map<number, ArchiveSource>>
}

/** Where one capture goes, as captureVolumes takes it. */
export interface CapturePlaces {
  readonly local: boolean
  readonly stores?: (snapshotId: string) => PlaceWriter[]
  readonly recordCopies?: (copies: readonly CopyRecord[]) => void
}

/** What the snapshot lifecycle (capture, retention, delete) asks of the stores. */
export interface StorePlaces extends SnapshotArchives {
  capture(workload: { readonly id: string; readonly hostId: string }, origin: SnapshotOrigin): CapturePlaces
  /** Whether any store holds a copy: a snapshot past local retention then stays, off this computer. */
  hasCopies(snapshotId: string): boolean
  /** Forgets the snapshot in every store that has it (best effort per store; logged). */
  forget(snapshotId: string): Promise<void>
  /** Applies each of the workload's store policies. */
  prune(workloadId: string): Promise<void>
  /** Mirrors a pin into the stores (best effort: the row's pin is what this desktop's retention reads). */
  setPinned(snapshotId: string, pinned: boolean): Promise<void>
}

export class LocalWriter implements PlaceWriter {
  readonly storeId = null
  private readonly partial: string
  private readonly final: string

  constructor(
    snapshotsDir: string,
    snapshotId: string,
    private readonly gzip: ParallelGzipOptions = defaultGzipOptions(),
  ) {
    this.partial = join(snapshotsDir, `${snapshotId}.partial`)
    this.final = join(snapshotsDir, snapshotId)
  }

  async volume(index: number, tar: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<VolumeCopy> {
    await mkdir(this.partial, { recursive: true, mode: 0o700 })
    const tally: Tally = { bytes: 0, sha256: '' }
    const archive = join(this.partial, archiveName(index))
    await pipeline(
      tar,
      (source: AsyncIterable<unknown>) => parallelGzip(source as AsyncIterable<Buffer>, this.gzip),
      hashTap(tally),
      createWriteStream(archive, { mode: 0o600 }),
      ...(signal === undefined ? [] : [{ signal }]),
    )
    await fsyncPath(archive)
    return { archiveBytes: tally.bytes, sha256: tally.sha256 }
  }

  async commit(manifest: Manifest): Promise<CopyRecord[]> {
    await mkdir(this.partial, { recursive: true, mode: 0o700 })
    await writeFile(join(this.partial, MANIFEST_NAME), JSON.stringify(manifest, null, 2), { mode: 0o600 })
    await fsyncPath(join(this.partial, MANIFEST_NAME))
    await fsyncPath(this.partial)
    await durableRename(this.partial, this.final)
    return []
  }

  async abort(): Promise<void> {
    await removeTree(this.partial)
    await removeTree(this.final)
  }
}

/** Slipway's tags on a restic snapshot: how a catalog on another desktop finds its snapshots. */
export function snapshotTags(of: { snapshotId: string; workloadId: string; hostId: string }): string[] {
  return [
    'slipway',
    `slipway-snapshot=${of.snapshotId}`,
    `slipway-workload=${of.workloadId}`,
    `slipway-host=${of.hostId}`,
  ]
}

export const MANIFEST_TAG = 'slipway-manifest'
export const PINNED_TAG = 'slipway-pinned'

export class ResticWriter implements PlaceWriter {
  private readonly written: { volume: number; resticId: string }[] = []

  constructor(
    readonly storeId: string,
    /** A promise: the store's secrets are read while the capture starts. */
    private readonly repository: Promise<ResticRepository>,
    private readonly tags: readonly string[],
    private readonly log: Logger,
    private readonly onProgress?: (bytes: number) => void,
  ) {}

  async volume(index: number, tar: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<null> {
    try {
      await this.backupVolume(index, tar, signal)
    } catch (error) {
      throw fromStore(error, this.storeId)
    }
    return null
  }

  private async backupVolume(index: number, tar: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<void> {
    const resticId = await (
      await this.repository
    ).backupStdin(tar, tarName(index), [...this.tags, `slipway-volume=${index}`], {
      ...(signal === undefined ? {} : { signal }),
      ...(this.onProgress === undefined ? {} : { onProgress: (p) => this.onProgress?.(p.bytesDone) }),
    })
    this.written.push({ volume: index, resticId })
  }

  async commit(manifest: Manifest): Promise<CopyRecord[]> {
    try {
      return await this.commitManifest(manifest)
    } catch (error) {
      throw fromStore(error, this.storeId)
    }
  }

  private async commitManifest(manifest: Manifest): Promise<CopyRecord[]> {
    // Written last: a catalog lists manifests only, so a snapshot is never listed half-written.
    const resticId = await (
      await this.repository
    ).backupStdin(Readable.from([Buffer.from(JSON.stringify(manifest, null, 2))]), MANIFEST_NAME, [
      ...this.tags,
      MANIFEST_TAG,
    ])
    this.written.push({ volume: MANIFEST_VOLUME, resticId })
    return this.written.map((w) => ({ snapshotId: manifest.id, storeId: this.storeId, ...w }))
  }

  async abort(): Promise<void> {
    if (this.written.length === 0) return
    try {
      await (await this.repository).forget(this.written.map((w) => w.resticId))
    } catch (error) {
      // Left as restic snapshots without a manifest: never listed, and forgotten by the next retention.
      this.log.warn('could not forget a cancelled capture in a snapshot store', { storeId: this.storeId, error })
    }
  }
}

export function localSource(file: string, volume: Manifest['volumes'][number]): ArchiveSource | null {
  if (volume.sha256 === null) return null
  const sha256 = volume.sha256
  return {
    compression: 'gzip',
    bytes: volume.archiveBytes,
    sha256,
    place: 'local',
    open: () => createReadStream(file, { highWaterMark: 1 << 20 }),
  }
}

export function resticSource(
  storeId: string,
  repository: ResticRepository,
  resticId: string,
  volume: Manifest['volumes'][number],
): ArchiveSource | null {
  if (volume.tarSha256 === undefined || volume.tarBytes === undefined) return null
  return {
    compression: 'none',
    bytes: volume.tarBytes,
    sha256: volume.tarSha256,
    place: storeId,
    open: (signal) => repository.dump(resticId, tarName(volume.index), signal),
  }
}

/** This computer only: the archives in the snapshots folder. */
export function localArchives(
  manifest: (snapshotId: string) => Manifest,
  archive: (snapshotId: string, volume: number) => string,
): SnapshotArchives {
  return {
    sources: (snapshotId) => {
      const sources = new Map<number, ArchiveSource>()
      for (const v of manifest(snapshotId).volumes) {
        const source = localSource(archive(snapshotId, v.index), v)
        if (source !== null) sources.set(v.index, source)
      }
      return Promise.resolve(sources)
    },
  }
}
