import { createHash } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { AppError } from '../errors'
import { limitsFor, validateUntrusted, type AcceptedEntry } from '../snapshots/extract'
import type { ArchiveSource } from '../stores/places'
import type { HostFolders } from './hostFolders'
import type { RestoreTarget } from './restorePlan'

const STAGE_BUFFER_BYTES = 8 * 1024 * 1024
/** Tar streams the engine extracts side by side: creating files costs kernel time, and two cores beat one. */
export const STAGE_SHARDS = 2

const hashMismatch = (): AppError =>
  new AppError('CONFLICT', 'snapshot does not match its hashes', { details: { reason: 'hash_mismatch' } })

/**
 * Stages one volume beside its live folder in one pass over its archive: hashed, gunzipped and
 * checked entry by entry by every rule of the untrusted-archive extractor, and re-emitted as clean
 * tar streams that the engine extracts as root while the checks go on. Resolves only once both
 * sides are done; fails with the first side's error, or when the archive is not the one recorded.
 */
export async function stageVolume(
  host: HostFolders,
  target: RestoreTarget,
  source: ArchiveSource,
  options: { readonly stripSetid: boolean },
): Promise<void> {
  // Deep buffers let the gunzip and checks here run while the engine writes files.
  const buffered = (): PassThrough => new PassThrough({ highWaterMark: STAGE_BUFFER_BYTES })
  const outOfTree: AcceptedEntry[] = []
  const tars = {
    shards: Array.from({ length: STAGE_SHARDS }, buffered),
    last: buffered(),
    outOfTree: (links: readonly AcceptedEntry[]) => outOfTree.push(...links),
  }
  const hash = createHash('sha256')
  let size = 0
  const archive = source.open()
  archive.on('data', (chunk: Buffer) => {
    hash.update(chunk)
    size += chunk.length
  })
  // The side that failed first is the cause; the other one fails because of it.
  let cause: { error: unknown } | undefined
  const failed = (error: unknown, fallback: string): void => {
    cause ??= { error }
    // An error (not a quiet close) makes the other side fail instead of waiting forever.
    for (const tar of [...tars.shards, tars.last]) tar.destroy(error instanceof Error ? error : new Error(fallback))
  }
  // Both sides finish before anything is judged: cleaning up while the engine still extracts would race it.
  const validating = validateUntrusted(archive, {
    limits: limitsFor(target.bytes),
    compression: source.compression,
    repack: tars,
    stripSetid: options.stripSetid,
  }).catch((error: unknown) => failed(error, 'archive refused'))
  const staging = host
    .stage(
      target,
      tars,
      (error) => failed(error, 'staging failed'),
      () => outOfTree,
    )
    .catch((error: unknown) => failed(error, 'staging failed'))
  await Promise.allSettled([validating, staging])
  if (cause !== undefined) throw cause.error
  if (hash.digest('hex') !== source.sha256 || size !== source.bytes) {
    throw hashMismatch()
  }
}
