import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  ArchiveRejected,
  extractUntrusted,
  HARD_LIMITS,
  validateUntrusted,
  type ExtractLimits,
} from '../../src/main/snapshots/extract'
import { pointsOutOfTree } from '../../src/main/snapshots/extract/rules'
import { LINK_CORPUS, REJECTION_CORPUS, type CorpusCase, type LinkCase } from '../helpers/archiveCorpus'
import { tempDir } from '../helpers/tempDir'

/** Everything about a directory tree that an escaping write could change. */
function treeState(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (path: string, rel: string): void => {
    const stat = lstatSync(path)
    // The parent's own mtime moves when the target is made and removed; nothing else may change.
    const time = rel === '' ? '' : ` ${stat.mtimeMs}`
    const common = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid}${time}`
    if (stat.isSymbolicLink()) {
      out[rel] = `symlink ${readlinkSync(path)} ${common}`
    } else if (stat.isDirectory()) {
      out[rel] = `dir ${common}`
      for (const name of readdirSync(path)) visit(join(path, name), rel === '' ? name : `${rel}/${name}`)
    } else {
      const hash = createHash('sha256').update(readFileSync(path)).digest('hex')
      out[rel] = `file ${stat.size} ${stat.nlink} ${hash} ${common}`
    }
  }
  visit(root, '')
  return out
}

function fileState(path: string): string {
  if (!existsSync(path)) return 'absent'
  const stat = lstatSync(path)
  return `${stat.mtimeMs} ${stat.size} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`
}

function* chunksOf(buffer: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size)
}

interface Stage {
  readonly parent: string
  readonly canary: string
  readonly target: string
  readonly archive: Buffer
  readonly limits: ExtractLimits
  readonly before: Record<string, string>
}

/** A parent dir holding a canary directory (the symlink attacks aim at it) and the target's place. */
async function stage(corpusCase: CorpusCase): Promise<Stage> {
  const parent = tempDir('slipway-extract-corpus-')
  const canary = join(parent, 'canary')
  mkdirSync(canary)
  writeFileSync(join(canary, 'file'), 'canary')
  symlinkSync('file', join(canary, 'link'))
  const archive = await corpusCase.build({ canary, canaryFromRoot: '../canary' })
  const limits = { ...HARD_LIMITS, ...corpusCase.limits }
  return { parent, canary, target: join(parent, 'out'), archive, limits, before: treeState(parent) }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

function expectRejection(error: unknown, corpusCase: CorpusCase): void {
  expect(error).toBeInstanceOf(ArchiveRejected)
  const rejected = error as ArchiveRejected
  expect(rejected.rule).toBe(corpusCase.rule)
  expect(rejected.code).toBe('BAD_INPUT')
  expect(rejected.details).toEqual({ rule: rejected.rule, entry: rejected.entry })
  if (corpusCase.entry !== undefined) expect(rejected.entry).toBe(corpusCase.entry)
}

const systemFiles = ['/etc/passwd', '/etc/shadow']

describe('untrusted archive corpus', () => {
  it('has one case per name', () => {
    const names = REJECTION_CORPUS.map((corpusCase) => corpusCase.name)
    expect(new Set(names).size).toBe(names.length)
  })

  describe.each([
    { feed: 'in one piece', chunk: Number.MAX_SAFE_INTEGER },
    { feed: 'in 509-byte pieces', chunk: 509 },
  ])('extractUntrusted, archive fed $feed', ({ chunk }) => {
    it.each(REJECTION_CORPUS)('$name → $rule', async (corpusCase) => {
      const s = await stage(corpusCase)
      const system = systemFiles.map(fileState)
      const error = await failure(
        extractUntrusted(Readable.from(chunksOf(s.archive, chunk)), s.target, {
          limits: s.limits,
          preserveOwnership: true,
        }),
      )
      expectRejection(error, corpusCase)
      expect(existsSync(s.target)).toBe(false)
      expect(treeState(s.parent)).toEqual(s.before)
      expect(systemFiles.map(fileState)).toEqual(system)
    })
  })

  describe('validateUntrusted', () => {
    it.each(REJECTION_CORPUS)('$name → $rule', async (corpusCase) => {
      const s = await stage(corpusCase)
      const error = await failure(validateUntrusted(Readable.from([s.archive]), { limits: s.limits }))
      expectRejection(error, corpusCase)
      expect(treeState(s.parent)).toEqual(s.before)
    })

    it.each(REJECTION_CORPUS)('$name → $rule, and the repack output is destroyed unfinished', async (corpusCase) => {
      const s = await stage(corpusCase)
      const received: Buffer[] = []
      const repack = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received.push(chunk)
          callback()
        },
      })
      repack.on('error', () => undefined)
      const error = await failure(validateUntrusted(Readable.from([s.archive]), { limits: s.limits, repack }))
      expectRejection(error, corpusCase)
      expect(repack.destroyed).toBe(true)
      expect(repack.writableFinished).toBe(false)
      // Never a complete archive: what was written does not pass as one.
      const output = gzipSync(Buffer.concat(received))
      expect(await failure(validateUntrusted(Readable.from([output]), { limits: HARD_LIMITS }))).toBeInstanceOf(
        ArchiveRejected,
      )
    })
  })
})

describe('links that point anywhere, with nothing written through them', () => {
  async function linkStage(linkCase: LinkCase): Promise<Stage> {
    return stage({ name: linkCase.name, rule: 'through_symlink', build: (c) => linkCase.build(c) })
  }

  /** The symlinks under `root`, by relative path, with their targets as stored. */
  function linksIn(root: string): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [rel, state] of Object.entries(treeState(root))) {
      const match = /^symlink (\S*) /.exec(state)
      if (match !== null && rel !== '') out[rel] = match[1] ?? ''
    }
    return out
  }

  it.each(LINK_CORPUS)('$name: extracted with each target exactly, nothing outside touched', async (linkCase) => {
    const s = await linkStage(linkCase)
    const system = systemFiles.map(fileState)
    await extractUntrusted(Readable.from([s.archive]), s.target, { limits: s.limits, preserveOwnership: true })
    expect(linksIn(s.target)).toEqual(linkCase.links)
    const { out: _extracted, ...outside } = treeState(s.parent)
    const { out: _none, ...before } = s.before
    expect(Object.fromEntries(Object.entries(outside).filter(([rel]) => !rel.startsWith('out/')))).toEqual(before)
    expect(systemFiles.map(fileState)).toEqual(system)
  })

  it.each(LINK_CORPUS)(
    '$name: a sharded repack hands the links that climb out of the tree over apart',
    async (linkCase) => {
      const s = await linkStage(linkCase)
      const sink = (): Writable =>
        new Writable({
          write: (_chunk, _encoding, callback) => callback(),
        })
      const outOfTree: string[] = []
      await validateUntrusted(Readable.from([s.archive]), {
        limits: s.limits,
        repack: {
          shards: [sink(), sink()],
          last: sink(),
          outOfTree: (links) => outOfTree.push(...links.map((l) => l.path)),
        },
      })
      const climbing = Object.entries(linkCase.links)
        .filter(([path, target]) => !target.startsWith('/') && pointsOutOfTree(path.split('/'), target))
        .map(([path]) => path)
      expect(outOfTree.sort()).toEqual(climbing.sort())
    },
  )
})
