import { Transform, type TransformCallback } from 'node:stream'
import { ArchiveRejected } from './archiveRejected'

export const BLOCK_SIZE = 512
const ZERO_BLOCK = Buffer.alloc(BLOCK_SIZE)
const CHECKSUM_START = 148
const CHECKSUM_END = 156
/** mode, uid, gid, size, mtime: where a header's numbers are, and how wide. */
const NUMERIC_FIELDS: readonly (readonly [number, number])[] = [
  [100, 8],
  [108, 8],
  [116, 8],
  [124, 12],
  [136, 12],
]

/**
 * A base-256 number (first byte's high bit set) is negative when its sign bit, the next one, is
 * set too. tar-stream decodes -1 as -0 (and so an empty file): the bytes themselves must tell.
 */
function hasNegativeNumber(block: Buffer): boolean {
  return NUMERIC_FIELDS.some(([offset]) => ((block[offset] ?? 0) & 0xc0) === 0xc0)
}

/** A stretch of blocks tar-stream skips as null headers; `zero` when every byte is 0. */
interface NullRun {
  start: number
  end: number
  zero: boolean
}

/**
 * Passes the decompressed tar through unchanged while noting which 512-byte blocks are null
 * headers (all zero except perhaps the checksum field: tar-stream skips those wherever they are).
 * With the entries' offsets this tells whether the archive ended with a real end-of-archive marker
 * and whether a zero block hides entries that GNU tar would never show. It also caps the
 * decompressed size (`allowance`, re-read as the archive goes), so a stream of zeros cannot run on.
 */
export class TarBlocks extends Transform {
  /** Bytes passed through so far. */
  position = 0
  private readonly partial = Buffer.alloc(BLOCK_SIZE)
  private partialLength = 0
  private runs: NullRun[] = []
  /** Blocks outside file data holding a negative base-256 number (a header that lies). */
  private negative = new Set<number>()
  private skipStart = 0
  private skipEnd = 0

  constructor(private readonly allowance: () => number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const start = this.position
    this.position += chunk.length
    if (this.position > this.allowance()) {
      callback(new ArchiveRejected('too_large', null))
      return
    }
    this.scan(chunk, start)
    callback(null, chunk)
  }

  /** File data: its blocks need no look (a file may well hold zeros). */
  skip(start: number, end: number): void {
    this.skipStart = start
    this.skipEnd = end
  }

  /** True when a null block lies in [from, to). */
  hasNullBlock(from: number, to: number): boolean {
    return this.runs.some((run) => run.start < to && run.end > from)
  }

  /** True when the header block at `offset` holds a negative size, mode, uid, gid or mtime. */
  negativeHeader(offset: number): boolean {
    return this.negative.has(offset)
  }

  /** Drops what lies before `offset`: it has been judged. */
  forget(offset: number): void {
    for (const at of this.negative) if (at < offset) this.negative.delete(at)
    this.runs = this.runs.filter((run) => run.end > offset)
    const first = this.runs[0]
    if (first !== undefined && first.start < offset) first.start = offset
  }

  /**
   * What follows the last entry's data (from `offset` to the end): `missing` when there is not
   * even one end-of-archive block, `dirty` when a trailing block is not entirely zero.
   */
  trailer(offset: number): 'missing' | 'zeros' | 'dirty' {
    if (this.position - offset < BLOCK_SIZE || this.partialLength !== 0) return 'missing'
    let zeroBytes = 0
    for (const run of this.runs) {
      if (run.zero) zeroBytes += Math.max(0, Math.min(run.end, this.position) - Math.max(run.start, offset))
    }
    return zeroBytes === this.position - offset ? 'zeros' : 'dirty'
  }

  private scan(chunk: Buffer, chunkStart: number): void {
    let offset = 0
    if (this.partialLength > 0) {
      offset = Math.min(BLOCK_SIZE - this.partialLength, chunk.length)
      chunk.copy(this.partial, this.partialLength, 0, offset)
      this.partialLength += offset
      if (this.partialLength < BLOCK_SIZE) return
      this.classify(this.partial, chunkStart + offset - BLOCK_SIZE)
      this.partialLength = 0
    }
    for (; offset + BLOCK_SIZE <= chunk.length; offset += BLOCK_SIZE) {
      this.classify(chunk.subarray(offset, offset + BLOCK_SIZE), chunkStart + offset)
    }
    if (offset < chunk.length) {
      chunk.copy(this.partial, 0, offset)
      this.partialLength = chunk.length - offset
    }
  }

  private classify(block: Buffer, start: number): void {
    if (start >= this.skipStart && start < this.skipEnd) return
    if (hasNegativeNumber(block)) this.negative.add(start)
    if (block[0] !== 0) return
    const zero = block.equals(ZERO_BLOCK)
    const nullHeader =
      zero ||
      (block.subarray(0, CHECKSUM_START).equals(ZERO_BLOCK.subarray(0, CHECKSUM_START)) &&
        block.subarray(CHECKSUM_END).equals(ZERO_BLOCK.subarray(CHECKSUM_END)))
    if (!nullHeader) return
    const last = this.runs[this.runs.length - 1]
    if (last?.end === start && last.zero === zero) last.end = start + BLOCK_SIZE
    else this.runs.push({ start, end: start + BLOCK_SIZE, zero })
  }
}
