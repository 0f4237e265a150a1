import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Renames `from` to `to` and makes both the file data and the rename survive a power loss. */
export async function durableRename(from: string, to: string): Promise<void> {
  await rename(from, to)
  await fsyncPath(dirname(to))
}

export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true })
}
