/**
 * The streaming walk every untrusted archive goes through: gunzip → tar-stream → the rules → a sink.
 *
 * Stream-level decisions:
 * - gzip: several members are fine; a bad header or CRC is `corrupt_archive`, a stream that stops
 *   early is `truncated_archive`, and so is an empty one. Any byte after the last member (even
 *   zeros, which zlib would skip quietly) is `corrupt_archive`.
 * - tar: the archive must end with an end-of-archive marker (at least one zero block) followed by
 *   nothing but zero blocks. Without it the archive is `truncated_archive`, even when the gzip
 *   stream closed cleanly: Slipway writes 1 MiB gzip members, so a copy cut at a member boundary
 *   would otherwise pass as a complete, smaller archive. A zero block between entries (GNU tar
 *   stops there, tar-stream would read on) is `corrupt_archive`: no entry may hide behind one.
 * - pax: per-entry `uid`, `gid` and `mtime` are honoured; GNU sparse files and pax global headers
 *   other than `comment` (which git archive writes) are `entry_type`. Extended attributes and ACLs
 *   are not restored.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'
import { AppError } from '../../errors'
import { ArchiveRejected, printableEntry } from './archiveRejected'
import { drain, type AcceptedEntry, type EntrySink, type ExtractSummary } from './entrySink'
import { EntryRules, type TarHeader, unsafeGlobalPax } from './entryRules'
import type { ExtractLimits } from './limits'
import { BLOCK_SIZE, TarBlocks } from './tarBlocks'

export interface WalkOptions {
  readonly limits: ExtractLimits
  /** Only entries at or below this path reach the sink; every entry is still checked. */
  readonly select: readonly string[] | null
  readonly signal: AbortSignal | undefined
  readonly onProgress: ((bytes: number, entries: number) => void) | undefined
  /** Setuid and setgid are cleared on regular files (an untrusted archive's root-owned setuid binary). */
  readonly stripSetid?: boolean
  /** 'none': a plain tar (what a restic repository holds); gzip is the default. */
  readonly compression?: ArchiveCompression
}

export type ArchiveCompression = 'gzip' | 'none'

/** RawHeader, padding and pax records allowed on top of the file data, per entry and in all. */
const METADATA_BYTES_PER_ENTRY = 64 * 1024
const METADATA_BYTES_BASE = 64 * 1024 * 1024
/** onProgress runs at most this often (and once at the end). */
const PROGRESS_INTERVAL_MS = 200

export function cancelled(): AppError {
  return new AppError('CANCELLED', 'archive extraction was cancelled')
}

/** Checks every entry of `source` and hands the accepted ones to `sink`; see the module comment. */
export async function walkUntrusted(source: Readable, sink: EntrySink, options: WalkOptions): Promise<ExtractSummary> {
  return new ArchiveWalk(sink, options).run(source)
}

class ByteCount extends Transform {
  bytes = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    callback(null, chunk)
  }
}

/** Stands in for gunzip when the archive is a plain tar: every byte in is a byte out. */
class Identity extends ByteCount {
  get bytesWritten(): number {
    return this.bytes
  }
}

