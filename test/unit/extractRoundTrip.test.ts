import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Readable, Writable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/main/errors'
import {
  ArchiveRejected,
  extractUntrusted,
  HARD_LIMITS,
  limitsFor,
  validateUntrusted,
  type ExtractSummary,
} from '../../src/main/snapshots/extract'
import {
  BLOCK,
  END_OF_ARCHIVE,
  packTar,
  packTgz,
  paxEntry,
  rawEntry,
  rawTar,
  type PackSpec,
} from '../helpers/archiveCorpus'
import { tempDir } from '../helpers/tempDir'

// ---- A volume described as data ---------------------------------------------------------------

type Spec =
  | {
      readonly type: 'dir'
      readonly mode: number
      readonly mtime: number
      readonly uid?: number
      readonly gid?: number
    }
  | {
      readonly type: 'file'
      readonly content: string | Buffer
      readonly mode: number
      readonly mtime: number
      readonly uid?: number
      readonly gid?: number
    }
  | {
      readonly type: 'symlink'
      readonly target: string
      readonly mtime: number
      readonly uid?: number
      readonly gid?: number
    }
  | { readonly type: 'hardlink'; readonly to: string }

const T = 1_600_000_000
const BIG = randomBytes(3 * 1024 * 1024 + 123)
const DEEP = Array.from({ length: 8 }, (_, index) => `segment-number-${index}`)

const VOLUME: Readonly<Record<string, Spec>> = {
  '': { type: 'dir', mode: 0o751, uid: 1234, gid: 1234, mtime: T },
  etc: { type: 'dir', mode: 0o755, mtime: T + 1 },
  'etc/app.conf': { type: 'file', content: 'key = value\n', mode: 0o640, uid: 1234, gid: 1234, mtime: T + 2 },
  'etc/secret': { type: 'file', content: 's3cret', mode: 0o600, mtime: T + 3 },
  bin: { type: 'dir', mode: 0o755, mtime: T + 4 },
  'bin/run.sh': { type: 'file', content: '#!/bin/sh\necho hi\n', mode: 0o755, mtime: T + 5 },
  'bin/helper': { type: 'file', content: 'setuid helper', mode: 0o4755, mtime: T + 6 },
  data: { type: 'dir', mode: 0o2775, uid: 1234, gid: 1234, mtime: T + 7 },
  'data/big.bin': { type: 'file', content: BIG, mode: 0o644, mtime: T + 8 },
  'data/zeros.bin': { type: 'file', content: Buffer.alloc(1024 * 1024 + 512), mode: 0o644, mtime: T + 9 },
  'data/empty.txt': { type: 'file', content: '', mode: 0o644, mtime: T + 10 },
  'data/empty-dir': { type: 'dir', mode: 0o755, mtime: T + 11 },
  'data/private': { type: 'dir', mode: 0o700, uid: 1234, gid: 1234, mtime: T + 12 },
  'data/private/key': { type: 'file', content: 'private key', mode: 0o600, uid: 1234, gid: 1234, mtime: T + 13 },
  'data/readonly': { type: 'dir', mode: 0o555, mtime: T + 14 },
  'data/readonly/ro.txt': { type: 'file', content: 'read only', mode: 0o444, mtime: T + 15 },
  links: { type: 'dir', mode: 0o755, mtime: T + 16 },
  'links/conf': { type: 'symlink', target: '../etc/app.conf', mtime: T + 17, uid: 1234, gid: 1234 },
  'links/data': { type: 'symlink', target: '../data', mtime: T + 18 },
  'links/dangling': { type: 'symlink', target: 'missing/file', mtime: T + 19 },
  'links/here': { type: 'symlink', target: '.', mtime: T + 20 },
  'hard.sh': { type: 'hardlink', to: 'bin/run.sh' },
  café: { type: 'dir', mode: 0o755, mtime: T + 21 },
  'café/日本語 ファイル.txt': { type: 'file', content: 'unicode', mode: 0o644, mtime: T + 22 },
  ...Object.fromEntries(
    DEEP.map((_, index) => [
      `deep/${DEEP.slice(0, index + 1).join('/')}`,
      { type: 'dir', mode: 0o755, mtime: T + 30 + index },
    ]),
  ),
  deep: { type: 'dir', mode: 0o755, mtime: T + 29 },
  [`deep/${DEEP.join('/')}/file-with-a-long-path.txt`]: { type: 'file', content: 'long', mode: 0o644, mtime: T + 40 },
}

