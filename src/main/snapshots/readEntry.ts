import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'
import type { ArchiveSource } from '../stores/places'
import { normalizeEntryName } from './capture/tarTap'

/**
 * The first `limit` bytes of one regular file in a volume archive, streaming past everything
 * else. Nothing is written anywhere, so this needs no extraction rules.
 */
export async function readEntryHead(
  source: ArchiveSource,
  path: string,
  limit: number,
): Promise<{ data: Buffer; size: number } | null> {
  const parser = extract()
  let found: { data: Buffer; size: number } | null = null
  const done = new AbortController()
  parser.on('entry', (header, stream, next) => {
    if (found === null && header.type === 'file' && normalizeEntryName(header.name) === path) {
      const chunks: Buffer[] = []
      let kept = 0
      stream.on('data', (data: unknown) => {
        const chunk = data as Buffer
        if (kept < limit) {
          chunks.push(chunk.subarray(0, limit - kept))
          kept += Math.min(chunk.length, limit - kept)
        }
      })
      stream.on('end', () => {
        found = { data: Buffer.concat(chunks), size: header.size }
        done.abort()
        next()
      })
    } else {
      stream.on('end', next)
      stream.resume()
    }
  })
  try {
    await pipeline(source.open(), source.compression === 'gzip' ? createGunzip() : new PassThrough(), parser, {
      signal: done.signal,
    })
  } catch (error) {
    if (!done.signal.aborted) throw error
  }
  return found
}

/** Text when it decodes as UTF-8 without NULs; null for anything binary. */
export function asText(data: Buffer): string | null {
  if (data.includes(0)) return null
  let control = 0
  for (const byte of data)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++
  if (control > data.length / 10) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data)
  } catch {
    // The preview may have cut a multi-byte character at the end: retry without the last 3 bytes.
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, Math.max(0, data.length - 3)))
    } catch {
      return null
    }
  }
}
