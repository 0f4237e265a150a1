/**
 * A cheap walk over an input from the page, before any schema sees it: it stops at the first bound
 * crossed, so a huge or deeply nested value (a page may send anything over Electron IPC) costs
 * little and is refused as BAD_INPUT instead of being parsed.
 */
export const INPUT_BOUNDS = { maxNodes: 20_000, maxDepth: 32, maxStringChars: 1_048_576 } as const

export function withinBounds(value: unknown): boolean {
  let nodes = 0
  let chars = 0
  const walk = (item: unknown, depth: number): boolean => {
    nodes += 1
    if (nodes > INPUT_BOUNDS.maxNodes || depth > INPUT_BOUNDS.maxDepth) return false
    if (typeof item === 'string') {
      chars += item.length
      return chars <= INPUT_BOUNDS.maxStringChars
    }
    if (typeof item !== 'object' || item === null) return true
    if (Array.isArray(item)) return item.length <= INPUT_BOUNDS.maxNodes && item.every((v) => walk(v, depth + 1))
    for (const key of Object.keys(item)) {
      chars += key.length
      if (chars > INPUT_BOUNDS.maxStringChars || !walk((item as Record<string, unknown>)[key], depth + 1)) return false
    }
    return true
  }
  return walk(value, 0)
}