const sortedPaths = (spec: Readonly<Record<string, Spec>>): string[] => Object.keys(spec).sort()

/** Builds `spec` under `root`: contents first, then owners, modes and times (directories deepest first). */
function buildTree(root: string, spec: Readonly<Record<string, Spec>>): void {
  mkdirSync(root, { recursive: true })
  const paths = sortedPaths(spec)
  const full = (path: string): string => (path === '' ? root : join(root, path))
  for (const path of paths) {
    const node = spec[path]
    if (node === undefined || path === '') continue
    if (node.type === 'dir') mkdirSync(full(path))
    else if (node.type === 'file') writeFileSync(full(path), node.content)
    else if (node.type === 'symlink') symlinkSync(node.target, full(path))
    else linkSync(full(node.to), full(path))
  }
  for (const path of [...paths].reverse()) {
    const node = spec[path]
    if (node === undefined || node.type === 'hardlink') continue
    if (node.type === 'symlink') {
      lchownSync(full(path), node.uid ?? 0, node.gid ?? 0)
      lutimesSync(full(path), node.mtime, node.mtime)
      continue
    }
    chownSync(full(path), node.uid ?? 0, node.gid ?? 0)
    chmodSync(full(path), node.mode)
    utimesSync(full(path), node.mtime, node.mtime)
  }
}

interface Observed {
  readonly type: 'file' | 'dir' | 'symlink' | 'other'
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtimeMs: number
  readonly size?: number
  readonly sha256?: string
  readonly target?: string
}

/** Everything a restore must reproduce, keyed by relative path ('' is the root). */
function readTree(root: string): Record<string, Observed> {
  const out: Record<string, Observed> = {}
  const visit = (rel: string): void => {
    const full = rel === '' ? root : join(root, rel)
    const stat = lstatSync(full)
    const base = { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, mtimeMs: stat.mtimeMs }
    if (stat.isSymbolicLink()) out[rel] = { type: 'symlink', ...base, target: readlinkSync(full) }
    else if (stat.isFile()) {
      const sha256 = createHash('sha256').update(readFileSync(full)).digest('hex')
      out[rel] = { type: 'file', ...base, size: stat.size, sha256 }
    } else if (stat.isDirectory()) {
      out[rel] = { type: 'dir', ...base }
      for (const name of readdirSync(full).sort()) visit(rel === '' ? name : `${rel}/${name}`)
    } else out[rel] = { type: 'other', ...base }
  }
  visit('')
  return out
}

/** Paths that share an inode, as sorted groups. */
function hardlinkGroups(root: string): string[][] {
  const byInode = new Map<number, string[]>()
  for (const [path, node] of Object.entries(readTree(root))) {
    if (node.type !== 'file') continue
    const inode = lstatSync(join(root, path)).ino
    byInode.set(inode, [...(byInode.get(inode) ?? []), path])
  }
  return [...byInode.values()].filter((group) => group.length > 1).map((group) => group.sort())
}

/** A tar of `spec` written by tar-stream, entries in path order with `./` names. */
async function packVolume(spec: Readonly<Record<string, Spec>>): Promise<Buffer> {
  const entries: PackSpec[] = sortedPaths(spec).map((path) => {
    const node = spec[path]
    const name = path === '' ? './' : `./${path}`
    if (node === undefined) throw new Error(path)
    const owner =
      node.type === 'hardlink' ? {} : { uid: node.uid ?? 0, gid: node.gid ?? 0, mtime: new Date(node.mtime * 1000) }
    switch (node.type) {
      case 'dir':
        return { name, type: 'directory', mode: node.mode, ...owner }
      case 'file':
        return { name, content: node.content, mode: node.mode, ...owner }
      case 'symlink':
        return { name, type: 'symlink', linkname: node.target, mode: 0o777, ...owner }
      case 'hardlink':
        return { name, type: 'link', linkname: `./${node.to}` }
    }
  })
  return packTar(entries)
}

