import { PassThrough } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { extract, type Header } from 'tar-stream'
import type { ArchiveSource } from '../stores/places'

export interface RootAttributes {
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtime: number
}

/**
 * The volume root's own attributes (the archive's `./` entry), which the engine's extract leaves
 * alone. Reads only the first header; a broken archive simply has none (the extractor judges it).
 */
export function readRootAttributes(source: ArchiveSource): Promise<RootAttributes | null> {
  return new Promise((resolve) => {
    // Only the first header is wanted: closing early stops a restic dump as well.
    const file = source.open()
    const gunzip = source.compression === 'gzip' ? createGunzip() : new PassThrough()
    const parser = extract()
    let settled = false
    const finish = (root: RootAttributes | null): void => {
      if (settled) return
      settled = true
      resolve(root)
      file.destroy()
      gunzip.destroy()
      parser.destroy()
    }
    file.on('error', () => finish(null))
    gunzip.on('error', () => finish(null))
    parser.on('error', () => finish(null))
    parser.on('finish', () => finish(null))
    parser.on('entry', (fullHeader: Header) => {
      // Fields the typings call required are missing from some real archives.
      const header = fullHeader as Partial<Header> & { name: string }
      const isRoot = header.type === 'directory' && (header.name === './' || header.name === '.')
      finish(
        isRoot
          ? {
              mode: header.mode ?? 0o755,
              uid: header.uid ?? 0,
              gid: header.gid ?? 0,
              mtime: header.mtime?.getTime() ?? 0,
            }
          : null,
      )
    })
    file.pipe(gunzip).pipe(parser)
  })
}
