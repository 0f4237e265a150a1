import { lstat } from 'node:fs/promises'
import { AppError } from '../errors'

/**
 * A destination the page named is used only if it is a real folder (not a link to one) that the
 * user running Slipway owns: a path sent by a page is not trusted to point somewhere sensible.
 */
export async function requireOwnFolder(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null)
  if (info?.isDirectory() !== true) {
    throw new AppError('BAD_INPUT', 'destination is not a folder', { details: { field: 'destination' } })
  }
  const uid = process.getuid?.()
  if (uid !== undefined && uid !== 0 && info.uid !== uid) {
    throw new AppError('BAD_INPUT', 'destination is not the user’s own folder', {
      details: { field: 'destination', reason: 'not_owned' },
    })
  }
}