class ArchiveWalk {
  private readonly rules: EntryRules
  /** Accepted symlinks in the selection: created last, once the whole archive is known. */
  private readonly symlinks: AcceptedEntry[] = []
  private readonly summary = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, bytes: 0 }
  private readonly compressed = new ByteCount()
  // Large output chunks: zlib is about 2.5x faster with 256 KiB than with its 16 KiB default.
  private readonly gunzip: Transform & { readonly bytesWritten: number }
  private readonly blocks = new TarBlocks(() => this.decompressedAllowance())
  private readonly parser = extract()
  private entries = 0
  private streamedBytes = 0
  private reportedAt = Number.NEGATIVE_INFINITY
  /** Offset just past the last entry's data (and padding) in the decompressed tar. */
  private dataEnd = 0
  private selectionMatched = false
  /** The entry being handled, as the archive names it: stream errors are blamed on it. */
  private current: string | null = null
  private failed = false
  private failure: unknown = undefined
  private inFlight: Promise<void> = Promise.resolve()
  private source: Readable | null = null

  constructor(
    private readonly sink: EntrySink,
    private readonly options: WalkOptions,
  ) {
    this.gunzip = options.compression === 'none' ? new Identity() : createGunzip({ chunkSize: 256 * 1024 })
    this.rules = new EntryRules(options.limits, { select: options.select, stripSetid: options.stripSetid === true })
  }

  async run(source: Readable): Promise<ExtractSummary> {
    this.source = source
    // Registered before pipeline's own listeners, so the stream that failed first is the one blamed.
    source.on('error', (error) => this.fail(error))
    this.compressed.on('error', (error) => this.fail(error))
    this.gunzip.on('error', (error) => this.fail(gzipRejection(error, this.current)))
    this.blocks.on('error', (error) => this.fail(error))
    this.parser.on('error', (error) => this.fail(tarRejection(error, this.current)))
    this.parser.on('entry', (header, stream, next) => {
      // The parser reports its errors itself; without a listener the entry's copy would be thrown.
      stream.on('error', () => undefined)
      this.inFlight = this.onEntry(header, stream as AsyncIterable<unknown> as AsyncIterable<Buffer>).then(
        () => {
          if (!this.failed) next()
        },
        (error: unknown) => this.fail(error),
      )
    })
    const onAbort = (): void => this.fail(cancelled())
    const signal = this.options.signal
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      if (signal?.aborted === true) onAbort()
      await pipeline(source, this.compressed, this.gunzip, this.blocks, this.parser).catch((error: unknown) =>
        this.fail(endOfStreamFailure(error, this.current)),
      )
      await this.inFlight
      if (!this.failed) await this.complete().catch((error: unknown) => this.fail(error))
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
    if (this.failed) {
      try {
        await this.sink.abort()
      } catch (cleanup) {
        throw new AppError('INTERNAL', 'could not remove a partial extraction', {
          cause: new AggregateError([this.failure, cleanup]),
        })
      }
      throw this.failure
    }
    return { ...this.summary }
  }

  /** The first failure wins; every stream stops and the sink stops waiting. */
  private fail(error: unknown): void {
    if (this.failed) return
    this.failed = true
    this.failure = error
    for (const stream of [this.source, this.compressed, this.gunzip, this.blocks, this.parser]) stream?.destroy()
    this.sink.interrupt(error)
  }

  private decompressedAllowance(): number {
    return this.options.limits.maxTotalBytes + (this.entries + 1) * METADATA_BYTES_PER_ENTRY + METADATA_BYTES_BASE
  }

  private async onEntry(header: TarHeader, stream: AsyncIterable<Buffer>): Promise<void> {
    const name = header.name
    this.current = name
    this.entries += 1
    this.checkFraming(header)
    if (unsafeGlobalPax(this.parser)) throw new ArchiveRejected('entry_type', name)
    const { entry, selected } = this.rules.accept(header)
    if (selected) this.selectionMatched = true
    switch (entry.type) {
      case 'directory':
        if (selected) {
          await this.sink.directory(entry)
          this.summary.dirs += 1
        }
        break
      case 'file': {
        const data = this.data(entry, name, stream)
        if (selected) {
          await this.sink.file(entry, data)
          this.summary.files += 1
          this.summary.bytes += entry.size
        }
        // Whatever the sink left (everything, for an entry outside the selection).
        await drain(data)
        break
      }
      case 'link':
        if (selected) {
          await this.sink.hardlink(entry)
          this.summary.hardlinks += 1
        }
        break
      case 'symlink':
        if (selected) this.symlinks.push(entry)
        break
    }
    this.current = null
    this.report(false)
  }

  /** No null block may sit between the previous entry's data and this entry's header. */
  private checkFraming(header: TarHeader): void {
    const dataStart = header.byteOffset
    if (typeof dataStart !== 'number' || !Number.isSafeInteger(dataStart) || dataStart % BLOCK_SIZE !== 0) {
      throw new AppError('INTERNAL', 'tar-stream did not report where the entry lies')
    }
    if (this.blocks.hasNullBlock(this.dataEnd, dataStart - BLOCK_SIZE)) {
      throw new ArchiveRejected('corrupt_archive', header.name)
    }
    if (this.blocks.negativeHeader(dataStart - BLOCK_SIZE)) throw new ArchiveRejected('corrupt_archive', header.name)
    const size = header.type === 'directory' ? 0 : (header.size ?? 0)
    this.dataEnd = dataStart + Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE
    this.blocks.skip(dataStart, this.dataEnd)
    this.blocks.forget(this.dataEnd)
  }

  /** The entry's data, counted: more than declared is `too_large`, less is `truncated_archive`. */
  private async *data(entry: AcceptedEntry, name: string, stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let received = 0
    for await (const chunk of stream) {
      received += chunk.length
      this.streamedBytes += chunk.length
      if (received > entry.size || this.streamedBytes > this.options.limits.maxTotalBytes) {
        throw new ArchiveRejected('too_large', name)
      }
      this.report(false)
      yield chunk
    }
    if (received !== entry.size) throw new ArchiveRejected('truncated_archive', name)
  }

  private report(final: boolean): void {
    const now = performance.now()
    if (!final && now - this.reportedAt < PROGRESS_INTERVAL_MS) return
    this.reportedAt = now
    this.options.onProgress?.(this.streamedBytes, this.entries)
  }

  /** The checks that need the whole stream, then the sink's last step. */
  private async complete(): Promise<void> {
    if (this.compressed.bytes !== this.gunzip.bytesWritten) throw new ArchiveRejected('corrupt_archive', null)
    const trailer = this.blocks.trailer(this.dataEnd)
    if (trailer === 'missing') throw new ArchiveRejected('truncated_archive', null)
    if (trailer === 'dirty') throw new ArchiveRejected('corrupt_archive', null)
    const select = this.options.select
    if (select !== null && !this.selectionMatched) {
      throw new AppError('NOT_FOUND', 'the selected path is not in the archive', {
        details: { entry: printableEntry(select.join('/')) },
      })
    }
    await this.sink.finish(this.symlinks)
    this.summary.symlinks = this.symlinks.length
    this.report(true)
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
}

function gzipRejection(error: unknown, entry: string | null): ArchiveRejected {
  const rule = errorCode(error) === 'Z_BUF_ERROR' ? 'truncated_archive' : 'corrupt_archive'
  return new ArchiveRejected(rule, entry, { cause: error })
}

/** tar-stream's own errors: a stream that stops mid-entry, or a header that does not parse. */
function tarRejection(error: unknown, entry: string | null): unknown {
  if (error instanceof AppError) return error
  const truncated = error instanceof Error && error.message === 'Unexpected end of data'
  return new ArchiveRejected(truncated ? 'truncated_archive' : 'corrupt_archive', entry, { cause: error })
}

/** The pipeline failed without any stream reporting an error: a stream closed early. */
function endOfStreamFailure(error: unknown, entry: string | null): unknown {
  if (errorCode(error) === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new ArchiveRejected('truncated_archive', entry, { cause: error })
  }
  return error
}
