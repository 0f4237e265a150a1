import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
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
  const staging = join(deps.files.root, `import-${Date.now()}-${Math.random().toString(36).slice(2)}.partial`)
  await mkdir(staging, { recursive: true, mode: 0o700 })
  let manifest: Manifest | null = null
  try {
    const seen = new Map<string, Tally>()
    const outer = extract()
    outer.on('entry', (header, stream, next) => {
      const name = header.name
      const allowed = name === 'manifest.json' || /^vol-\d{1,4}\.tar\.gz$/.test(name)
      if (header.type !== 'file' || !allowed || seen.has(name)) {
        stream.resume()
        outer.destroy(rejected(seen.has(name) ? 'duplicate_entry' : 'entry_type', name))
        return
      }
      if (name === 'manifest.json' && header.size > MAX_MANIFEST_BYTES) {
        outer.destroy(rejected('too_large', name))
        return
      }
      const tally: Tally = { bytes: 0, sha256: '' }
      seen.set(name, tally)
      pipeline(stream, hashTap(tally), createWriteStream(join(staging, name), { mode: 0o600 })).then(
        () => next(),
        (error: unknown) => outer.destroy(error as Error),
      )
    })
    try {
      await pipeline(createReadStream(path), outer)
    } catch (error) {
      if (error instanceof AppError) throw error
      throw rejected('corrupt_archive', null)
    }

    if (!seen.has('manifest.json')) throw rejected('bad_manifest', 'manifest.json')
    const parsed = manifestSchema.safeParse(
      JSON.parse(await readFile(join(staging, 'manifest.json'), 'utf8').catch(() => 'null')),
    )
    if (!parsed.success) throw rejected('bad_manifest', 'manifest.json')
    manifest = parsed.data
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
    if (manifest !== null && deps.store.find(manifest.id) === undefined) deps.store.dropIndex(manifest.id)
    if (error instanceof ArchiveRejected) throw error
    if (error instanceof AppError) throw error
    deps.log.warn('snapshot import failed', { error })
    throw rejected('corrupt_archive', null)
  }
}
