import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const WORDS =
  'the quick brown fox jumps over lazy dog lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(
    ' ',
  )

/** Text that compresses about as well as logs and source code do. */
function semiCompressible(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes)
  let offset = 0
  let x = seed
  while (offset < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    const line = `${new Date(1_700_000_000_000 + x).toISOString()} [${x % 7}] ${WORDS[x % WORDS.length]} ${WORDS[(x >> 3) % WORDS.length]} id=${x.toString(36)} ${randomBytes(6).toString('hex')}\n`
    offset += out.write(line, offset)
  }
  return out
}

/**
 * A realistic mixed volume of about `totalMiB`: thousands of small files, MiB-sized
 * semi-compressible files, and a few incompressible ones. Returns the source bytes written.
 */
export function generateDataset(root: string, totalMiB: number): number {
  const total = totalMiB * 1024 * 1024
  let written = 0
  const put = (path: string, data: Buffer): void => {
    writeFileSync(path, data)
    written += data.length
  }
  // ~10 %: small files in nested folders
  for (let d = 0; d < 40; d++) {
    const dir = join(root, 'small', `d${d}`)
    mkdirSync(dir, { recursive: true })
    for (let f = 0; f < 100 && written < total * 0.1; f++)
      put(join(dir, `f${f}.txt`), semiCompressible(2048 + ((d * 97 + f * 31) % 30_000), d * 1000 + f))
  }
  // ~25 %: incompressible (media, archives)
  mkdirSync(join(root, 'media'), { recursive: true })
  for (let i = 0; written < total * 0.35; i++)
    put(join(root, 'media', `blob${i}.bin`), randomBytes(Math.min(32 * 1024 * 1024, total * 0.35 - written + 1)))
  // the rest: MiB-sized semi-compressible files
  mkdirSync(join(root, 'logs'), { recursive: true })
  for (let i = 0; written < total; i++)
    put(join(root, 'logs', `app${i}.log`), semiCompressible(Math.min(8 * 1024 * 1024, total - written), 9999 + i))
  return written
}
