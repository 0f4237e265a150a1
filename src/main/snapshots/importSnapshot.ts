import { constants, createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, Writable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'
import type { SnapshotSummary } from '../../shared/types/snapshots'
import { AppError } from '../errors'
import type { Logger } from '../log'
import { durableRename, fsyncPath, removeTree } from './capture/durableFiles'
import { hashTap, type Tally } from './capture/hashTap'
import { tapTar } from './capture/tarTap'
import { ArchiveRejected, limitsFor, validateUntrusted } from './extract'
import { archiveName, manifestSchema, type Manifest } from './manifest'
import type { SnapshotFiles } from './snapshotFiles'
import type { SnapshotStore } from './snapshotStore'

const MAX_MANIFEST_BYTES = 1024 * 1024
const TAR_BLOCK = 512
/** Per entry: its header and, for long names, a pax header pair; and tar's record padding at the end. */
const TAR_ENTRY_OVERHEAD = 3 * TAR_BLOCK
const TAR_RECORD = 10 * 1024

const padded = (bytes: number): number => Math.ceil(bytes / TAR_BLOCK) * TAR_BLOCK

/** The most bytes an export of `manifest` (whose own JSON is `manifestBytes` long) can take. */
function exportBound(manifest: Manifest, manifestBytes: number): number {
  const entries = [manifestBytes, ...manifest.volumes.map((v) => v.archiveBytes)]
  const body = entries.reduce((sum, bytes) => sum + TAR_ENTRY_OVERHEAD + padded(bytes), 2 * TAR_BLOCK)
  return Math.ceil(body / TAR_RECORD) * TAR_RECORD + TAR_RECORD
}

/**
 * Opens the chosen path for reading only if it is a regular file: never a device (`/dev/zero`
 * would be read forever), a FIFO (opened without blocking, so a FIFO with no writer cannot hang
 * this), a socket or a folder.
 */
async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    throw new AppError('NOT_FOUND', 'the snapshot file cannot be opened', { details: { field: 'path' } })
  }
  const info = await handle.stat()
  if (!info.isFile()) {
    await handle.close()
    throw new AppError('BAD_INPUT', 'not a regular file', { details: { field: 'path', reason: 'not_a_file' } })
  }
  return { handle, size: info.size }
}

/** Fails the stream once more than `limit()` bytes have gone through it (a file that grows while read). */
class ByteCap extends Transform {
  private bytes = 0

  constructor(private readonly limit: () => number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.limit()) callback(rejected('too_large', null))
    else callback(null, chunk)
  }
}

function rejected(rule: string, entry: string | null): AppError {
  return new AppError('BAD_INPUT', 'snapshot file refused', { details: { rule, entry } })
}

/**
 * Imports an exported snapshot file. Everything in it is untrusted: only a manifest and the
 * volume archives it names are accepted, every archive must match its hash and pass the full
 * extraction rules, and the snapshot is registered only once all of that holds.
 */
