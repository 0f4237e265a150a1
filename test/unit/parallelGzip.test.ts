import { randomBytes } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parallelGzip, sampledEntropy } from '../../src/main/snapshots/capture/parallelGzip'

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08])

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of source) parts.push(part)
  return Buffer.concat(parts)
}

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
}

describe('parallel gzip', () => {
  it('writes independent members that any gzip reader joins back into the input, in order', async () => {
    const text = Buffer.from('log line with some repetition 0123456789\n'.repeat(100_000))
    const noise = randomBytes(3 * 1024 * 1024 + 17)
    const input = Buffer.concat([text, noise, text])
    const out = await collect(parallelGzip(chunks(input, 65_537), { level: 1, blockSize: 1024 * 1024, concurrency: 3 }))
    expect(gunzipSync(out).equals(input)).toBe(true)
    // Several members: a gzip header (1f 8b 08) starts each one.
    let members = 0
    for (let at = out.indexOf(GZIP_MAGIC); at >= 0; at = out.indexOf(GZIP_MAGIC, at + 1)) members++
    expect(members).toBeGreaterThanOrEqual(Math.ceil(input.length / (1024 * 1024)))
    expect(out.length).toBeLessThan(input.length)
  })

  it('emits one valid member for empty input', async () => {
    const out = await collect(parallelGzip(chunks(Buffer.alloc(0), 10), { level: 1, blockSize: 1024, concurrency: 2 }))
    expect(gunzipSync(out).length).toBe(0)
  })

  it('tells random bytes from text by sampled entropy', () => {
    expect(sampledEntropy(randomBytes(1024 * 1024))).toBeGreaterThan(7.95)
    expect(sampledEntropy(Buffer.from('hello world '.repeat(100_000)))).toBeLessThan(4)
  })
})
