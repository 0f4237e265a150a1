import { useSyncExternalStore } from 'react'

/** Canvas colours can't follow CSS variables by themselves: they are read from styles.css when drawing. */
export interface ChartTheme {
  readonly muted: string
  readonly grid: string
  readonly cpu: string
  readonly memory: string
}

const darkScheme = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)')

function readTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement)
  const color = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback
  return {
    muted: color('--muted', '#5b6573'),
    grid: color('--border', '#d8dde4'),
    cpu: color('--chart-cpu', '#2563eb'),
    memory: color('--chart-memory', '#7c3aed'),
  }
}

let cached: { readonly dark: boolean; readonly theme: ChartTheme } | null = null

/** Same object until the colour scheme flips, so charts are rebuilt only then. */
function currentTheme(): ChartTheme {
  const dark = darkScheme().matches
  if (cached?.dark !== dark) cached = { dark, theme: readTheme() }
  return cached.theme
}

function subscribe(onChange: () => void): () => void {
  const query = darkScheme()
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

/** The chart colours for the current light or dark scheme, following the system as the page does. */
export function useChartTheme(): ChartTheme {
  return useSyncExternalStore(subscribe, currentTheme)
}

/** `#rrggbb` or `#rgb` at an opacity, for the min–max band; any other colour is returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color)
  const hex =
    short === null
      ? color
      : `#${short
          .slice(1)
          .map((digit) => digit + digit)
          .join('')}`
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (match === null) return color
  const [r, g, b] = match.slice(1).map((part) => Number.parseInt(part, 16))
  return `rgba(${r ?? 0}, ${g ?? 0}, ${b ?? 0}, ${alpha})`
}
