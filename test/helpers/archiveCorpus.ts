import { gzipSync } from 'node:zlib'
import { pack, type Pack } from 'tar-stream'
import type { ExtractLimits, RejectRule } from '../../src/main/snapshots/extract'

/** One entry for tar-stream's pack(); `pax` records are written as given (they win over the header). */
export interface PackSpec {
  readonly name: string
  readonly type?:
    'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo' | 'contiguous-file'
  readonly content?: string | Buffer
  readonly linkname?: string
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtime?: Date
  readonly pax?: Readonly<Record<string, string>>
}

const EPOCH = new Date(1_700_000_000_000)

/** An uncompressed tar written by tar-stream (with its end-of-archive marker). */
export async function packTar(specs: readonly PackSpec[]): Promise<Buffer> {
  const archive: Pack = pack()
  const collected = collect(archive as unknown as AsyncIterable<Buffer>)
  for (const spec of specs) {
    const type = spec.type ?? 'file'
    const content = spec.content === undefined ? undefined : Buffer.from(spec.content)
    const header = {
      name: spec.name,
      type,
      mode: (spec.mode ?? (type === 'directory' ? 0o755 : 0o644)) | 0o100000,
      uid: spec.uid ?? 0,
      gid: spec.gid ?? 0,
      mtime: spec.mtime ?? EPOCH,
      ...(spec.linkname === undefined ? {} : { linkname: spec.linkname }),
      ...(spec.pax === undefined ? {} : { pax: { ...spec.pax } }),
    }
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null): void => (error ? reject(error) : resolve())
      if (content === undefined) archive.entry(header, done)
      else archive.entry(header, content, done)
    })
  }
  archive.finalize()
  return collected
}

/** gzip-compressed tar written by tar-stream. */
export async function packTgz(specs: readonly PackSpec[]): Promise<Buffer> {
  return gzipSync(await packTar(specs))
}

export async function collect(stream: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

// ---- Hand-made tar bytes, for what tar-stream would not write ---------------------------------

export const BLOCK = 512

export interface RawHeader {
  readonly name: string | Buffer
  /** The typeflag byte as a character: '0' file, '2' symlink, '3' char device, 'S' GNU sparse, … */
  readonly typeflag: string
  readonly size?: number
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtime?: number
  readonly linkname?: string
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

/** A ustar header block with a correct checksum (unless `corruptChecksum`). */
export function rawHeader(fields: RawHeader, corruptChecksum = false): Buffer {
  const block = Buffer.alloc(BLOCK)
  Buffer.from(fields.name).copy(block, 0, 0, 100)
  block.write(octal(fields.mode ?? 0o644, 8), 100, 'latin1')
  block.write(octal(fields.uid ?? 0, 8), 108, 'latin1')
  block.write(octal(fields.gid ?? 0, 8), 116, 'latin1')
  block.write(octal(fields.size ?? 0, 12), 124, 'latin1')
  block.write(octal(fields.mtime ?? 1_700_000_000, 12), 136, 'latin1')
  block.write('        ', 148, 'latin1')
  block.write(fields.typeflag, 156, 'latin1')
  if (fields.linkname !== undefined) block.write(fields.linkname, 157, 'utf8')
  block.write('ustar\u000000', 257, 'latin1')
  let sum = 0
  for (const byte of block) sum += byte
  if (corruptChecksum) sum += 1
  block.write(octal(sum, 7) + ' ', 148, 'latin1')
  return block
}

/** Data padded to whole blocks. */
export function padded(data: Buffer | string): Buffer {
  const bytes = Buffer.from(data)
  const padding = (BLOCK - (bytes.length % BLOCK)) % BLOCK
  return Buffer.concat([bytes, Buffer.alloc(padding)])
}

/** A header and its padded data. */
export function rawEntry(fields: Omit<RawHeader, 'size'>, data: Buffer | string = ''): Buffer {
  const bytes = Buffer.from(data)
  return Buffer.concat([rawHeader({ ...fields, size: bytes.length }), padded(bytes)])
}

/** A pax extended header ('x') or global header ('g') carrying `records`. */
export function paxEntry(records: Readonly<Record<string, string>>, typeflag: 'x' | 'g' = 'x'): Buffer {
  let body = ''
  for (const [key, value] of Object.entries(records)) {
    const line = ` ${key}=${value}\n`
    let length = Buffer.byteLength(line) + 1
    while (String(length).length + Buffer.byteLength(line) !== length) length += 1
    body += `${length}${line}`
  }
  return rawEntry({ name: 'PaxHeader', typeflag }, body)
}

export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK)

export function rawTar(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, END_OF_ARCHIVE])
}

