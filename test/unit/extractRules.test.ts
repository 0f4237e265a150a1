import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/main/errors'
import { ArchiveRejected, HARD_LIMITS, limitsFor, type RejectRule } from '../../src/main/snapshots/extract'
import { printableEntry } from '../../src/main/snapshots/extract/archiveRejected'
import { EntryTree } from '../../src/main/snapshots/extract/entryTree'
import { effectiveLimits } from '../../src/main/snapshots/extract/limits'
import {
  parseArchivePath,
  pointsOutOfTree,
  resolveLexically,
  symlinkTargetRule,
} from '../../src/main/snapshots/extract/rules'

const MIB = 1024 * 1024

function ruleOf(raw: string, limits = HARD_LIMITS): RejectRule | string[] {
  const parsed = parseArchivePath(raw, limits)
  return parsed.ok ? parsed.value : parsed.rule
}

describe('parseArchivePath', () => {
  it.each<[string, RejectRule | string[]]>([
    ['./', []],
    ['.', []],
    ['././', []],
    ['./a/b', ['a', 'b']],
    ['a/b', ['a', 'b']],
    ['a//b/./c/', ['a', 'b', 'c']],
    ['./...', ['...']],
    ['./.hidden', ['.hidden']],
    ['./ leading and trailing spaces ', [' leading and trailing spaces ']],
    ['./Notes….txt', ['Notes….txt']],
    ['./日本語。テキスト', ['日本語。テキスト']],
    ['./❤️ emoji with a variation selector', ['❤️ emoji with a variation selector']],
    ['./\uF001 private use (SMB name mapping)', ['\uF001 private use (SMB name mapping)']],
    ['./café', ['café']],
    ['', 'empty_name'],
    ['/etc/passwd', 'absolute_path'],
    ['//etc', 'absolute_path'],
    ['.//etc/passwd', 'absolute_path'],
    ['././/x', 'absolute_path'],
    ['..', 'parent_segment'],
    ['../x', 'parent_segment'],
    ['a/../b', 'parent_segment'],
    ['a/..', 'parent_segment'],
    ['..\\x', 'backslash'],
    ['a\\b', 'backslash'],
    ['a\u0000b', 'control_char'],
    ['a\nb', 'control_char'],
    ['a\u007fb', 'control_char'],
    ['a\u0085b', 'control_char'],
    ['cafe\u0301', 'unicode'],
    ['a\u202Eb', 'unicode'],
    ['a\u2066b', 'unicode'],
    ['a\u200Bb', 'unicode'],
    ['a\u200Db', 'unicode'],
    ['\uFEFFa', 'unicode'],
    ['a\u00ADb', 'unicode'],
    ['a\u2028b', 'unicode'],
    ['a\uFFFDb', 'unicode'],
    ['\u3164', 'unicode'],
    ['etc\u2215passwd', 'unicode'],
    ['etc\uFF0Fpasswd', 'unicode'],
    ['etc\u2044passwd', 'unicode'],
    ['etc\uFF3Cpasswd', 'unicode'],
    ['etc\u0338passwd', 'unicode'],
    ['\u2024\u2024/x', 'unicode'],
    ['\uFE52\uFE52', 'unicode'],
    ['\uFF0E', 'unicode'],
    ['.\u2024', 'unicode'],
    ['\u2026', 'unicode'],
    ['.. ', 'unicode'],
    [' ..', 'unicode'],
  ])('%j → %j', (raw, expected) => {
    expect(ruleOf(raw)).toEqual(expected)
  })

  it('caps name bytes, depth and path bytes (in UTF-8 bytes, after normalizing)', () => {
    const limits = { ...HARD_LIMITS, maxNameLength: 4, maxDepth: 3, maxPathLength: 10 }
    expect(ruleOf('./abcd/efgh', limits)).toEqual(['abcd', 'efgh'])
    expect(ruleOf('./abcde', limits)).toBe('name_too_long')
    expect(ruleOf('./éé/x', limits)).toEqual(['éé', 'x'])
    expect(ruleOf('./ééé', limits)).toBe('name_too_long')
    expect(ruleOf('a/b/c/d', limits)).toBe('too_deep')
    expect(ruleOf('./././a//b/c', limits)).toEqual(['a', 'b', 'c'])
    expect(ruleOf('abcd/efg/hi', limits)).toBe('path_too_long')
  })
})

describe('symlink targets', () => {
  it.each<[string[], string, RejectRule | null]>([
    [['a', 'l'], '../x', null],
    // Wherever a link points, it is kept: nothing is written through it.
    [['a', 'l'], '../../x', null],
    [['l'], '..', null],
    [['l'], '.', null],
    [['l'], 'a/b/../../c', null],
    [['l'], 'a/../../c', null],
    [['l'], '/etc', null],
    [['l'], '/dev/stdout', null],
    [['l'], '', 'empty_name'],
    [['l'], 'a\u202Eb', 'unicode'],
    [['l'], '\u2024\u2024/x', 'unicode'],
    [['l'], 'a\\b', 'backslash'],
    [['l'], 'a\nb', 'control_char'],
    [['l'], 'a/'.repeat(2049), 'path_too_long'],
  ])('%j -> %j: %j', (_link, target, expected) => {
    expect(symlinkTargetRule(target, HARD_LIMITS)).toBe(expected)
  })

  it.each<[string[], string, boolean]>([
    [['a', 'l'], '../x', false],
    [['a', 'l'], '../../x', true],
    [['l'], '..', true],
    [['l'], 'a/b/../../c', false],
    [['l'], '/data/releases/7', true],
  ])('%j -> %j points out of the tree: %j', (link, target, expected) => {
    expect(pointsOutOfTree(link, target)).toBe(expected)
  })

  it('resolves lexically from a directory', () => {
    expect(resolveLexically(['a', 'b'], '../c/./d')).toEqual(['a', 'c', 'd'])
    expect(resolveLexically([], '..')).toBeNull()
  })
})

