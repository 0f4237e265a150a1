import { isAbsolute } from 'node:path'
import type { Readable } from 'node:stream'
import { AppError } from '../../errors'
import type { ExtractSummary } from './entrySink'
import { FsSink } from './fsSink'
import { effectiveLimits, type ExtractLimits } from './limits'
import { parseArchivePath } from './rules'
import { cancelled, walkUntrusted, type ArchiveCompression } from './untrustedArchive'

export interface ExtractOptions {
  readonly limits: ExtractLimits
  /**
   * Only this archive path (a file, a symlink, or a folder and everything below it), relative to the
   * archive root (`a/b` or `./a/b`), is written, at the same place under `target`; its parents are
   * made 0700 and the root entry's attributes are not applied. The whole stream is still checked.
   */
  readonly select?: string
  /** chown to the archive's uid/gid (and keep setuid/setgid/sticky bits), when running as root. */
  readonly preserveOwnership: boolean
  readonly signal?: AbortSignal
  readonly onProgress?: (bytes: number, entries: number) => void
  readonly compression?: ArchiveCompression
}

/**
 * Extracts a gzip-compressed tar into `target`, which must not exist yet (CONFLICT) and is created
 * 0700 until the root entry's mode is applied at the end. On any rejection (ArchiveRejected), error,
 * or abort (AppError CANCELLED), `target` is removed entirely, nothing exists outside it, and the
 * error is rethrown. `source` is consumed, and destroyed on failure. A selection that matches
 * nothing is NOT_FOUND; a selected hardlink to a file outside the selection is CONFLICT.
 */
export async function extractUntrusted(
  source: Readable,
  target: string,
  options: ExtractOptions,
): Promise<ExtractSummary> {
  let sink: FsSink
  let limits: ExtractLimits
  let select: string[] | null
  try {
    if (!isAbsolute(target)) throw new AppError('BAD_INPUT', 'the extraction target must be an absolute path')
    limits = effectiveLimits(options.limits)
    select = options.select === undefined ? null : selection(options.select, limits)
    if (options.signal?.aborted === true) throw cancelled()
    sink = await FsSink.create(target, { preserveOwnership: options.preserveOwnership })
  } catch (error) {
    source.destroy()
    throw error
  }
  return walkUntrusted(source, sink, {
    limits,
    select,
    signal: options.signal,
    onProgress: options.onProgress,
    compression: options.compression ?? 'gzip',
  })
}

function selection(path: string, limits: ExtractLimits): string[] {
  const parsed = parseArchivePath(path, limits)
  if (!parsed.ok) {
    throw new AppError('BAD_INPUT', 'the selected path is not a valid archive path', { details: { rule: parsed.rule } })
  }
  if (parsed.value.length === 0) {
    throw new AppError('BAD_INPUT', 'the selection is the whole archive: omit select instead')
  }
  return parsed.value
}
