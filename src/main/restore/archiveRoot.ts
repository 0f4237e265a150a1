import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'

export interface RootAttributes {
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtime: number
}

/** The volume root's own attributes (the archive's `./` entry), which the engine's extract leaves alone. */
export async function readRootAttributes(archive: string): Promise<RootAttributes | null> {
  const parser = extract()
  const stop = new AbortController()
  let root: RootAttributes | null = null
  parser.on('entry', (fullHeader, stream, next) => {
    // Fields the typings call required are missing from some real archives.
    const header = fullHeader as Partial<typeof fullHeader> & { name: string }
    if (header.type === 'directory' && (header.name === './' || header.name === '.')) {
      root = {
        mode: header.mode ?? 0o755,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        mtime: header.mtime?.getTime() ?? 0,
      }
    }
    stop.abort()
    stream.resume()
    next()
  })
  try {
    await pipeline(createReadStream(archive), createGunzip(), parser, { signal: stop.signal })
  } catch (error) {
    if (!stop.signal.aborted) throw error
  }
  return root
}
