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
 * index is built from the very bytes that are archived. `check` sees each raw header first; what
 * it throws fails the stream.
 */
export async function* tapTar(
  source: AsyncIterable<Buffer>,
  onEntry: (entry: IndexedEntry) => void,
  check: (header: Partial<Header> & { name: string }) => void = () => undefined,
): AsyncGenerator<Buffer> {
  const parser = extract()
  // What `check` threw, set in the parser's callback and read in the loop below.
  const refused: { failure: { error: unknown } | null } = { failure: null }
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('finish', resolve)
    parser.on('error', reject)
  })
  finished.catch(() => undefined)
  parser.on('entry', (fullHeader, stream, next) => {
    // Fields the typings call required are missing from some real archives.
    const header = fullHeader as Partial<Header> & { name: string }
    try {
      check(header)
    } catch (error) {
      refused.failure = { error }
      stream.resume()
      parser.destroy(error instanceof Error ? error : new Error('entry refused'))
      return
    }
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
    if (refused.failure !== null) throw refused.failure.error
    if (!parser.write(chunk))
      await new Promise<void>((resolve, reject) => {
        parser.once('drain', resolve)
        finished.catch(reject)
      })
    yield chunk
  }
  ;(parser as unknown as { end(): void }).end()
  await finished.catch((error: unknown) => {
    throw refused.failure === null ? error : refused.failure.error
  })
  if (refused.failure !== null) throw refused.failure.error
}