describe('EntryTree', () => {
  it('refuses duplicates, entries under files and symlinks, and upgrades an implied directory once', () => {
    const tree = new EntryTree()
    expect(tree.add(['a', 'b'], 'file', { written: true })).toBeNull()
    expect(tree.add(['a'], 'directory', { written: false })).toBeNull()
    expect(tree.add(['a'], 'directory', { written: false })).toBe('duplicate_entry')
    expect(tree.add(['a', 'b'], 'file', { written: true })).toBe('duplicate_entry')
    expect(tree.add(['a', 'b', 'c'], 'file', { written: true })).toBe('duplicate_entry')
    expect(tree.add(['s'], 'symlink', { target: 'a', written: false })).toBeNull()
    expect(tree.add(['s', 'x'], 'file', { written: true })).toBe('through_symlink')
    expect(tree.add([], 'file', { written: false })).toBe('empty_name')
    expect(tree.add([], 'directory', { written: false })).toBeNull()
    expect(tree.add([], 'directory', { written: false })).toBe('duplicate_entry')
    expect(tree.find(['a', 'b'])).toMatchObject({ kind: 'file', written: true })
    expect(tree.find(['s', 'x'])).toBeUndefined()
  })

  it('refuses an entry below a symlink wherever the link points, a chain of links included', () => {
    const tree = new EntryTree()
    expect(tree.add(['d'], 'directory', { written: true })).toBeNull()
    expect(tree.add(['d', 'l'], 'symlink', { target: '..', written: true })).toBeNull()
    expect(tree.add(['x'], 'symlink', { target: '/etc', written: true })).toBeNull()
    expect(tree.add(['x', 'passwd'], 'file', { written: true })).toBe('through_symlink')
    expect(tree.add(['d', 'l', 'y'], 'directory', { written: true })).toBe('through_symlink')
  })
})

describe('ArchiveRejected', () => {
  it('is a BAD_INPUT AppError carrying the rule and a printable entry', () => {
    const error = new ArchiveRejected('unicode', './invoice\u202Efdp.exe')
    expect(error).toBeInstanceOf(AppError)
    expect(error.code).toBe('BAD_INPUT')
    expect(error.rule).toBe('unicode')
    expect(error.entry).toBe('./invoice\\u{202E}fdp.exe')
    expect(error.details).toEqual({ rule: 'unicode', entry: './invoice\\u{202E}fdp.exe' })
    expect(new ArchiveRejected('truncated_archive', null).details).toEqual({ rule: 'truncated_archive', entry: null })
  })

  it('shows control, invisible and look-alike characters as escapes, and truncates', () => {
    expect(printableEntry('a\u001b[31mb\nc\\d')).toBe('a\\u{001B}[31mb\\u{000A}c\\u{005C}d')
    expect(printableEntry('etc\u2215passwd \u2024\u2024 a\u200Db')).toBe(
      'etc\\u{2215}passwd \\u{2024}\\u{2024} a\\u{200D}b',
    )
    expect(printableEntry('cafe\u0301')).toBe('cafe\\u{0301}')
    expect(printableEntry('café 日本語 ❤')).toBe('café 日本語 ❤')
    const long = printableEntry('x'.repeat(5000))
    expect(long).toBe(`${'x'.repeat(200)}…`)
    const escapes = printableEntry('\u0001'.repeat(100))
    expect(escapes.length).toBeLessThanOrEqual(201)
    expect(escapes.endsWith('}…')).toBe(true)
  })
})

describe('limits', () => {
  it('derives limits from the manifest size with a margin, never above the hard limits', () => {
    expect(limitsFor(null)).toEqual(HARD_LIMITS)
    expect(limitsFor(0).maxTotalBytes).toBe(64 * MIB)
    expect(limitsFor(1000 * MIB).maxTotalBytes).toBe(1010 * MIB + 64 * MIB)
    expect(limitsFor(10 * HARD_LIMITS.maxTotalBytes)).toEqual(HARD_LIMITS)
    expect(limitsFor(1000).maxEntries).toBe(HARD_LIMITS.maxEntries)
  })

  it('refuses a size that is not a byte count', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => limitsFor(bad)).toThrow(AppError)
    }
  })

  it('clamps caller limits to the hard limits', () => {
    expect(effectiveLimits({ ...HARD_LIMITS, maxDepth: 10_000, maxEntries: 5 })).toEqual({
      ...HARD_LIMITS,
      maxDepth: 256,
      maxEntries: 5,
    })
    expect(() => effectiveLimits({ ...HARD_LIMITS, maxEntries: -1 })).toThrow(AppError)
  })
})
