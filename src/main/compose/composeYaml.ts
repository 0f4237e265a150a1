/**
 * A compose file's YAML read into plain data (anchors, aliases and `<<` merge keys resolved, keys
 * unique, alias expansion bounded), with a way back from any path in that data to its line and
 * column in the text, so every problem found later points at the place the user wrote it.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import type { ComposeProblem } from '../../shared/types/compose'

export type Path = readonly (string | number)[]

export interface LoadedYaml {
  readonly data: unknown
  /** Line and column (1-based) of the key or item at `path`, or of its nearest ancestor written in the text. */
  readonly locate: (path: Path) => { line: number; column: number }
}

/** Aliases that expand past this are refused: a "billion laughs" file must not eat the desktop's memory. */
const MAX_ALIAS_EXPANSIONS = 1_000
const MAX_TEXT_BYTES = 1024 * 1024

export function loadYaml(text: string): { ok: true; yaml: LoadedYaml } | { ok: false; problems: ComposeProblem[] } {
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES)
    return { ok: false, problems: [yamlProblem({ line: 1, column: 1 }, 'the file is over 1 MiB')] }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false })
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lines.linePos(offset)
    return { line, column: col }
  }
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((error) => yamlProblem(at(error.pos[0]), error.message.split('\n')[0] ?? error.code)),
    }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS })
  } catch (error) {
    return {
      ok: false,
      problems: [yamlProblem({ line: 1, column: 1 }, (error as Error).message.split('\n')[0] ?? '')],
    }
  }
  return { ok: true, yaml: { data, locate: (path) => at(offsetOf(doc, path)) } }
}

function yamlProblem(where: { line: number; column: number }, detail: string): ComposeProblem {
  return { severity: 'error', code: 'yaml', path: '', ...where, detail }
}

/** The text offset of the key (in a map) or the item (in a list) at `path`; an ancestor's when it is not written out. */
function offsetOf(doc: Document, path: Path): number {
  let node: unknown = doc.contents
  let offset = rangeStart(node) ?? 0
  for (const segment of path) {
    const resolved = resolveAlias(doc, node)
    if (isMap(resolved)) {
      const pair = resolved.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      )
      if (pair === undefined) return offset
      offset = rangeStart(pair.key) ?? offset
      node = pair.value
    } else if (isSeq(resolved) && typeof segment === 'number') {
      const item = resolved.items[segment]
      if (item === undefined) return offset
      offset = rangeStart(item) ?? offset
      node = item
    } else return offset
  }
  return offset
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0]
}
