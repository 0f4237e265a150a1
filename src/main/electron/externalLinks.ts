import type { Logger } from '../log'

/**
 * The only pages Slipway opens in the user's browser: the ones it links to itself. Anything else a
 * page asks for is refused and logged (a compromised renderer must not open arbitrary URLs).
 */
export const EXTERNAL_LINKS: readonly string[] = [
  'https://docs.docker.com/engine/install/',
  'https://restic.readthedocs.io/en/stable/020_installation.html',
]

/** Whether `url` is one of the allowed links exactly (after URL normalisation). */
export function isAllowedExternal(url: string): boolean {
  let normalised: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false
    normalised = parsed.href
  } catch {
    return false
  }
  return EXTERNAL_LINKS.includes(normalised)
}

/** What a window-open request does: opens an allowed link outside the app, refuses the rest; never a new window. */
export function handleWindowOpen(
  url: string,
  openExternal: (url: string) => Promise<void>,
  log: Logger,
): { action: 'deny' } {
  if (isAllowedExternal(url))
    void openExternal(url).catch((error: unknown) => log.warn('could not open a link', { error }))
  else log.warn('a page asked to open a link that is not on the allowlist; refused', { url: url.slice(0, 200) })
  return { action: 'deny' }
}