function realTar(root: string, ...options: string[]): Buffer {
  return execFileSync('tar', ['-C', root, '--sort=name', ...options, '-cf', '-', '.'], { maxBuffer: 256 * 1024 * 1024 })
}

function realTgz(root: string): Buffer {
  return execFileSync('tar', ['-C', root, '--sort=name', '-czf', '-', '.'], { maxBuffer: 256 * 1024 * 1024 })
}

function listing(tar: Buffer): string[] {
  const text = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', '-'], { input: tar, encoding: 'utf8' })
  return text
    .split('\n')
    .filter((line) => line !== '')
    .sort()
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

function volume(): { readonly source: string; readonly parent: string } {
  const parent = tempDir('slipway-extract-roundtrip-')
  const source = join(parent, 'source')
  buildTree(source, VOLUME)
  return { source, parent }
}

const contentBytes = Object.values(VOLUME).reduce(
  (sum, node) => sum + (node.type === 'file' ? Buffer.byteLength(node.content) : 0),
  0,
)
const expectedSummary: ExtractSummary = {
  files: Object.values(VOLUME).filter((node) => node.type === 'file').length,
  dirs: Object.values(VOLUME).filter((node) => node.type === 'dir').length,
  symlinks: Object.values(VOLUME).filter((node) => node.type === 'symlink').length,
  hardlinks: 1,
  bytes: contentBytes,
}
const options = { limits: limitsFor(contentBytes), preserveOwnership: true }

// ---- Tests -------------------------------------------------------------------------------------

describe('extractUntrusted round trip', () => {
  it('restores a real `tar -czf` archive exactly: content, modes, owners, times, links', async () => {
    const { source, parent } = volume()
    const target = join(parent, 'out')
    const progress: [number, number][] = []
    const summary = await extractUntrusted(Readable.from([realTgz(source)]), target, {
      ...options,
      onProgress: (bytes, entries) => progress.push([bytes, entries]),
    })
    expect(readTree(target)).toEqual(readTree(source))
    expect(hardlinkGroups(target)).toEqual([['bin/run.sh', 'hard.sh']])
    expect(summary).toEqual(expectedSummary)
    expect(progress.at(-1)).toEqual([contentBytes, Object.keys(VOLUME).length])
  })

  it('restores an archive written by tar-stream exactly', async () => {
    const { source, parent } = volume()
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([gzipSync(await packVolume(VOLUME))]), target, options)
    expect(readTree(target)).toEqual(readTree(source))
    expect(hardlinkGroups(target)).toEqual([['bin/run.sh', 'hard.sh']])
  })

  it('honours pax uid, gid and sub-second mtime (tar --format=posix)', async () => {
    const parent = tempDir('slipway-extract-pax-')
    const source = join(parent, 'source')
    buildTree(source, {
      '': { type: 'dir', mode: 0o755, mtime: T },
      big: { type: 'file', content: 'big ids', mode: 0o640, uid: 3_000_000, gid: 3_000_001, mtime: T + 0.25 },
    })
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([gzipSync(realTar(source, '--format=posix'))]), target, options)
    expect(readTree(target)).toEqual(readTree(source))
    expect(lstatSync(join(target, 'big')).mtimeMs).toBe((T + 0.25) * 1000)
  })

  it('accepts a multi-member gzip (one tar split across three members)', async () => {
    const { source, parent } = volume()
    const tar = realTar(source)
    const cuts = [0, 700, 5000, BIG.length + 17, tar.length]
    const members = cuts.slice(1).map((end, index) => gzipSync(tar.subarray(cuts[index], end)))
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([Buffer.concat(members)]), target, options)
    expect(readTree(target)).toEqual(readTree(source))
  })

  it('without preserveOwnership: owned by the extracting user, setuid/setgid dropped', async () => {
    const { source, parent } = volume()
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([realTgz(source)]), target, { ...options, preserveOwnership: false })
    const tree = readTree(target)
    const uid = process.getuid?.() ?? 0
    for (const node of Object.values(tree)) expect(node.uid).toBe(uid)
    expect(tree['bin/helper']?.mode).toBe(0o755)
    expect(tree.data?.mode).toBe(0o775)
    expect(tree['data/readonly']?.mode).toBe(0o555)
    expect(tree['']?.mode).toBe(0o751)
  })

  it('accepts plain relative names, a directory entry after its contents, and a git-archive comment', async () => {
    const target = join(tempDir(), 'out')
    const tar = rawTar(
      paxEntry({ comment: '0123456789abcdef' }, 'g'),
      rawEntry({ name: 'a/b/file.txt', typeflag: '0', mode: 0o600, mtime: T }, 'hello'),
      rawEntry({ name: 'a/', typeflag: '5', mode: 0o750, mtime: T + 1 }),
      rawEntry({ name: 'link', typeflag: '2', linkname: 'a/b/file.txt', mtime: T + 2 }),
    )
    const summary = await extractUntrusted(Readable.from([gzipSync(tar)]), target, options)
    expect(summary).toEqual({ files: 1, dirs: 1, symlinks: 1, hardlinks: 0, bytes: 5 })
    const tree = readTree(target)
    expect(tree.a).toMatchObject({ type: 'dir', mode: 0o750, mtimeMs: (T + 1) * 1000 })
    expect(tree['a/b']).toMatchObject({ type: 'dir', mode: 0o700 })
    expect(tree['a/b/file.txt']).toMatchObject({ type: 'file', mode: 0o600, size: 5 })
    expect(tree.link).toMatchObject({ type: 'symlink', target: 'a/b/file.txt' })
    expect(tree['']).toMatchObject({ mode: 0o700 })
  })

  it('accepts a single end-of-archive block', async () => {
    const target = join(tempDir(), 'out')
    const tar = Buffer.concat([rawEntry({ name: './a', typeflag: '0' }, 'x'), Buffer.alloc(BLOCK)])
    await expect(extractUntrusted(Readable.from([gzipSync(tar)]), target, options)).resolves.toMatchObject({ files: 1 })
  })

  it('refuses a target that already exists and leaves it alone', async () => {
    const parent = tempDir()
    const target = join(parent, 'out')
    mkdirSync(target)
    writeFileSync(join(target, 'keep'), 'mine')
    const error = await failure(
      extractUntrusted(Readable.from([await packTgz([{ name: './a', content: 'x' }])]), target, options),
    )
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('CONFLICT')
    expect(readFileSync(join(target, 'keep'), 'utf8')).toBe('mine')
  })

  it('removes a target whose directories were already made read-only when the end of the archive fails', async () => {
    const parent = tempDir()
    const target = join(parent, 'out')
    // Valid entries, a read-only directory, then an archive that is only found broken at its end.
    const valid = await packTar([
      { name: './ro/', type: 'directory', mode: 0o500 },
      { name: './ro/file', content: 'x', mode: 0o400 },
      { name: './d/', type: 'directory', mode: 0o000 },
    ])
    const archive = gzipSync(valid.subarray(0, valid.length - 1024))
    const error = await failure(extractUntrusted(Readable.from([archive]), target, options))
    expect((error as ArchiveRejected).rule).toBe('truncated_archive')
    expect(existsSync(target)).toBe(false)
  })
})

