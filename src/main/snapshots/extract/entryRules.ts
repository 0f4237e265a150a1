/**
 * The per-entry rules of an untrusted archive, in one place: the extractor's walk applies them,
 * and so does capture, so anything a restore would refuse is reported when the snapshot is taken.
 */
import { ArchiveRejected, printableEntry, type RejectRule } from './archiveRejected'
import { AppError } from '../../errors'
import type { AcceptedEntry } from './entrySink'
import { EntryTree } from './entryTree'
import type { ExtractLimits } from './limits'
import { isWithin, parseArchivePath, symlinkTargetRule } from './rules'

const HARMLESS_GLOBAL_PAX = new Set(['comment'])
const PAX_ID = /^\d{1,10}$/
/** Seconds since the epoch; pax spells a time before 1970 exactly (base-256 negatives are refused: tar-stream misreads them). */
const PAX_TIME = /^-?\d{1,12}(\.\d{1,9})?$/
const MAX_ID = 0xfffffffe

/** What tar-stream hands over, typed as loosely as it really is (unknown types arrive as null). */
export interface TarHeader {
  readonly name: string
  readonly type: string | null
  readonly size: number | undefined
  readonly mode: number | undefined
  readonly uid: number | undefined
  readonly gid: number | undefined
  readonly mtime: Date | undefined
  readonly linkname: string | null | undefined
  readonly pax?: unknown
  /** Where the entry's data starts in the decompressed tar. */
  readonly byteOffset?: unknown
}

export interface RuleOptions {
  /** Only entries at or below this path are selected; every entry is still checked. */
  readonly select: readonly string[] | null
  /** Setuid and setgid are cleared on regular files (an untrusted archive's root-owned setuid binary). */
  readonly stripSetid: boolean
}

export class EntryRules {
  private readonly tree = new EntryTree()
  private entries = 0
  private declaredBytes = 0

  constructor(
    private readonly limits: ExtractLimits,
    private readonly options: RuleOptions,
  ) {}

  /** Every per-entry rule, in order; records the entry in the tree. Throws the rule it breaks. */
  accept(header: TarHeader): { entry: AcceptedEntry; path: string[]; selected: boolean } {
    const name = header.name
    const reject = (rule: RejectRule): ArchiveRejected => new ArchiveRejected(rule, name)
    const { limits } = this
    const { select } = this.options
    const pax = paxRecords(header)
    this.entries += 1
    if (this.entries > limits.maxEntries) throw reject('too_many_entries')

    const parsed = parseArchivePath(name, limits)
    if (!parsed.ok) throw reject(parsed.rule)
    const path = parsed.value
    const type = header.type
    if (type !== 'file' && type !== 'directory' && type !== 'symlink' && type !== 'link') throw reject('entry_type')
    if (Object.keys(pax).some((key) => key.startsWith('GNU.sparse.'))) throw reject('entry_type')

    const size = header.size ?? 0
    if (!Number.isSafeInteger(size) || size < 0 || (type !== 'file' && size !== 0)) throw reject('corrupt_archive')
    const meta = metadata(header, pax)
    if (meta === null) throw reject('corrupt_archive')
    if (type === 'file') {
      this.declaredBytes += size
      if (this.declaredBytes > limits.maxTotalBytes) throw reject('too_large')
    }

    const selected = select === null || isWithin(path, select)
    let linkTarget = ''
    if (type === 'symlink') {
      linkTarget = header.linkname ?? ''
      const rule = symlinkTargetRule(linkTarget, limits)
      if (rule !== null) throw reject(rule)
    } else if (type === 'link') {
      const target = parseArchivePath(header.linkname ?? '', limits)
      const found = target.ok && target.value.length > 0 ? this.tree.find(target.value) : undefined
      if (!target.ok || found?.kind !== 'file') throw reject('hardlink_target')
      if (selected && !found.written) {
        throw new AppError('CONFLICT', 'a selected hardlink points to a file outside the selection', {
          details: { reason: 'hardlink_outside_selection', entry: printableEntry(name) },
        })
      }
      linkTarget = target.value.join('/')
    }

    const kind = type === 'link' ? 'file' : type
    const written = selected && (type === 'file' || type === 'link')
    const added = this.tree.add(path, kind, type === 'symlink' ? { target: linkTarget, written } : { written })
    if (added !== null) throw reject(added)

    const entry: AcceptedEntry = {
      path: path.join('/'),
      depth: path.length,
      type,
      size,
      linkTarget,
      ...meta,
      mode: this.options.stripSetid && type === 'file' ? meta.mode & ~0o6000 : meta.mode,
    }
    return { entry, path, selected }
  }
}

function paxRecords(header: TarHeader): Readonly<Record<string, string>> {
  const pax = header.pax
  return typeof pax === 'object' && pax !== null ? (pax as Record<string, string>) : {}
}

/**
 * tar-stream merges a pax global header only into entries that also carry their own pax header,
 * where GNU tar applies it to every entry: any key that could change an entry is refused.
 */
export function unsafeGlobalPax(parser: object): boolean {
  const global = (parser as { _paxGlobal?: unknown })._paxGlobal
  if (global === null || global === undefined) return false
  return typeof global !== 'object' || Object.keys(global).some((key) => !HARMLESS_GLOBAL_PAX.has(key))
}

type EntryMetadata = Pick<AcceptedEntry, 'mode' | 'uid' | 'gid' | 'mtime' | 'mtimeText'>

function metadata(header: TarHeader, pax: Readonly<Record<string, string>>): EntryMetadata | null {
  const mode = header.mode ?? 0
  const uid = pax.uid === undefined ? (header.uid ?? 0) : PAX_ID.test(pax.uid) ? Number(pax.uid) : NaN
  const gid = pax.gid === undefined ? (header.gid ?? 0) : PAX_ID.test(pax.gid) ? Number(pax.gid) : NaN
  const mtimeText = pax.mtime ?? null
  const mtime =
    mtimeText === null ? (header.mtime?.getTime() ?? 0) / 1000 : PAX_TIME.test(mtimeText) ? Number(mtimeText) : NaN
  const isId = (value: number): boolean => Number.isSafeInteger(value) && value >= 0 && value <= MAX_ID
  if (!Number.isSafeInteger(mode) || mode < 0 || !isId(uid) || !isId(gid) || !Number.isFinite(mtime)) return null
  return { mode: mode & 0o7777, uid, gid, mtime, mtimeText }
}
