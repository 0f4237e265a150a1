import { createHash } from 'node:crypto'

export interface Tally {
  bytes: number
  sha256: string
}

/** Counts and hashes what flows through; the tally is complete when the stream ends. */
export function hashTap(tally: Tally): (source: AsyncIterable<unknown>) => AsyncGenerator<Buffer> {
  return async function* (source) {
    const hash = createHash('sha256')
    for await (const data of source) {
      const chunk = data as Buffer
      hash.update(chunk)
      tally.bytes += chunk.length
      yield chunk
    }
    tally.sha256 = hash.digest('hex')
  }
}

export async function* countTap(
  source: AsyncIterable<Buffer>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes(chunk.length)
    yield chunk
  }
}
