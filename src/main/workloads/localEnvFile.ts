import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

/** An env file is a few lines of text: anything bigger is not one. */
const MAX_ENV_FILE_BYTES = 1024 * 1024

/** A service's env file on this computer: null when there is none; a non-regular or oversize file is an error. */
export async function readLocalEnvFile(path: string): Promise<string | null> {
  let handle
  try {
    // Non-blocking: a FIFO in its place must not hang the deploy; it is refused below.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new Error('not a regular file')
    if (info.size > MAX_ENV_FILE_BYTES) throw new Error('env file too big')
    return await handle.readFile({ encoding: 'utf8' })
  } finally {
    await handle.close()
  }
}
