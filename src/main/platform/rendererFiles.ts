import { realpath } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
}

/**
 * The file a URL path names inside the built renderer folder, or null: the path is decoded once
 * (broken encoding is null), resolved lexically inside the folder, and then really (symlinks
 * followed) — a link that leads out of the folder is null too. Both the Electron app:// protocol
 * and the dev-web harness serve through this.
 */
export async function rendererFile(root: string, urlPath: string): Promise<string | null> {
  let path: string
  try {
    path = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const folder = resolve(root)
  const relative = path === '/' || path === '' ? 'index.html' : path.replace(/^\/+/, '')
  const lexical = resolve(folder, relative)
  if (!lexical.startsWith(folder + sep)) return null
  try {
    const [real, realRoot] = await Promise.all([realpath(lexical), realpath(folder)])
    return real.startsWith(realRoot + sep) ? real : null
  } catch {
    return null
  }
}
