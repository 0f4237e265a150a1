/** An entry that passed every rule, normalized. */
export interface AcceptedEntry {
  /** Normalized path without `./` (`a/b`); '' is the archive root. */
  readonly path: string
  readonly depth: number
  readonly type: 'file' | 'directory' | 'symlink' | 'link'
  /** Permission bits from the header (mode & 0o7777); a sink decides which of them to apply. */
  readonly mode: number
  readonly uid: number
  readonly gid: number
  /** Seconds since the epoch, fractional when a pax header said so. */
  readonly mtime: number
  /** The pax `mtime` text, when there was one (kept as written for a faithful repack). */
  readonly mtimeText: string | null
  readonly size: number
  /** Symlinks: the target as written (relative, checked). Hardlinks: the normalized archive path of the file. */
  readonly linkTarget: string
}

/** What reached the disk or the repack (with a selection: only the selection). `dirs` counts the root entry. */
export interface ExtractSummary {
  readonly files: number
  readonly dirs: number
  readonly symlinks: number
  readonly hardlinks: number
  readonly bytes: number
}

/**
 * Where accepted entries go: the disk (FsSink), a clean tar (RepackSink), or nowhere. The walk
 * calls one method at a time, in archive order; symlinks come last, all together, once the whole
 * archive has been checked.
 */
export interface EntrySink {
  directory(entry: AcceptedEntry): Promise<void>
  /** Must consume `data` to its end (the walk checks the byte count). */
  file(entry: AcceptedEntry, data: AsyncIterable<Buffer>): Promise<void>
  hardlink(entry: AcceptedEntry): Promise<void>
  finish(symlinks: readonly AcceptedEntry[]): Promise<void>
  /** The walk failed: stop waiting on anything, synchronously. Work in flight may still settle. */
  interrupt(error: unknown): void
  /** After interrupt, once nothing is in flight: undo everything (throws only if it could not). */
  abort(): Promise<void>
}

/** Checks only: reads every file's data and keeps nothing. */
export const discardSink: EntrySink = {
  directory: async () => undefined,
  file: async (_entry, data) => {
    await drain(data)
  },
  hardlink: async () => undefined,
  finish: async () => undefined,
  interrupt: () => undefined,
  abort: async () => undefined,
}

/** Reads `data` to its end; returns how many bytes that was. */
export async function drain(data: AsyncIterable<Buffer>): Promise<number> {
  let bytes = 0
  for await (const chunk of data) bytes += chunk.length
  return bytes
}
