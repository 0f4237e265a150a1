import { constants } from 'node:fs'
import {
  chmod,
  link,
  lchown,
  lstat,
  lutimes,
  mkdir,
  open,
  readdir,
  rm,
  symlink,
  type FileHandle,
} from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../errors'
import { ArchiveRejected } from './archiveRejected'
import type { AcceptedEntry, EntrySink } from './entrySink'

/** Never follows a symlink at the last component, never reuses an existing file. */
const NEW_FILE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW
const OWN_DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW
const PRIVATE_DIR = 0o700
const PRIVATE_FILE = 0o600

export interface FsSinkOptions {
  /** chown to the archive's uid/gid (and keep setuid/setgid/sticky bits), when running as root. */
  readonly preserveOwnership: boolean
}

/**
 * Writes accepted entries under `target`, which it creates. Nothing is written through a symlink:
 * there are none until the very end (the walk hands them over last, and refuses any entry below
 * one), every file is opened O_CREAT|O_EXCL|O_NOFOLLOW, and every directory on the way is one this
 * sink made and checked with lstat. Directories stay 0700 while their contents are written; their
 * modes, owners and times are applied at the end, deepest first, through O_NOFOLLOW handles.
 * Directories the archive only implies keep 0700. An entry the disk says already exists (a name
 * that collides on a case-insensitive disk) is `duplicate_entry`.
 */
export class FsSink implements EntrySink {
  /** Directories made (and lstat-checked) by this sink; '' is the target. */
  private readonly dirs = new Set<string>([''])
  private readonly settleLater: AcceptedEntry[] = []
  private root: AcceptedEntry | null = null
  private stopped = false
  private readonly ownership: boolean
  private readonly modeMask: number

  private constructor(
    private readonly target: string,
    options: FsSinkOptions,
  ) {
    this.ownership = options.preserveOwnership && process.getuid?.() === 0
    this.modeMask = this.ownership ? 0o7777 : 0o777
  }

  /** Creates `target` (0700); it must not exist yet (CONFLICT), and its parent must. */
  static async create(target: string, options: FsSinkOptions): Promise<FsSink> {
    if (process.platform === 'win32') {
      throw new AppError('INTERNAL', 'untrusted archives cannot be extracted to a Windows disk')
    }
    try {
      await mkdir(target, { mode: PRIVATE_DIR })
    } catch (error) {
      if (hasCode(error, 'EEXIST'))
        throw new AppError('CONFLICT', 'the extraction target already exists', { cause: error })
      throw error
    }
    return new FsSink(target, options)
  }

  async directory(entry: AcceptedEntry): Promise<void> {
    this.checkRunning()
    if (entry.path === '') {
      this.root = entry
      return
    }
    await this.ensureDir(entry.path)
    this.settleLater.push(entry)
  }

  async file(entry: AcceptedEntry, data: AsyncIterable<Buffer>): Promise<void> {
    this.checkRunning()
    await this.ensureDir(parentOf(entry.path))
    const handle = await this.createFile(entry.path)
    try {
      for await (const chunk of data) {
        this.checkRunning()
        await writeAll(handle, chunk)
      }
      if (this.ownership) await handle.chown(entry.uid, entry.gid)
      await handle.chmod(entry.mode & this.modeMask)
      await handle.utimes(fsTime(entry.mtime), fsTime(entry.mtime))
    } finally {
      await handle.close()
    }
  }

  async hardlink(entry: AcceptedEntry): Promise<void> {
    this.checkRunning()
    await this.ensureDir(parentOf(entry.path))
    await this.created(entry.path, () => link(this.full(entry.linkTarget), this.full(entry.path)))
  }

  async finish(symlinks: readonly AcceptedEntry[]): Promise<void> {
    for (const entry of symlinks) {
      this.checkRunning()
      await this.ensureDir(parentOf(entry.path))
      const full = this.full(entry.path)
      await this.created(entry.path, () => symlink(entry.linkTarget, full))
      if (this.ownership) await lchown(full, entry.uid, entry.gid)
      await lutimes(full, fsTime(entry.mtime), fsTime(entry.mtime))
    }
    const deepestFirst = [...this.settleLater].sort((a, b) => b.depth - a.depth)
    for (const entry of deepestFirst) {
      this.checkRunning()
      await this.settleDirectory(entry)
    }
    if (this.root !== null) await this.settleDirectory(this.root)
  }

  interrupt(): void {
    this.stopped = true
  }

  async abort(): Promise<void> {
    this.stopped = true
    await removeTree(this.target)
  }

  private full(path: string): string {
    return path === '' ? this.target : join(this.target, path)
  }

  private checkRunning(): void {
    if (this.stopped) throw new AppError('CANCELLED', 'extraction was stopped')
  }

  /** `path` as a directory made by this sink, parents first. */
  private async ensureDir(path: string): Promise<void> {
    if (this.dirs.has(path)) return
    await this.ensureDir(parentOf(path))
    const full = this.full(path)
    await this.created(path, () => mkdir(full, { mode: PRIVATE_DIR }))
    const stat = await lstat(full)
    if (!stat.isDirectory()) throw new AppError('INTERNAL', 'a directory just made is not a directory')
    this.dirs.add(path)
  }

  private async createFile(path: string): Promise<FileHandle> {
    return this.created(path, () => open(this.full(path), NEW_FILE, PRIVATE_FILE))
  }

  /** Runs a create call; the disk saying "exists" means two names collided there. */
  private async created<T>(path: string, create: () => Promise<T>): Promise<T> {
    try {
      return await create()
    } catch (error) {
      if (hasCode(error, 'EEXIST')) throw new ArchiveRejected('duplicate_entry', path, { cause: error })
      throw error
    }
  }

  private async settleDirectory(entry: AcceptedEntry): Promise<void> {
    const handle = await open(this.full(entry.path), OWN_DIRECTORY)
    try {
      if (this.ownership) await handle.chown(entry.uid, entry.gid)
      await handle.chmod(entry.mode & this.modeMask)
      await handle.utimes(fsTime(entry.mtime), fsTime(entry.mtime))
    } finally {
      await handle.close()
    }
  }
}

/** Node reads a negative number of seconds as "now"; a Date before 1970 goes through. */
function fsTime(seconds: number): number | Date {
  return seconds < 0 ? new Date(seconds * 1000) : seconds
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length;) {
    const { bytesWritten } = await handle.write(chunk, offset)
    offset += bytesWritten
  }
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}

/** Removes `root` entirely, even when directory modes already applied would stand in the way. */
async function removeTree(root: string): Promise<void> {
  try {
    await rm(root, { recursive: true, force: true })
    return
  } catch (error) {
    if (!hasCode(error, 'EACCES') && !hasCode(error, 'EPERM') && !hasCode(error, 'ENOTEMPTY')) throw error
  }
  await makeRemovable(root)
  await rm(root, { recursive: true, force: true })
}

async function makeRemovable(dir: string): Promise<void> {
  const stat = await lstat(dir)
  if (!stat.isDirectory()) return
  await chmod(dir, PRIVATE_DIR)
  for (const child of await readdir(dir, { withFileTypes: true })) {
    if (child.isDirectory()) await makeRemovable(join(dir, child.name))
  }
}
