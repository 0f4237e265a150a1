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

export const defaultGzipOptions = (): ParallelGzipOptions => ({
  level: 3,
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
    const member = gzipAsync(block, { level: options.level })
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
