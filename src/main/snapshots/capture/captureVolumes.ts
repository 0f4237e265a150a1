/**
 * Capture, top to bottom: resolve the volumes, read each through a never-started helper
 * container (the engine reads as root), index and hash it on the desktop while every place it
 * goes to (this computer's `.tar.gz`, restic stores) takes the same stream, make each durable,
 * and only then register the snapshot. Any failure or cancel leaves no file, no copy and no row.
 */
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type {
  CaptureMode,
  SnapshotConsistency,
  SnapshotOrigin,
  SnapshotSummary,
  SnapshotVolume,
} from '../../../shared/types/snapshots'
import type { EngineRoles } from '../../docker/engine'
import { AppError } from '../../errors'
import type { WorkloadRecord } from '../../workloads/workloadStore'
import { ArchiveRejected, HARD_LIMITS } from '../extract'
import { EntryRules, type TarHeader } from '../extract/entryRules'
import { manifestOf } from '../manifest'
import type { SnapshotStore } from '../snapshotStore'
import { snapshotVolumes, type VolumeToCapture } from '../snapshotVolumes'
import { LocalWriter, type PlaceWriter } from '../../stores/places'
import type { CopyRecord } from '../../stores/storeRegistry'
import { fanOut } from './fanOut'
import { countTap, hashTap, type Tally } from './hashTap'
import type { ParallelGzipOptions } from './parallelGzip'
import { tapTar } from './tarTap'

export interface CaptureInput {
  readonly engine: EngineRoles
  readonly workload: WorkloadRecord
  readonly host: { readonly id: string; readonly name: string }
  readonly helperImage: string
  readonly mode: CaptureMode
  /** Known once the volumes are read (a pause's length): recorded in the manifest. */
  readonly consistency: () => SnapshotConsistency
  /** Runs as soon as every volume has been read: the app need not wait for compression and fsync. */
  readonly afterRead?: () => Promise<void>
  readonly label: string | null
  readonly origin: SnapshotOrigin
  readonly pinned: boolean
  readonly snapshotsDir: string
  readonly store: SnapshotStore
  readonly now: () => number
  readonly signal?: AbortSignal
  readonly gzip?: ParallelGzipOptions
  readonly onProgress?: (bytes: number, files: number) => void
  /** Read these instead of the workload's volumes (a restore preserving the folders it replaced). */
  readonly volumes?: VolumeToCapture[]
  /** Whether this computer keeps the `.tar.gz` (default true). */
  readonly local?: boolean
  /** The stores the snapshot also goes to, given its id. */
  readonly stores?: (snapshotId: string) => PlaceWriter[]
  /** Records the copies once the snapshot row exists. */
  readonly recordCopies?: (copies: readonly CopyRecord[]) => void
}

const MOUNT_ROOT = '/slipway/v'

export async function captureVolumes(input: CaptureInput): Promise<SnapshotSummary> {
  const { engine, workload, store } = input
  const volumes = input.volumes ?? snapshotVolumes(workload)
  if (volumes.length === 0) throw new AppError('CONFLICT', 'nothing to snapshot', { details: { reason: 'no_volumes' } })
  await requireVolumesExist(engine, volumes)

  const id = randomUUID()
  const writers: PlaceWriter[] = [
    ...(input.local === false ? [] : [new LocalWriter(input.snapshotsDir, id, input.gzip)]),
    ...(input.stores?.(id) ?? []),
  ]
  if (writers.length === 0) throw new AppError('BAD_INPUT', 'a snapshot needs somewhere to go')
  const hasLocal = writers.some((w) => w.storeId === null)
  let bytesDone = 0
  let filesDone = 0
  try {
    const captured = await engine.helpers.withReader(
      input.helperImage,
      volumes.map((v) => ({ kind: v.kind, source: v.source, target: `${MOUNT_ROOT}/${v.index}`, readOnly: true })),
      async (helper) => {
        const out: SnapshotVolume[] = []
        for (const volume of volumes) {
          const index = store.indexWriter(id, volume.index)
          let files = 0
          let bytes = 0
          const tarTally: Tally = { bytes: 0, sha256: '' }
          const tar = await helper.read(`${MOUNT_ROOT}/${volume.index}/.`)
          // The rules a restore applies, applied now: a snapshot a restore would refuse is never made.
          const rules = new EntryRules(HARD_LIMITS, { select: null, stripSetid: false })
          const indexed = tapTar(
            Readable.from(tar as AsyncIterable<Buffer>),
            (entry) => {
              index.add(entry)
              if (entry.type !== 'directory') {
                files++
                filesDone++
              }
              bytes += entry.type === 'file' ? entry.size : 0
            },
            (header) => unrestorableIfRefused(volume, () => rules.accept(header as TarHeader)),
          )
          const counted = countTap(indexed, (n) => {
            bytesDone += n
            input.onProgress?.(bytesDone, filesDone)
          })
          const copies = await fanOut(
            hashTap(tarTally)(counted),
            writers.map((w) => (stream: AsyncIterable<Buffer>) => w.volume(volume.index, stream, input.signal)),
          )
          index.flush()
          const local = copies.find((c) => c !== null) ?? null
          out.push({
            index: volume.index,
            mounts: volume.mounts,
            kind: volume.kind,
            source: volume.source,
            files,
            bytes,
            archiveBytes: local?.archiveBytes ?? 0,
            sha256: local?.sha256 ?? null,
            tarBytes: tarTally.bytes,
            tarSha256: tarTally.sha256,
          })
        }
        return out
      },
    )
    await input.afterRead?.()
    const manifest = manifestOf({
      id,
      createdAt: new Date(input.now()).toISOString(),
      label: input.label,
      mode: input.mode,
      consistency: input.consistency(),
      host: input.host,
      workload: { id: workload.id, name: workload.name },
      volumes: captured,
    })
    const copies: CopyRecord[] = []
    for (const writer of writers) copies.push(...(await writer.commit(manifest)))
    const summary = store.insert(manifest, {
      workloadId: workload.id,
      origin: input.origin,
      pinned: input.pinned,
      local: hasLocal,
    })
    input.recordCopies?.(copies)
    return input.recordCopies === undefined ? summary : store.require(id)
  } catch (error) {
    if (store.find(id) !== undefined) store.delete(id)
    for (const writer of writers) await writer.abort()
    store.dropIndex(id)
    if (input.signal?.aborted === true) throw new AppError('CANCELLED', 'capture cancelled', { cause: error })
    throw error
  }
}

/** A capture that meets an entry a restore would refuse fails at once, naming it and the rule. */
function unrestorableIfRefused(volume: VolumeToCapture, check: () => unknown): void {
  try {
    check()
  } catch (error) {
    if (!(error instanceof ArchiveRejected)) throw error
    throw new AppError('CONFLICT', 'the volume holds something a restore would refuse', {
      details: {
        reason: 'unrestorable',
        rule: error.rule,
        entry: error.entry,
        volume: volume.mounts[0]?.target ?? volume.source,
      },
      cause: error,
    })
  }
}

async function requireVolumesExist(engine: EngineRoles, volumes: readonly VolumeToCapture[]): Promise<void> {
  for (const v of volumes) {
    // Mounting a missing one would make the engine create an empty one, and we would archive nothing.
    if (v.kind === 'volume' && (await engine.inspector.inspectVolume(v.source)) === null) {
      throw new AppError('CONFLICT', 'a named volume is missing', {
        details: { reason: 'volume_missing', volume: v.source },
      })
    }
  }
}