describe('extractUntrusted with select', () => {
  const tgz = (): { source: string; parent: string; archive: Buffer } => {
    const { source, parent } = volume()
    return { source, parent, archive: realTgz(source) }
  }

  it('writes just one file (its parents made 0700, the root untouched)', async () => {
    const { source, parent, archive } = tgz()
    const target = join(parent, 'out')
    const summary = await extractUntrusted(Readable.from([archive]), target, { ...options, select: './etc/app.conf' })
    const tree = readTree(target)
    expect(Object.keys(tree)).toEqual(['', 'etc', 'etc/app.conf'])
    expect(tree['etc/app.conf']).toEqual(readTree(source)['etc/app.conf'])
    expect(tree.etc).toMatchObject({ mode: 0o700 })
    expect(tree['']).toMatchObject({ mode: 0o700 })
    expect(summary).toEqual({ files: 1, dirs: 0, symlinks: 0, hardlinks: 0, bytes: 12 })
  })

  it('writes one subtree exactly', async () => {
    const { source, parent, archive } = tgz()
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([archive]), target, { ...options, select: 'data' })
    const expected = Object.fromEntries(
      Object.entries(readTree(source)).filter(([path]) => path === 'data' || path.startsWith('data/')),
    )
    const { '': root, ...written } = readTree(target)
    expect(root).toMatchObject({ mode: 0o700 })
    expect(written).toEqual(expected)
  })

  it('writes a selected symlink', async () => {
    const { parent, archive } = tgz()
    const target = join(parent, 'out')
    await extractUntrusted(Readable.from([archive]), target, { ...options, select: 'links/conf' })
    expect(readlinkSync(join(target, 'links/conf'))).toBe('../etc/app.conf')
  })

  it('still checks the whole stream: a bad entry after the selection removes everything', async () => {
    const target = join(tempDir(), 'out')
    const archive = await packTgz([
      { name: './wanted.txt', content: 'ok' },
      { name: './later/../../escape', content: 'x' },
    ])
    const error = await failure(
      extractUntrusted(Readable.from([archive]), target, { ...options, select: 'wanted.txt' }),
    )
    expect((error as ArchiveRejected).rule).toBe('parent_segment')
    expect(existsSync(target)).toBe(false)
  })

  it('is NOT_FOUND when the selection matches nothing', async () => {
    const { parent, archive } = tgz()
    const target = join(parent, 'out')
    const error = await failure(extractUntrusted(Readable.from([archive]), target, { ...options, select: 'nope' }))
    expect((error as AppError).code).toBe('NOT_FOUND')
    expect(existsSync(target)).toBe(false)
  })

  it('is CONFLICT for a selected hardlink whose file lies outside the selection', async () => {
    const { parent, archive } = tgz()
    const target = join(parent, 'out')
    const error = await failure(extractUntrusted(Readable.from([archive]), target, { ...options, select: 'hard.sh' }))
    expect((error as AppError).code).toBe('CONFLICT')
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a selection that is not a clean archive path, before touching anything', async () => {
    const target = join(tempDir(), 'out')
    for (const select of ['../x', '/etc', '.', 'a\u202Eb']) {
      const error = await failure(extractUntrusted(Readable.from([Buffer.alloc(0)]), target, { ...options, select }))
      expect((error as AppError).code).toBe('BAD_INPUT')
      expect(existsSync(target)).toBe(false)
    }
  })
})

