import { createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

/** A volume described as data: build it, snapshot it, restore it, and compare exactly. */
export type TreeNode =
  | {
      readonly type: 'file'
      readonly content: string | Buffer
      readonly mode?: number
      readonly uid?: number
      readonly gid?: number
      readonly mtime?: number
    }
  | {
      readonly type: 'dir'
      readonly mode?: number
      readonly uid?: number
      readonly gid?: number
      readonly mtime?: number
    }
  | { readonly type: 'symlink'; readonly target: string; readonly mtime?: number }
  | { readonly type: 'hardlink'; readonly to: string }

export type TreeSpec = Readonly<Record<string, TreeNode>>

/** Builds `spec` under `root` (paths relative, parents first); directories get their times last. */
export function buildTree(root: string, spec: TreeSpec): void {
  mkdirSync(root, { recursive: true })
  const entries = Object.entries(spec).sort(([a], [b]) => a.localeCompare(b))
  for (const [path, node] of entries) {
    const full = join(root, path)
    if (node.type === 'dir') mkdirSync(full, { recursive: true })
    else if (node.type === 'file') writeFileSync(full, node.content)
    else if (node.type === 'symlink') symlinkSync(node.target, full)
  }
  for (const [path, node] of entries) if (node.type === 'hardlink') linkSync(join(root, node.to), join(root, path))
  for (const [path, node] of entries.reverse()) {
    const full = join(root, path)
    if (node.type === 'symlink') {
      if (node.mtime !== undefined) lutimesSync(full, node.mtime, node.mtime)
      continue
    }
    if (node.type === 'hardlink') continue
    if (node.uid !== undefined || node.gid !== undefined) chownSync(full, node.uid ?? 0, node.gid ?? 0)
    if (node.mode !== undefined) chmodSync(full, node.mode)
    if (node.mtime !== undefined) utimesSync(full, node.mtime, node.mtime)
  }
}

export interface Observed {
  readonly type: 'file' | 'dir' | 'symlink' | 'other'
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtime: number
  readonly sha256?: string
  readonly size?: number
  readonly target?: string
  readonly links?: number
}

/** Everything about a tree that a restore must reproduce, keyed by relative path ('' is the root). */
export function readTree(root: string, options: { rootAttributes?: boolean } = {}): Record<string, Observed> {
  const out: Record<string, Observed> = {}
  const visit = (rel: string): void => {
    const full = rel === '' ? root : join(root, rel)
    const st = lstatSync(full)
    const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) }
    if (st.isSymbolicLink()) out[rel] = { type: 'symlink', ...base, mode: 0, target: readlinkSync(full) }
    else if (st.isFile()) {
      out[rel] = {
        type: 'file',
        ...base,
        size: st.size,
        links: st.nlink,
        sha256: createHash('sha256').update(readFileSync(full)).digest('hex'),
      }
    } else if (st.isDirectory()) {
      if (rel !== '' || options.rootAttributes === true) out[rel] = { type: 'dir', ...base }
      for (const name of readdirSync(full).sort()) visit(rel === '' ? name : `${rel}/${name}`)
    } else out[rel] = { type: 'other', ...base }
  }
  visit('')
  return out
}

/** A realistic little volume: a root-owned 0700 database directory with everything tar must keep. */
export function databaseLikeTree(seed = 'db'): TreeSpec {
  const t = 1_700_000_000
  return {
    base: { type: 'dir', mode: 0o700, uid: 999, gid: 999, mtime: t },
    'base/1': { type: 'dir', mode: 0o700, uid: 999, gid: 999, mtime: t + 1 },
    'base/1/16384': { type: 'file', content: Buffer.alloc(65_536, 7), mode: 0o600, uid: 999, gid: 999, mtime: t + 2 },
    'base/1/PG_VERSION': { type: 'file', content: '16\n', mode: 0o600, uid: 999, gid: 999, mtime: t + 3 },
    empty: { type: 'dir', mode: 0o750, uid: 999, gid: 999, mtime: t + 4 },
    'config.yml': { type: 'file', content: `name: ${seed}\nport: 5432\n`, mode: 0o640, uid: 0, gid: 999, mtime: t + 5 },
    'run.sh': { type: 'file', content: '#!/bin/sh\necho hi\n', mode: 0o755, uid: 1000, gid: 1000, mtime: t + 6 },
    current: { type: 'symlink', target: 'base/1', mtime: t + 7 },
    'config.link': { type: 'hardlink', to: 'config.yml' },
    'unicode-名前.txt': { type: 'file', content: 'ünïcödé\n', mode: 0o644, mtime: t + 8 },
  }
}

/**
 * databaseLikeTree plus 36 MiB in three files and 480 small ones in directories with their own
 * modes, owners and times, hardlinks and symlinks: more than a restore's staging buffers hold, so
 * big files fill one upload lane while the other waits, hardlinks must follow their file's lane,
 * and directory times must survive files landing in them from two extractors.
 */
export function largerThanBuffersTree(seed: string): TreeSpec {
  const t = 1_690_000_000
  const spec: Record<string, TreeNode> = { ...databaseLikeTree(seed) }
  for (let i = 0; i < 3; i++)
    spec[`blobs/b${i}.bin`] = { type: 'file', content: randomBytes(12 * 1024 * 1024), mtime: t + i }
  for (let d = 0; d < 12; d++) {
    spec[`many/d${d}`] = { type: 'dir', mode: d % 2 === 0 ? 0o500 : 0o751, uid: 100 + d, gid: 200, mtime: t + 100 + d }
    for (let f = 0; f < 40; f++)
      spec[`many/d${d}/f${f}`] = { type: 'file', content: `${d}/${f}\n`.repeat(f + 1), uid: d, mtime: t + f }
    spec[`many/d${d}/link`] = { type: 'hardlink', to: `many/d${d}/f${d}` }
    spec[`many/d${d}/sym`] = { type: 'symlink', target: `f${d}`, mtime: t + 7 }
  }
  spec['blobs'] = { type: 'dir', mode: 0o700, mtime: t + 50 }
  spec['many'] = { type: 'dir', mode: 0o755, uid: 7, gid: 7, mtime: t + 51 }
  return spec
}
