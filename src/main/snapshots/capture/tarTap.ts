import { extract, type Header } from 'tar-stream'

export interface IndexedEntry {
  readonly path: string
  readonly parent: string
  readonly name: string
  readonly type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'
  readonly size: number
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtime: number
  readonly link: string | null
}

/** `./a/b/` → `a/b`; the root (`./`) → ''. */
export function normalizeEntryName(name: string): string {
  return name
    .replace(/^(\.\/)+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '')
}

function typeOf(header: Partial<Header>): IndexedEntry['type'] {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file'
    case 'directory':
      return 'directory'
    case 'symlink':
      return 'symlink'
    case 'link':
      return 'hardlink'
    default:
      return 'other'
  }
}

/**
 * Passes a tar stream through unchanged while parsing its headers on the side, so the per-file
 * index is built from the very bytes that are archived.
 */
export async function* tapTar(
  source: AsyncIterable<Buffer>,
  onEntry: (entry: IndexedEntry) => void,
): AsyncGenerator<Buffer> {
  const parser = extract()
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('finish', resolve)
    parser.on('error', reject)
  })
  finished.catch(() => undefined)
  parser.on('entry', (fullHeader, stream, next) => {
    // Fields the typings call required are missing from some real archives.
    const header = fullHeader as Partial<Header> & { name: string }
    const path = normalizeEntryName(header.name)
    if (path !== '') {
      const slash = path.lastIndexOf('/')
      onEntry({
        path,
        parent: slash < 0 ? '' : path.slice(0, slash),
        name: slash < 0 ? path : path.slice(slash + 1),
        type: typeOf(header),
        size: header.size ?? 0,
        mode: header.mode ?? 0,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        mtime: header.mtime?.getTime() ?? 0,
        link: header.linkname ?? null,
      })
    }
    stream.on('end', next)
    stream.resume()
  })
  for await (const chunk of source) {
    if (!parser.write(chunk))
      await new Promise<void>((resolve, reject) => {
        parser.once('drain', resolve)
        finished.catch(reject)
      })
    yield chunk
  }
  ;(parser as unknown as { end(): void }).end()
  await finished
}
