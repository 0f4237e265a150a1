import { useEffect, useState } from 'react'

export const ROUTES = ['hosts', 'workloads', 'snapshots', 'settings'] as const
export type Route = (typeof ROUTES)[number]

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('/')[0]
  return (ROUTES as readonly string[]).includes(name ?? '') ? (name as Route) : 'hosts'
}

/** Hash routing: enough for a handful of pages, and deep-linkable from tests. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parse(window.location.hash))
  useEffect(() => {
    const onChange = (): void => setRoute(parse(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