export async function importSnapshotFile(
  path: string,
  deps: { store: SnapshotStore; files: SnapshotFiles; workloadExists: (id: string) => boolean; log: Logger },
): Promise<SnapshotSummary> {
  const { handle, size } = await openRegularFile(path)
  const staging = join(deps.files.root, `import-${Date.now()}-${Math.random().toString(36).slice(2)}.partial`)
  // Set by the first entry; read back after the walk (a holder: the walk's callbacks set it).
  const read: { manifest: Manifest | null } = { manifest: null }
  try {
    await mkdir(staging, { recursive: true, mode: 0o700 })
    const seen = new Map<string, Tally>()
    // Until the manifest is read, only room for it; then exactly what it says the file holds.
    let bound = MAX_MANIFEST_BYTES + TAR_ENTRY_OVERHEAD + TAR_RECORD
    const outer = extract()
    outer.on('entry', (header, stream, next) => {
      const name = header.name
      const fail = (error: AppError): void => {
        stream.resume()
        outer.destroy(error)
      }
      const allowed = name === 'manifest.json' || /^vol-\d{1,4}\.tar\.gz$/.test(name)
      if (header.type !== 'file' || !allowed || seen.has(name)) {
        fail(rejected(seen.has(name) ? 'duplicate_entry' : 'entry_type', name))
        return
      }
      // The manifest comes first (Slipway writes it first): everything after is judged by it.
      if (read.manifest === null) {
        if (name !== 'manifest.json') return fail(rejected('bad_manifest', 'manifest.json'))
        if (header.size > MAX_MANIFEST_BYTES) return fail(rejected('too_large', name))
        readManifest(stream).then(
          (text) => {
            const parsed = manifestSchema.safeParse(safeJson(text))
            if (!parsed.success) return fail(rejected('bad_manifest', name))
            read.manifest = parsed.data
            bound = exportBound(parsed.data, Buffer.byteLength(text))
            // A file larger than its manifest says is refused at once, before it is read any further.
            if (size > bound) return fail(rejected('too_large', null))
            seen.set(name, { bytes: 0, sha256: '' })
            next()
          },
          (error: unknown) => outer.destroy(error as Error),
        )
        return
      }
      const expected = read.manifest.volumes.find((v) => archiveName(v.index) === name)
      if (expected === undefined) return fail(rejected('entry_type', name))
      if (header.size !== expected.archiveBytes) return fail(rejected('hash_mismatch', name))
      const tally: Tally = { bytes: 0, sha256: '' }
      seen.set(name, tally)
      pipeline(stream, hashTap(tally), createWriteStream(join(staging, name), { mode: 0o600 })).then(
        () => next(),
        (error: unknown) => outer.destroy(error as Error),
      )
    })
    try {
      await pipeline(handle.createReadStream({ autoClose: false }), new ByteCap(() => bound), outer)
    } catch (error) {
      if (error instanceof AppError) throw error
      throw rejected('corrupt_archive', null)
    }

    const manifest = read.manifest
    if (manifest === null) throw rejected('bad_manifest', 'manifest.json')
    if (deps.store.find(manifest.id) !== undefined) {
      throw new AppError('CONFLICT', 'this snapshot is already here', { details: { reason: 'exists' } })
    }
    const indexes = new Set(manifest.volumes.map((v) => v.index))
    if (indexes.size !== manifest.volumes.length) throw rejected('bad_manifest', 'manifest.json')
    for (const name of seen.keys()) {
      if (name !== 'manifest.json' && !manifest.volumes.some((v) => archiveName(v.index) === name))
        throw rejected('entry_type', name)
    }
    for (const v of manifest.volumes) {
      const name = archiveName(v.index)
      const tally = seen.get(name)
      if (tally === undefined) throw rejected('bad_manifest', name)
      if (tally.sha256 !== v.sha256 || tally.bytes !== v.archiveBytes) throw rejected('hash_mismatch', name)
      // Full rule check of the contents, then the index from the same bytes.
      await validateUntrusted(createReadStream(join(staging, name)), { limits: limitsFor(v.bytes) })
      const index = deps.store.indexWriter(manifest.id, v.index)
      await pipeline(
        createReadStream(join(staging, name)),
        createGunzip(),
        (source: AsyncIterable<unknown>) => tapTar(source as AsyncIterable<Buffer>, (entry) => index.add(entry)),
        new Writable({ write: (_chunk, _encoding, done) => done() }),
      )
      index.flush()
      await fsyncPath(join(staging, name))
    }
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 })
    await fsyncPath(staging)
    await durableRename(staging, deps.files.dir(manifest.id))
    const workloadId = deps.workloadExists(manifest.workload.id) ? manifest.workload.id : null
    return deps.store.insert(manifest, { workloadId, origin: 'import', pinned: false })
  } catch (error) {
    await removeTree(staging)
    const known = read.manifest
    if (known !== null && deps.store.find(known.id) === undefined) deps.store.dropIndex(known.id)
    if (error instanceof ArchiveRejected) throw error
    if (error instanceof AppError) throw error
    deps.log.warn('snapshot import failed', { error })
    throw rejected('corrupt_archive', null)
  } finally {
    await handle.close()
  }
}

async function readManifest(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream) {
    const buffer = chunk as Buffer
    bytes += buffer.length
    if (bytes > MAX_MANIFEST_BYTES) throw rejected('too_large', 'manifest.json')
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
