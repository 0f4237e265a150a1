import type { Readable } from 'node:stream'
import { discardSink, type ExtractSummary } from './entrySink'
import { effectiveLimits, type ExtractLimits } from './limits'
import { RepackSink, repackOutputs, type RepackTarget } from './repackSink'
import { cancelled, walkUntrusted, type ArchiveCompression } from './untrustedArchive'

export interface ValidateOptions {
  readonly limits: ExtractLimits
  /**
   * Receives a clean uncompressed tar of exactly the accepted entries (symlinks last), or several
   * (see RepackTarget), e.g. for the Docker engine's extract API. On failure each is destroyed with
   * the error and never gets an end-of-archive marker.
   */
  readonly repack?: RepackTarget
  readonly signal?: AbortSignal
  readonly onProgress?: (bytes: number, entries: number) => void
  /** Clear setuid/setgid on regular files (an imported, untrusted snapshot). */
  readonly stripSetid?: boolean
  readonly compression?: ArchiveCompression
}

/** The same checks as extractUntrusted, writing nothing to disk. `source` is consumed. */
export async function validateUntrusted(source: Readable, options: ValidateOptions): Promise<ExtractSummary> {
  let limits: ExtractLimits
  try {
    limits = effectiveLimits(options.limits)
    if (options.signal?.aborted === true) throw cancelled()
  } catch (error) {
    source.destroy()
    for (const out of repackOutputs(options.repack)) out.destroy(error instanceof Error ? error : undefined)
    throw error
  }
  const sink = options.repack === undefined ? discardSink : new RepackSink(options.repack)
  return walkUntrusted(source, sink, {
    limits,
    select: null,
    signal: options.signal,
    onProgress: options.onProgress,
    stripSetid: options.stripSetid === true,
    compression: options.compression ?? 'gzip',
  })
}