// ---- The adversarial corpus ------------------------------------------------------------------

export interface CorpusContext {
  /** Absolute path of a directory next to the extraction target that no archive may touch. */
  readonly canary: string
  /** The same directory as seen from the target's root: `../canary`. */
  readonly canaryFromRoot: string
}

export interface CorpusCase {
  readonly name: string
  readonly rule: RejectRule
  /** The entry the rejection must name (printable form); omitted when not asserted. */
  readonly entry?: string | null
  readonly limits?: Partial<ExtractLimits>
  build(context: CorpusContext): Buffer | Promise<Buffer>
}

const dir = (name: string): PackSpec => ({ name, type: 'directory' })
const file = (name: string, content = 'x'): PackSpec => ({ name, content })
const symlink = (name: string, linkname: string): PackSpec => ({ name, type: 'symlink', linkname })
const hardlink = (name: string, linkname: string): PackSpec => ({ name, type: 'link', linkname })
const root = dir('./')

/** gzip of a small valid archive, for the gzip-level cases. */
async function validTgz(): Promise<Buffer> {
  return packTgz([root, file('./a.txt', 'hello world '.repeat(200)), file('./b.txt', 'bye')])
}

export const REJECTION_CORPUS: readonly CorpusCase[] = [
  // Paths
  {
    name: 'zip-slip ../../etc/x (hand-made header)',
    rule: 'parent_segment',
    entry: '../../etc/x',
    build: () => gzipSync(rawTar(rawEntry({ name: '../../etc/x', typeflag: '0' }, 'pwned'))),
  },
  {
    name: 'zip-slip into the canary (tar-stream)',
    rule: 'parent_segment',
    build: (c) => packTgz([root, file(`./${c.canaryFromRoot}/pwned`)]),
  },
  {
    name: 'absolute /etc/passwd',
    rule: 'absolute_path',
    entry: '/etc/passwd',
    build: () => gzipSync(rawTar(rawEntry({ name: '/etc/passwd', typeflag: '0' }, 'root::0:0::/:/bin/sh\n'))),
  },
  {
    name: 'absolute path into the canary',
    rule: 'absolute_path',
    build: (c) => packTgz([root, file(`${c.canary}/pwned`)]),
  },
  { name: 'absolute after normalizing .//etc/x', rule: 'absolute_path', build: () => packTgz([file('.//etc/x')]) },
  { name: 'a/../../x', rule: 'parent_segment', build: () => packTgz([root, dir('./a/'), file('./a/../../x')]) },
  { name: 'a/../b (.. even when it stays inside)', rule: 'parent_segment', build: () => packTgz([file('a/../b')]) },
  { name: '..\\x (backslash)', rule: 'backslash', entry: '..\\u{005C}x', build: () => packTgz([file('..\\x')]) },
  { name: 'empty name', rule: 'empty_name', build: () => gzipSync(rawTar(rawEntry({ name: '', typeflag: '0' }, 'x'))) },
  {
    name: 'root entry that is a file',
    rule: 'empty_name',
    build: () => gzipSync(rawTar(rawEntry({ name: '.', typeflag: '0' }, 'x'))),
  },
  { name: 'root entry that is a symlink', rule: 'empty_name', build: () => packTgz([symlink('./', 'a')]) },

  // Characters
  { name: 'newline in a name', rule: 'control_char', build: () => packTgz([file('./a\nb')]) },
  { name: 'escape sequence in a name', rule: 'control_char', build: () => packTgz([file('./\u001b[31mred')]) },
  {
    name: 'NUL inside a pax path',
    rule: 'control_char',
    build: () => packTgz([{ name: './a', content: 'x', pax: { path: './a\u0000b' } }]),
  },
  { name: 'C1 control in a name', rule: 'control_char', build: () => packTgz([file('./a\u009bb')]) },
  { name: 'NFD name (e + combining acute)', rule: 'unicode', build: () => packTgz([root, file('./cafe\u0301.txt')]) },
  {
    name: 'RTL override',
    rule: 'unicode',
    entry: './invoice\\u{202E}fdp.exe',
    build: () => packTgz([file('./invoice\u202Efdp.exe')]),
  },
  { name: 'zero-width joiner', rule: 'unicode', build: () => packTgz([file('./a\u200Db')]) },
  { name: 'zero-width space', rule: 'unicode', build: () => packTgz([file('./\u200B')]) },
  { name: 'fullwidth solidus', rule: 'unicode', build: () => packTgz([file('./etc\uFF0Fpasswd')]) },
  { name: 'division slash', rule: 'unicode', build: () => packTgz([file('./etc\u2215passwd')]) },
  { name: 'combining long solidus overlay', rule: 'unicode', build: () => packTgz([file('./etc\u0338passwd')]) },
  { name: 'one-dot leaders as ..', rule: 'unicode', build: () => packTgz([file('./\u2024\u2024/x')]) },
  { name: 'small full stops as ..', rule: 'unicode', build: () => packTgz([file('./\uFE52\uFE52')]) },
  { name: '".. " (dots and a space)', rule: 'unicode', build: () => packTgz([file('./.. /x')]) },
  { name: 'Hangul filler (blank) name', rule: 'unicode', build: () => packTgz([file('./\u3164')]) },
  {
    name: 'name that is not UTF-8',
    rule: 'unicode',
    build: () => gzipSync(rawTar(rawEntry({ name: Buffer.from([0x2e, 0x2f, 0x61, 0xff, 0xfe]), typeflag: '0' }, 'x'))),
  },
  { name: 'symlink target with an RTL override', rule: 'unicode', build: () => packTgz([symlink('./l', 'a\u202Eb')]) },

  // Sizes of names
  {
    name: '5000-byte path',
    rule: 'path_too_long',
    build: () => packTgz([file(`./${Array.from({ length: 100 }, () => 'd'.repeat(49)).join('/')}`)]),
  },
  { name: 'depth 300', rule: 'too_deep', build: () => packTgz([file(`./${'d/'.repeat(299)}f`)]) },
  { name: '300-byte name', rule: 'name_too_long', build: () => packTgz([file(`./${'n'.repeat(300)}`)]) },
  {
    name: 'symlink target longer than a path may be',
    rule: 'path_too_long',
    build: () => packTgz([symlink('./l', `${'a/'.repeat(2100)}b`)]),
  },

  // Entry types
  {
    name: 'character device',
    rule: 'entry_type',
    entry: './null',
    build: () => packTgz([{ name: './null', type: 'character-device' }]),
  },
  { name: 'block device', rule: 'entry_type', build: () => packTgz([{ name: './sda', type: 'block-device' }]) },
  { name: 'FIFO', rule: 'entry_type', build: () => packTgz([{ name: './pipe', type: 'fifo' }]) },
  {
    name: 'contiguous file',
    rule: 'entry_type',
    build: () => packTgz([{ name: './c', type: 'contiguous-file', content: 'x' }]),
  },
  {
    name: 'device (hand-made header)',
    rule: 'entry_type',
    build: () => gzipSync(rawTar(rawEntry({ name: './dev', typeflag: '4' }))),
  },
  {
    name: 'GNU sparse typeflag S',
    rule: 'entry_type',
    build: () => gzipSync(rawTar(rawEntry({ name: './sparse', typeflag: 'S' }, 'x'))),
  },
  {
    name: 'GNU volume label typeflag V',
    rule: 'entry_type',
    build: () => gzipSync(rawTar(rawEntry({ name: 'label', typeflag: 'V' }))),
  },
  {
    name: 'unknown typeflag Z',
    rule: 'entry_type',
    build: () => gzipSync(rawTar(rawEntry({ name: './z', typeflag: 'Z' }))),
  },
  {
    name: 'pax GNU sparse file',
    rule: 'entry_type',
    build: () =>
      packTgz([
        {
          name: './GNUSparseFile.0/db',
          content: 'map',
          pax: { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': './db' },
        },
      ]),
  },
  {
    name: 'pax global header that renames entries',
    rule: 'entry_type',
    build: () => gzipSync(rawTar(paxEntry({ path: 'evil' }, 'g'), rawEntry({ name: './a', typeflag: '0' }, 'x'))),
  },
  {
    name: 'directory with data',
    rule: 'corrupt_archive',
    build: () =>
      gzipSync(rawTar(rawEntry({ name: './d/', typeflag: '5' }, rawHeader({ name: './hidden', typeflag: '0' })))),
  },
  {
    name: 'symlink with data',
    rule: 'corrupt_archive',
    build: () => gzipSync(rawTar(rawEntry({ name: './l', typeflag: '2', linkname: 'a' }, 'data'))),
  },

  // Symlinks: any target is kept; only writing through one is refused.
  {
    name: 'symlink a -> /etc then a/passwd',
    rule: 'through_symlink',
    entry: './a/passwd',
    build: () => packTgz([root, symlink('./a', '/etc'), file('./a/passwd')]),
  },
  {
    name: 'symlink to the canary by absolute path, then a file through it',
    rule: 'through_symlink',
    build: (c) => packTgz([root, symlink('./a', c.canary), file('./a/pwned')]),
  },
  {
    name: 'symlink a -> .. then a/x',
    rule: 'through_symlink',
    entry: './a/x',
    build: () => packTgz([root, symlink('./a', '..'), file('./a/x')]),
  },
  {
    name: 'symlink into the canary by ../, then a file through it',
    rule: 'through_symlink',
    build: (c) => packTgz([root, symlink('./a', c.canaryFromRoot), file('./a/pwned')]),
  },
  {
    name: 'symlink chain a -> b, b -> /canary, then a file through the chain',
    rule: 'through_symlink',
    build: (c) => packTgz([root, symlink('./b', c.canary), symlink('./a', 'b'), file('./a/pwned')]),
  },
  {
    name: 'symlink to the canary, then a hardlink through it',
    rule: 'through_symlink',
    build: (c) => packTgz([root, file('./f'), symlink('./a', c.canary), hardlink('./a/h', './f')]),
  },
  {
    name: 'empty symlink target',
    rule: 'empty_name',
    build: () => gzipSync(rawTar(rawEntry({ name: './l', typeflag: '2' }))),
  },
  {
    name: 'symlink to an inside dir, then a file through it',
    rule: 'through_symlink',
    entry: './s/x',
    build: () => packTgz([root, dir('./d/'), symlink('./s', 'd'), file('./s/x')]),
  },
  {
    name: 'directory through a symlink',
    rule: 'through_symlink',
    build: () => packTgz([dir('./d/'), symlink('./s', 'd'), dir('./s/sub/')]),
  },
  {
    name: 'hardlink placed through a symlink',
    rule: 'through_symlink',
    build: () => packTgz([dir('./d/'), file('./f'), symlink('./s', 'd'), hardlink('./s/h', './f')]),
  },

  // Hardlinks
  {
    name: 'hardlink to /etc/shadow',
    rule: 'hardlink_target',
    entry: './h',
    build: () => packTgz([root, hardlink('./h', '/etc/shadow')]),
  },
  { name: 'hardlink to ../x', rule: 'hardlink_target', build: () => packTgz([root, hardlink('./h', '../x')]) },
  {
    name: 'hardlink into the canary',
    rule: 'hardlink_target',
    build: (c) => packTgz([root, hardlink('./h', `${c.canary}/file`)]),
  },
  {
    name: 'hardlink to a symlink',
    rule: 'hardlink_target',
    build: () => packTgz([root, file('./f'), symlink('./s', 'f'), hardlink('./h', './s')]),
  },
  {
    name: 'hardlink to a not-yet-seen path',
    rule: 'hardlink_target',
    build: () => packTgz([root, hardlink('./h', './later'), file('./later')]),
  },
  {
    name: 'hardlink to a directory',
    rule: 'hardlink_target',
    build: () => packTgz([root, dir('./d/'), hardlink('./h', './d')]),
  },
  { name: 'hardlink to itself', rule: 'hardlink_target', build: () => packTgz([hardlink('./h', './h')]) },
  {
    name: 'hardlink with an empty target',
    rule: 'hardlink_target',
    build: () => gzipSync(rawTar(rawEntry({ name: './h', typeflag: '1' }))),
  },

  // Duplicates
  {
    name: 'file twice',
    rule: 'duplicate_entry',
    entry: './f',
    build: () => packTgz([root, file('./f', 'one'), file('./f', 'two')]),
  },
  {
    name: 'directory then file at the same path',
    rule: 'duplicate_entry',
    build: () => packTgz([dir('./d/'), file('./d')]),
  },
  {
    name: 'file then file/child',
    rule: 'duplicate_entry',
    entry: './f/child',
    build: () => packTgz([file('./f'), file('./f/child')]),
  },
  {
    name: 'file where a directory was implied',
    rule: 'duplicate_entry',
    build: () => packTgz([file('./d/x'), file('./d')]),
  },
  {
    name: 'symlink where a file was',
    rule: 'duplicate_entry',
    build: () => packTgz([file('./f'), symlink('./f', 'g')]),
  },
  { name: 'directory twice', rule: 'duplicate_entry', build: () => packTgz([dir('./d/'), dir('./d')]) },
  {
    name: 'the same path spelled two ways',
    rule: 'duplicate_entry',
    build: () => packTgz([file('./a/b'), file('a//./b')]),
  },
  { name: 'root entry twice', rule: 'duplicate_entry', build: () => packTgz([root, dir('.')]) },

  // Caps
  {
    name: 'more entries than the cap',
    rule: 'too_many_entries',
    limits: { maxEntries: 10 },
    build: () => packTgz(Array.from({ length: 11 }, (_, index) => file(`./f${index}`))),
  },
  {
    name: 'one file over the byte cap',
    rule: 'too_large',
    limits: { maxTotalBytes: 1000 },
    build: () => packTgz([file('./big', 'x'.repeat(2000))]),
  },
  {
    name: 'files that add up over the byte cap',
    rule: 'too_large',
    entry: './f2',
    limits: { maxTotalBytes: 1000 },
    build: () => packTgz([file('./f0', 'x'.repeat(400)), file('./f1', 'x'.repeat(400)), file('./f2', 'x'.repeat(400))]),
  },
  {
    name: 'a run of zero blocks past the decompressed allowance',
    rule: 'too_large',
    limits: { maxTotalBytes: 1000 },
    build: () =>
      gzipSync(Buffer.concat([rawEntry({ name: './a', typeflag: '0' }, 'x'), Buffer.alloc(70 * 1024 * 1024)])),
  },

  // Stream framing and corruption
  {
    name: 'truncated gzip',
    rule: 'truncated_archive',
    build: async () => {
      const whole = await validTgz()
      return whole.subarray(0, Math.floor(whole.length / 2))
    },
  },
  {
    name: 'gzip CRC mismatch',
    rule: 'corrupt_archive',
    build: async () => {
      const whole = Buffer.from(await validTgz())
      const crcOffset = whole.length - 8
      whole.writeUInt8(whole.readUInt8(crcOffset) ^ 0xff, crcOffset)
      return whole
    },
  },
  {
    name: 'gzip length (ISIZE) mismatch',
    rule: 'corrupt_archive',
    build: async () => {
      const whole = Buffer.from(await validTgz())
      whole.writeUInt8(whole.readUInt8(whole.length - 4) ^ 0x01, whole.length - 4)
      return whole
    },
  },
  {
    name: 'garbage after the gzip stream',
    rule: 'corrupt_archive',
    build: async () => Buffer.concat([await validTgz(), Buffer.from('this is trailing garbage')]),
  },
  {
    name: 'zeros after the gzip stream',
    rule: 'corrupt_archive',
    build: async () => Buffer.concat([await validTgz(), Buffer.alloc(4096)]),
  },
  { name: 'empty stream', rule: 'truncated_archive', entry: null, build: () => Buffer.alloc(0) },
  {
    name: 'not gzip at all',
    rule: 'corrupt_archive',
    build: () => Buffer.from('PK\u0003\u0004 this is a zip file, not a tar.gz'),
  },
  { name: 'plain tar without gzip', rule: 'corrupt_archive', build: () => packTar([file('./a')]) },
  { name: 'valid gzip of nothing', rule: 'truncated_archive', build: () => gzipSync(Buffer.alloc(0)) },
  {
    name: 'tar header size larger than the data',
    rule: 'truncated_archive',
    entry: './a',
    build: () =>
      gzipSync(
        Buffer.concat([rawHeader({ name: './a', typeflag: '0', size: 5000 }), padded('only a little'), END_OF_ARCHIVE]),
      ),
  },
  {
    name: 'tar cut inside the last entry',
    rule: 'truncated_archive',
    build: async () => {
      const tar = await packTar([root, file('./a', 'a'.repeat(3000))])
      return gzipSync(tar.subarray(0, 3 * BLOCK))
    },
  },
  {
    name: 'tar with no end-of-archive blocks',
    rule: 'truncated_archive',
    entry: null,
    build: async () => {
      const tar = await packTar([root, file('./a', 'a'.repeat(3000))])
      return gzipSync(tar.subarray(0, tar.length - 2 * BLOCK))
    },
  },
  {
    name: 'multi-member gzip missing its last member (cut at an entry boundary)',
    rule: 'truncated_archive',
    build: async () => {
      const tar = await packTar([root, file('./a', 'a'.repeat(1000)), file('./b', 'b'.repeat(1000))])
      // Two clean members (root | ./a), ending exactly where ./b's header would start.
      return Buffer.concat([gzipSync(tar.subarray(0, BLOCK)), gzipSync(tar.subarray(BLOCK, 4 * BLOCK))])
    },
  },
  {
    name: 'entry hidden behind a zero block',
    rule: 'corrupt_archive',
    entry: './hidden',
    build: () =>
      gzipSync(
        rawTar(
          rawEntry({ name: './a', typeflag: '0' }, 'x'),
          Buffer.alloc(BLOCK),
          rawEntry({ name: './hidden', typeflag: '0' }, 'y'),
        ),
      ),
  },
  {
    name: 'non-zero block after the end of archive',
    rule: 'corrupt_archive',
    build: () =>
      gzipSync(Buffer.concat([rawTar(rawEntry({ name: './a', typeflag: '0' }, 'x')), Buffer.alloc(BLOCK, 0x41)])),
  },
  {
    name: 'null-looking block (checksum field only) after the end of archive',
    rule: 'corrupt_archive',
    build: () => {
      const block = Buffer.alloc(BLOCK)
      block.write('0000400', 148, 'latin1')
      return gzipSync(Buffer.concat([rawTar(rawEntry({ name: './a', typeflag: '0' }, 'x')), block]))
    },
  },
  {
    name: 'partial block after the end of archive',
    rule: 'truncated_archive',
    build: () => gzipSync(Buffer.concat([rawTar(rawEntry({ name: './a', typeflag: '0' }, 'x')), Buffer.alloc(100)])),
  },
  {
    name: 'bad tar header checksum',
    rule: 'corrupt_archive',
    build: () => gzipSync(rawTar(rawHeader({ name: './a', typeflag: '0' }, true))),
  },
  {
    name: 'garbage octal in a header field',
    rule: 'corrupt_archive',
    build: () => {
      const header = rawHeader({ name: './a', typeflag: '0' })
      header.write('zzzzzzz\0', 108, 'latin1')
      let sum = 0
      header.write('        ', 148, 'latin1')
      for (const byte of header) sum += byte
      header.write(octal(sum, 7) + ' ', 148, 'latin1')
      return gzipSync(rawTar(header))
    },
  },
  {
    name: 'bad pax uid',
    rule: 'corrupt_archive',
    build: () => packTgz([{ name: './a', content: 'x', pax: { uid: '-1' } }]),
  },
  ...(
    [
      ['size', 124, 12],
      ['uid', 108, 8],
      ['gid', 116, 8],
      ['mtime', 136, 12],
      ['mode', 100, 8],
    ] as const
  ).map(([field, offset, width]): CorpusCase => ({
    name: `-1 in base-256 as the ${field}`,
    rule: 'corrupt_archive',
    entry: './a',
    build: () =>
      gzipSync(rawTar(withField(rawHeader({ name: './a', typeflag: '0' }), offset, Buffer.alloc(width, 0xff)))),
  })),
]

/** `header` with the bytes at `offset` replaced and its checksum made right again. */
function withField(header: Buffer, offset: number, bytes: Buffer): Buffer {
  const block = Buffer.from(header)
  bytes.copy(block, offset)
  block.write('        ', 148, 'latin1')
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return block
}

/**
 * Archives with links that point anywhere — absolute, out of the tree, dangling, in chains and
 * loops — and nothing written through them: accepted, each link kept with its target exactly.
 */
export interface LinkCase {
  readonly name: string
  /** The symlinks the archive holds (path → target), all of which must come out exactly. */
  readonly links: Readonly<Record<string, string>>
  build(context: CorpusContext): Promise<Buffer>
}

export const LINK_CORPUS: readonly LinkCase[] = [
  {
    name: 'an absolute link into the volume itself and one to /dev/stdout',
    links: { current: '/data/releases/7', log: '/dev/stdout' },
    build: () =>
      packTgz([
        root,
        dir('./releases/'),
        dir('./releases/7/'),
        symlink('./current', '/data/releases/7'),
        symlink('./log', '/dev/stdout'),
      ]),
  },
  {
    name: 'a tablespace-like link and a --waldir-like one',
    links: { 'pg_tblspc/16384': '/ts', pg_wal: '/wal/pg_wal' },
    build: () =>
      packTgz([root, dir('./pg_tblspc/'), symlink('./pg_tblspc/16384', '/ts'), symlink('./pg_wal', '/wal/pg_wal')]),
  },
  {
    name: 'links out of the tree by ../ (to the canary, and up from a subfolder)',
    links: { a: '../canary', 'd/up': '../../x' },
    build: () => packTgz([root, dir('./d/'), symlink('./a', '../canary'), symlink('./d/up', '../../x')]),
  },
  {
    name: 'a chain that leaves the tree only through another link, and a loop',
    links: { x: 'd/l/../canary', 'd/l': '..', a: 'b/x', b: 'a/x' },
    build: () =>
      packTgz([
        root,
        symlink('./x', 'd/l/../canary'),
        dir('./d/'),
        symlink('./d/l', '..'),
        symlink('./a', 'b/x'),
        symlink('./b', 'a/x'),
      ]),
  },
  {
    name: 'a dangling link and one to an absolute path outside (the canary)',
    links: { dangling: 'no/such/thing', outside: '/canary-by-absolute-path' },
    build: () =>
      packTgz([root, symlink('./dangling', 'no/such/thing'), symlink('./outside', '/canary-by-absolute-path')]),
  },
]
