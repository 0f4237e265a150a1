import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)

export interface ParallelGzipOptions {
  readonly level: number
  /** Bytes per gzip member. */
  readonly blockSize: number
  /** Members compressed at once (on libuv's thread pool). */
  readonly concurrency: number
}

/**
 * Shannon entropy in bits per byte of a strided sample: media, archives and encrypted data sit
 * near 8 and gain nothing from deflate, so such blocks are stored (level 0: still valid gzip,
 * at the cost of a CRC) instead of burning a core on them.
 */
export function sampledEntropy(block: Buffer, samples = 16_384): number {
  const counts = new Uint32Array(256)
  const step = Math.max(1, Math.floor(block.length / samples))
  let n = 0
  for (let i = 0; i < block.length; i += step) {
    const byte = block[i] ?? 0
    counts[byte] = (counts[byte] ?? 0) + 1
    n++
  }
  let bits = 0
  for (const count of counts) {
    if (count === 0) continue
    const p = count / n
    bits -= p * Math.log2(p)
  }
  return bits
}

const INCOMPRESSIBLE_BITS = 7.95

export const defaultGzipOptions = (): ParallelGzipOptions => ({
  level: 1,
  blockSize: 1024 * 1024,
  concurrency: availableParallelism() + 1,
})

/**
 * Compresses on every core: the input is cut into fixed blocks, each compressed as an independent
 * gzip member on the thread pool, and the members are emitted in order. A file of concatenated
 * members is a standard .gz that every gzip reader (and `tar -xzf`) accepts. At most
 * `concurrency` blocks are in memory, whatever the input size.
 */
export async function* parallelGzip(
  source: AsyncIterable<Buffer>,
  options: ParallelGzipOptions,
): AsyncGenerator<Buffer> {
  const inFlight: Promise<Buffer>[] = []
  let pending: Buffer[] = []
  let pendingBytes = 0

  const launch = (block: Buffer): void => {
    const level = sampledEntropy(block) >= INCOMPRESSIBLE_BITS ? 0 : options.level
    const member = gzipAsync(block, { level })
    // Observed when its turn comes; this keeps an early failure from being reported as unhandled.
    member.catch(() => undefined)
    inFlight.push(member)
  }

  for await (const chunk of source) {
    let data = chunk
    while (data.length > 0) {
      const take = Math.min(options.blockSize - pendingBytes, data.length)
      pending.push(data.subarray(0, take))
      pendingBytes += take
      data = data.subarray(take)
      if (pendingBytes === options.blockSize) {
        launch(Buffer.concat(pending, pendingBytes))
        pending = []
        pendingBytes = 0
        if (inFlight.length >= options.concurrency) yield await (inFlight.shift() as Promise<Buffer>)
      }
    }
  }
  if (pendingBytes > 0 || inFlight.length === 0) launch(Buffer.concat(pending, pendingBytes))
  while (inFlight.length > 0) yield await (inFlight.shift() as Promise<Buffer>)
}
