/** The app's own page in production: a privileged custom scheme, never file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'slipway'
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`

/** The origin of `url`, or null when it does not parse or has none (`file:`, `data:` …). */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    // Standard schemes have an origin; ours is registered as standard, so app://slipway is one too.
    if (parsed.protocol === `${APP_SCHEME}:`) return `${APP_SCHEME}://${parsed.host}`
    return parsed.origin === 'null' ? null : parsed.origin
  } catch {
    return null
  }
}

/**
 * Whether `url` is a page of the app itself: its origin equals the app's exactly (scheme, host and
 * port), so `http://localhost:5173.evil.example`, `:51730` or `localhost:5173@evil.example` are not.
 * The dev server's origin counts only in development.
 */
export function appUrlCheck(options: {
  readonly devUrl: string | undefined
  readonly packaged: boolean
}): (url: string) => boolean {
  const trusted = new Set([`${APP_SCHEME}://${APP_HOST}`])
  if (options.devUrl !== undefined && !options.packaged) {
    const dev = originOf(options.devUrl)
    if (dev !== null) trusted.add(dev)
  }
  return (url) => {
    const origin = originOf(url)
    if (origin === null) return false
    // Credentials in the URL are never the app's own page.
    try {
      const parsed = new URL(url)
      if (parsed.username !== '' || parsed.password !== '') return false
    } catch {
      return false
    }
    return trusted.has(origin)
  }
}
