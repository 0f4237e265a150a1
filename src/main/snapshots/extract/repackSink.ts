import type { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pack, type Pack } from 'tar-stream'
import type { AcceptedEntry, EntrySink } from './entrySink'

type PackHeader = Parameters<Pack['entry']>[0] & { pax?: Record<string, string> }
type PackEntry = ReturnType<Pack['entry']>

/** File-type bits added to the mode: tar-stream treats a mode of 0 as "none given". */
const TYPE_BITS: Readonly<Record<AcceptedEntry['type'], number>> = {
  file: 0o100000,
  link: 0o100000,
  directory: 0o040000,
  symlink: 0o120000,
}
/** What fits the ustar fields as tar-stream writes them (ids: 6 octal digits; times: a 32-bit int). */
const USTAR_MAX_ID = 0o777777
const USTAR_MAX_SECONDS = 2 ** 31 - 1

/**
 * Writes the accepted entries as a clean, uncompressed tar to `out`: `./`-prefixed names, the
 * same modes, uid/gid, mtimes and link targets, and nothing else (no uname/gname, no extended
 * attributes). Values ustar cannot hold go in a pax header. Symlinks come last, once the whole
 * archive has been checked, so an archive refused at its end never puts one in the output. On a
 * failure the output is destroyed and never gets an end-of-archive marker: a reader must treat
 * such a stream as failed.
 */
export class RepackSink implements EntrySink {
  private readonly archive: Pack = pack()
  private readonly delivered: Promise<void>

  constructor(out: Writable) {
    this.delivered = pipeline(this.archive, out)
    // Observed in finish/abort; this keeps an early failure from being reported as unhandled.
    this.delivered.catch(() => undefined)
  }

  async directory(entry: AcceptedEntry): Promise<void> {
    await this.add(entry).done
  }

  async file(entry: AcceptedEntry, data: AsyncIterable<Buffer>): Promise<void> {
    const { stream, done } = this.add(entry)
    for await (const chunk of data) {
      if (!stream.write(chunk)) await drained(stream)
    }
    stream.end(undefined)
    await done
  }

  async hardlink(entry: AcceptedEntry): Promise<void> {
    await this.add(entry).done
  }

  async finish(symlinks: readonly AcceptedEntry[]): Promise<void> {
    for (const entry of symlinks) await this.add(entry).done
    this.archive.finalize()
    await this.delivered
  }

  interrupt(error: unknown): void {
    this.archive.destroy(error instanceof Error ? error : new Error('archive rejected'))
  }

  async abort(): Promise<void> {
    await this.delivered.catch(() => undefined)
  }

  private add(entry: AcceptedEntry): { stream: PackEntry; done: Promise<void> } {
    let settle: (error?: Error | null) => void = () => undefined
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve())
    })
    // Awaited by the caller, unless its data fails first: then the rejection is not news.
    done.catch(() => undefined)
    const stream = this.archive.entry(packHeader(entry), (error) => settle(error))
    // Failures arrive through the callback; without a listener streamx would throw them.
    stream.on('error', () => undefined)
    return { stream, done }
  }
}

function packHeader(entry: AcceptedEntry): PackHeader {
  const pax: Record<string, string> = {}
  const seconds = Math.floor(entry.mtime)
  if (entry.mtimeText !== null) pax.mtime = entry.mtimeText
  else if (seconds !== entry.mtime || seconds < 0 || seconds > USTAR_MAX_SECONDS) pax.mtime = String(entry.mtime)
  if (entry.uid > USTAR_MAX_ID) pax.uid = String(entry.uid)
  if (entry.gid > USTAR_MAX_ID) pax.gid = String(entry.gid)
  const header: PackHeader = {
    name: entry.path === '' ? './' : `./${entry.path}${entry.type === 'directory' ? '/' : ''}`,
    type: entry.type,
    mode: (entry.mode & 0o7777) | TYPE_BITS[entry.type],
    uid: Math.min(entry.uid, USTAR_MAX_ID),
    gid: Math.min(entry.gid, USTAR_MAX_ID),
    mtime: new Date(Math.min(Math.max(seconds, 0), USTAR_MAX_SECONDS) * 1000),
    size: entry.type === 'file' ? entry.size : 0,
  }
  if (entry.type === 'symlink') header.linkname = entry.linkTarget
  if (entry.type === 'link') header.linkname = `./${entry.linkTarget}`
  if (Object.keys(pax).length > 0) header.pax = pax
  return header
}

function drained(stream: PackEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('close', onClose)
      resolve()
    }
    const onClose = (): void => {
      stream.off('drain', onDrain)
      reject(new Error('the repacked entry closed before its data was written'))
    }
    stream.once('drain', onDrain)
    stream.once('close', onClose)
  })
}
