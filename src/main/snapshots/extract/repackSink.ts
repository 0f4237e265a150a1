import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pack, type Pack } from 'tar-stream'
import type { AcceptedEntry, EntrySink } from './entrySink'
import { pointsOutOfTree } from './rules'

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
 * Where a repack goes: one tar stream, or files spread over several `shards` (extracted side by
 * side) with every directory and symlink in a `last` stream, to be extracted once the shards are.
 * A sharded repack hands relative symlinks that climb out of the tree to `outOfTree` instead (the
 * Docker engine's extractor refuses to create those), before its shards end.
 */
export type RepackTarget =
  | Writable
  | {
      readonly shards: readonly Writable[]
      readonly last: Writable
      readonly outOfTree?: (links: readonly AcceptedEntry[]) => void
    }

export function repackOutputs(target: RepackTarget | undefined): Writable[] {
  if (target === undefined) return []
  return isSharded(target) ? [...target.shards, target.last] : [target]
}

function isSharded(target: RepackTarget): target is Exclude<RepackTarget, Writable> {
  return !(target instanceof Writable) && 'shards' in target
}

/** What placing a file on a shard costs beyond its bytes: creating it (measured: as much as ~64 KiB of data). */
const FILE_COST_BYTES = 64 * 1024

/**
 * Writes the accepted entries as a clean, uncompressed tar to its target: `./`-prefixed names,
 * the same modes, uid/gid, mtimes and link targets, and nothing else (no uname/gname, no extended
 * attributes). Values ustar cannot hold go in a pax header. Symlinks come last, once the whole
 * archive has been checked, so an archive refused at its end never puts one in the output. On a
 * failure every output is destroyed and never gets an end-of-archive marker: a reader must treat
 * such a stream as failed.
 *
 * Sharded: each file goes to the shard with the least work so far, a hardlink to its file's
 * shard, and the directories wait for `last` (their attributes and times are set after every
 * file is in; until then the extractor makes them as parents, which two extractors at once can
 * do safely, unlike creating one directory entry twice).
 */
export class RepackSink implements EntrySink {
  private readonly shards: PackStream[]
  private readonly last: PackStream
  private readonly directories: AcceptedEntry[] | null
  private readonly load: number[]
  /** Files (and hardlinks) not on shard 0, for the hardlinks to them. */
  private readonly shardOfFile = new Map<string, number>()
  /** The first output that failed: the cause, whatever the other outputs then report. */
  private failure: { error: unknown } | null = null
  private readonly outOfTree: ((links: readonly AcceptedEntry[]) => void) | null

  constructor(target: RepackTarget) {
    if (isSharded(target)) {
      this.shards = target.shards.map((out) => new PackStream(out))
      this.last = new PackStream(target.last)
      this.directories = []
      this.outOfTree = target.outOfTree ?? null
    } else {
      this.last = new PackStream(target)
      this.shards = [this.last]
      this.directories = null
      this.outOfTree = null
    }
    this.load = this.shards.map(() => 0)
    // One output failing fails them all: the walk may be waiting on another one's full buffer.
    for (const p of this.outputs()) {
      p.delivered.catch((error: unknown) => {
        this.failure ??= { error }
        this.interrupt(error)
      })
    }
  }

  async directory(entry: AcceptedEntry): Promise<void> {
    if (this.directories !== null) this.directories.push(entry)
    else await this.last.add(entry).done
  }

  async file(entry: AcceptedEntry, data: AsyncIterable<Buffer>): Promise<void> {
    const shard = this.lightest()
    this.load[shard] = (this.load[shard] ?? 0) + entry.size + FILE_COST_BYTES
    if (shard !== 0) this.shardOfFile.set(entry.path, shard)
    const { stream, done } = this.shardAt(shard).add(entry)
    try {
      for await (const chunk of data) {
        // `done` fails when the entry is destroyed, even between chunks (no close event is left to wait for).
        if (!stream.write(chunk)) await Promise.race([drained(stream), done])
      }
      stream.end(undefined)
      await done
    } catch (error) {
      throw this.failure?.error ?? error
    }
  }

  async hardlink(entry: AcceptedEntry): Promise<void> {
    const shard = this.shardOfFile.get(entry.linkTarget) ?? 0
    // A link may itself be the target of a later link: it must be on the same shard too.
    if (shard !== 0) this.shardOfFile.set(entry.path, shard)
    await this.shardAt(shard).add(entry).done
  }

  async finish(symlinks: readonly AcceptedEntry[]): Promise<void> {
    let inTree = symlinks
    if (this.outOfTree !== null) {
      const climbing = (link: AcceptedEntry): boolean =>
        !link.linkTarget.startsWith('/') && pointsOutOfTree(link.path.split('/'), link.linkTarget)
      this.outOfTree(symlinks.filter(climbing))
      inTree = symlinks.filter((link) => !climbing(link))
    }
    if (this.directories !== null) for (const shard of this.shards) shard.finalize()
    for (const entry of [...(this.directories ?? []), ...inTree]) await this.last.add(entry).done
    this.last.finalize()
    await Promise.all(this.outputs().map((p) => p.delivered))
  }

  interrupt(error: unknown): void {
    for (const p of this.outputs()) p.destroy(error)
  }

  async abort(): Promise<void> {
    await Promise.all(this.outputs().map((p) => p.delivered.catch(() => undefined)))
  }

  private outputs(): PackStream[] {
    return [...new Set([...this.shards, this.last])]
  }

  private lightest(): number {
    let best = 0
    this.load.forEach((load, i) => {
      if (load < (this.load[best] ?? 0)) best = i
    })
    return best
  }

  private shardAt(index: number): PackStream {
    const shard = this.shards[index]
    if (shard === undefined) throw new Error('no such shard')
    return shard
  }
}

/** One tar stream being written to its output. */
class PackStream {
  private readonly archive: Pack = pack()
  readonly delivered: Promise<void>
  private finalized = false

  constructor(out: Writable) {
    this.delivered = pipeline(this.archive, out)
    // Observed in finish/abort; this keeps an early failure from being reported as unhandled.
    this.delivered.catch(() => undefined)
  }

  add(entry: AcceptedEntry): { stream: PackEntry; done: Promise<void> } {
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

  finalize(): void {
    if (this.finalized) return
    this.finalized = true
    this.archive.finalize()
  }

  destroy(error: unknown): void {
    this.archive.destroy(error instanceof Error ? error : new Error('archive rejected'))
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
    if (stream.destroyed) {
      reject(new Error('the repacked entry closed before its data was written'))
      return
    }
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