describe('validateUntrusted with repack', () => {
  it('writes a clean tar that GNU tar lists the same, that re-validates, and that GNU tar restores exactly', async () => {
    const { source, parent } = volume()
    const original = realTar(source)
    const repacked = new PassThrough()
    const collected = collectStream(repacked)
    const summary = await validateUntrusted(Readable.from([gzipSync(original)]), {
      limits: options.limits,
      repack: repacked,
    })
    const repack = await collected
    expect(summary).toEqual(expectedSummary)
    expect(listing(repack)).toEqual(listing(original))

    const again = await validateUntrusted(Readable.from([gzipSync(repack)]), { limits: options.limits })
    expect(again).toEqual(expectedSummary)

    const restored = join(parent, 'restored')
    mkdirSync(restored)
    execFileSync('tar', ['-C', restored, '--numeric-owner', '-xpf', '-'], { input: repack })
    expect(readTree(restored)).toEqual(readTree(source))
    expect(hardlinkGroups(restored)).toEqual([['bin/run.sh', 'hard.sh']])
  })

  it('sharded: files spread over the shards, hardlinks with their file, directories and symlinks only in last; extracted shards-then-last it restores exactly', async () => {
    const { source, parent } = volume()
    const original = realTar(source)
    const shards = [new PassThrough(), new PassThrough()]
    const last = new PassThrough()
    const collected = [...shards, last].map(collectStream)
    const summary = await validateUntrusted(Readable.from([gzipSync(original)]), {
      limits: options.limits,
      repack: { shards, last },
    })
    const [first, second, final] = await Promise.all(collected)
    expect(summary).toEqual(expectedSummary)
    const kinds = (tar: Buffer | undefined): string[] => listing(tar ?? Buffer.alloc(0)).map((line) => line[0] ?? '')
    for (const shard of [first, second]) expect(kinds(shard).every((kind) => kind === '-' || kind === 'h')).toBe(true)
    expect(kinds(first).length).toBeGreaterThan(0)
    expect(kinds(second).length).toBeGreaterThan(0)
    expect(kinds(final).every((kind) => kind === 'd' || kind === 'l')).toBe(true)

    const restored = join(parent, 'restored')
    mkdirSync(restored)
    for (const tar of [first, second, final])
      execFileSync('tar', ['-C', restored, '--numeric-owner', '-xpf', '-'], { input: tar })
    expect(readTree(restored)).toEqual(readTree(source))
    expect(hardlinkGroups(restored)).toEqual([['bin/run.sh', 'hard.sh']])
  })

  it('sharded: one output failing fails the repack with its error while the walk waits on another, full and unread', async () => {
    const big = (name: string) => ({ name, content: randomBytes(2 * 1024 * 1024) })
    // small → shard 0, a → shard 1 (lighter), b → shard 0 (lighter again), where the walk then waits.
    const archive = await packTgz([
      { name: './', type: 'directory' },
      { name: './small', content: 'x' },
      big('./a'),
      big('./b'),
    ])
    const lost = new Error('upload lane lost')
    const shards = [new PassThrough(), new PassThrough()]
    shards[1]?.resume()
    setTimeout(() => shards[1]?.destroy(lost), 200)
    const error = await failure(
      validateUntrusted(Readable.from([archive]), {
        limits: HARD_LIMITS,
        repack: { shards, last: new PassThrough() },
      }),
    )
    expect(error).toBe(lost)
    expect(shards[0]?.readableLength).toBeGreaterThan(0)
  })

  it('sharded: outputs destroyed mid-file fail the repack at once, whether the walk was waiting or between chunks', async () => {
    const archive = await packTgz([
      { name: './', type: 'directory' },
      { name: './big', content: randomBytes(12 * 1024 * 1024) },
      { name: './small', content: 'x' },
    ])
    for (const after of [1, 1 << 20, 9 << 20]) {
      const make = () => new PassThrough({ highWaterMark: 8 * 1024 * 1024 })
      const shards = [make(), make()]
      const last = make()
      const outputs = [...shards, last]
      const lost = new Error('upload failed')
      let seen = 0
      for (const out of outputs) {
        out.on('error', () => undefined)
        out.on('data', (chunk: Buffer) => {
          seen += chunk.length
          if (seen > after) for (const o of outputs) o.destroy(lost)
        })
      }
      const error = await failure(
        validateUntrusted(Readable.from([archive]), { limits: HARD_LIMITS, repack: { shards, last } }),
      )
      expect(error).toBe(lost)
    }
  })

  it('sharded: a hardlink to a hardlink goes to the shard of the file they both name', async () => {
    const archive = await packTgz([
      { name: './', type: 'directory' },
      { name: './big', content: Buffer.alloc(200_000) },
      { name: './f', content: 'x' },
      { name: './a', type: 'link', linkname: './f' },
      { name: './b', type: 'link', linkname: './a' },
    ])
    const shards = [new PassThrough(), new PassThrough()]
    const last = new PassThrough()
    const collected = [...shards, last].map(collectStream)
    await validateUntrusted(Readable.from([archive]), { limits: HARD_LIMITS, repack: { shards, last } })
    const [first, second] = await Promise.all(collected)
    const names = (tar: Buffer | undefined): string[] =>
      listing(tar ?? Buffer.alloc(0)).map((line) => line.split(' ').filter((word) => word.startsWith('./'))[0] ?? '')
    expect(names(first)).toEqual(['./big'])
    expect(names(second)).toEqual(['./f', './a', './b'])
  })

  it('keeps values ustar cannot hold (big ids, sub-second and pre-1970 times) through pax', async () => {
    const archive = await packTgz([
      { name: './', type: 'directory' },
      { name: './a', content: 'x', pax: { uid: '3000000', gid: '3000001', mtime: '1600000000.5' } },
      { name: './old', content: 'y', pax: { mtime: '-86400' } },
    ])
    const repacked = new PassThrough()
    const collected = collectStream(repacked)
    await validateUntrusted(Readable.from([archive]), { limits: HARD_LIMITS, repack: repacked })
    const lines = listing(await collected)
    expect(lines.some((line) => line.includes('3000000/3000001') && line.endsWith('./a'))).toBe(true)
    expect(lines.some((line) => line.includes('1969-12-31') && line.endsWith('./old'))).toBe(true)
    const target = join(tempDir(), 'out')
    await extractUntrusted(Readable.from([archive]), target, options)
    expect(lstatSync(join(target, 'a'))).toMatchObject({ uid: 3_000_000, gid: 3_000_001, mtimeMs: 1_600_000_000_500 })
    expect(lstatSync(join(target, 'old')).mtimeMs).toBe(-86_400_000)
  })

  it('writes modes of 0 as 0', async () => {
    const archive = gzipSync(rawTar(rawEntry({ name: './none', typeflag: '0', mode: 0 }, 'x')))
    const repacked = new PassThrough()
    const collected = collectStream(repacked)
    await validateUntrusted(Readable.from([archive]), { limits: HARD_LIMITS, repack: repacked })
    expect(listing(await collected)[0]).toMatch(/^-{10} /)
  })
})

