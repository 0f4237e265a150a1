import { useEffect, useState } from 'react'

export const ROUTES = ['hosts', 'workloads', 'snapshots', 'settings'] as const
export type Route = (typeof ROUTES)[number]

/** Where the hash points: `#/<route>/<segment>/<segment>?<params>`. */
export interface HashLocation {
  readonly route: Route
  /** The decoded path segments after the route name. */
  readonly segments: readonly string[]
  readonly params: URLSearchParams
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function parseHash(hash: string): HashLocation {
  const body = hash.replace(/^#\/?/, '')
  const queryAt = body.indexOf('?')
  const path = queryAt === -1 ? body : body.slice(0, queryAt)
  const query = queryAt === -1 ? '' : body.slice(queryAt + 1)
  const [name = '', ...rest] = path.split('/')
  const route = (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'hosts'
  return {
    route,
    segments: route === name ? rest.filter((segment) => segment !== '').map(decode) : [],
    params: new URLSearchParams(query),
  }
}

/** The hash for a route and its segments, each segment encoded. */
export function hashFor(route: Route, ...segments: readonly string[]): string {
  return ['#', route, ...segments.map(encodeURIComponent)].join('/')
}

export function navigate(hash: string): void {
  window.location.hash = hash
}

/** Hash routing: enough for a handful of pages, and deep-linkable from tests. */
export function useHashLocation(): HashLocation {
  const [hash, setHash] = useState(() => window.location.hash)
  useEffect(() => {
    const onChange = (): void => setHash(window.location.hash)
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return parseHash(hash)
}

export function useRoute(): Route {
  return useHashLocation().route
}
