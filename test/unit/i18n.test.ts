import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/shared/errors'

const root = join(__dirname, '../..')
type Tree = { [key: string]: string | Tree }

const load = (lang: string): Tree =>
  JSON.parse(readFileSync(join(root, 'locales', lang, 'translation.json'), 'utf8')) as Tree

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

const variables = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort()

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

const rendererFiles = sourceFiles(join(root, 'src/renderer/src'))

/** Text a user would read, written in a component instead of a translation file. */
function hardCodedStrings(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const found: string[] = []
  const userFacingAttributes = new Set(['title', 'placeholder', 'alt', 'aria-label', 'label'])
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(node.text.trim())
    if (
      ts.isJsxAttribute(node) &&
      userFacingAttributes.has(node.name.getText()) &&
      node.initializer !== undefined &&
      ts.isStringLiteral(node.initializer) &&
      /\p{L}/u.test(node.initializer.text)
    ) {
      found.push(`${node.name.getText()}="${node.initializer.text}"`)
    }
    if (
      ts.isJsxExpression(node) &&
      node.expression !== undefined &&
      ts.isStringLiteral(node.expression) &&
      /\p{L}/u.test(node.expression.text)
    ) {
      found.push(node.expression.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found.map((text) => `${relative(root, file)}: ${text}`)
}

/** Literal keys passed to t('...'). */
function literalKeys(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const keys: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't') {
      const [first] = node.arguments
      if (first !== undefined && ts.isStringLiteral(first)) keys.push(first.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return keys
}

describe('translations', () => {
  const en = flatten(load('en'))
  const ru = flatten(load('ru'))

  it('English and Russian have exactly the same keys', () => {
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort())
  })

  it('every interpolation variable matches between languages', () => {
    for (const [key, text] of en) {
      expect(variables(ru.get(key) ?? ''), key).toEqual(variables(text))
    }
  })

  it('has no empty translation', () => {
    for (const [key, text] of [...en, ...ru]) expect(text.trim(), key).not.toBe('')
  })

  it('translates every error code', () => {
    for (const code of ERROR_CODES) expect(en.has(`errors.${code}`), code).toBe(true)
  })

  it('no renderer string is hard-coded', () => {
    expect(rendererFiles.length).toBeGreaterThan(5)
    expect(rendererFiles.flatMap(hardCodedStrings)).toEqual([])
  })

  it('every literal key the renderer asks for exists', () => {
    const missing = rendererFiles.flatMap((file) =>
      literalKeys(file)
        .filter((key) => !en.has(key))
        .map((key) => `${relative(root, file)}: ${key}`),
    )
    expect(missing).toEqual([])
  })
})