describe('cancellation', () => {
  it('stops mid-file, removes the target and rejects with CANCELLED', async () => {
    const { parent, source } = volume()
    const archive = realTgz(source)
    const target = join(parent, 'out')
    const input = new PassThrough()
    // Half the archive arrives (the cut falls inside data/big.bin), then the input stalls.
    input.write(archive.subarray(0, Math.floor(archive.length / 2)))
    const controller = new AbortController()
    let reported = 0
    const extraction = failure(
      extractUntrusted(input, target, { ...options, signal: controller.signal, onProgress: () => (reported += 1) }),
    )
    // Abort once part of the big file is on disk: the walk is waiting for the rest of it.
    const partial = join(target, 'data', 'big.bin')
    await until(() => existsSync(partial) && statSync(partial).size > 0)
    controller.abort()
    const error = await extraction
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('CANCELLED')
    expect(reported).toBeGreaterThan(0)
    expect(existsSync(target)).toBe(false)
    expect(input.destroyed).toBe(true)
    expect(readdirSync(parent).sort()).toEqual(['source'])
  })

  it('does not even create the target when already aborted', async () => {
    const target = join(tempDir(), 'out')
    const error = await failure(
      extractUntrusted(Readable.from([await packTgz([{ name: './a', content: 'x' }])]), target, {
        ...options,
        signal: AbortSignal.abort(),
      }),
    )
    expect((error as AppError).code).toBe('CANCELLED')
    expect(existsSync(target)).toBe(false)
  })

  it('cancels a validation that waits on a stalled repack reader', async () => {
    const { source } = volume()
    const controller = new AbortController()
    // A reader that never reads: the repack fills up and the walk waits on it.
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined })
    stalled.on('error', () => undefined)
    setTimeout(() => controller.abort(), 200)
    const error = await failure(
      validateUntrusted(Readable.from([realTgz(source)]), {
        limits: options.limits,
        repack: stalled,
        signal: controller.signal,
      }),
    )
    expect((error as AppError).code).toBe('CANCELLED')
    expect(stalled.destroyed).toBe(true)
  })
})

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function collectStream(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

// Keep the zero-block constant honest: the corpus relies on it being two blocks.
it('END_OF_ARCHIVE is two zero blocks', () => {
  expect(END_OF_ARCHIVE.equals(Buffer.alloc(2 * BLOCK))).toBe(true)
})
