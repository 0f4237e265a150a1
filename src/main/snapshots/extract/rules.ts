/**
 * The name rules for untrusted archives, as pure functions.
 *
 * Names are judged as the archive spells them and again after normalization (`./` prefixes, empty
 * and `.` segments dropped). Decisions worth knowing:
 * - C0/C1 control characters (`\p{Cc}`, NUL included) → `control_char`; `\` anywhere → `backslash`.
 * - `unicode` covers what could make a name look like something it is not: text that is not NFC;
 *   format characters (`\p{Cf}`: bidi overrides and isolates, zero-width space/joiners, BOM,
 *   soft hyphen, tags); line/paragraph separators; lone surrogates; U+FFFD (what invalid UTF-8
 *   decodes to, so a name that was not UTF-8 is refused too); blank-looking letters (Hangul
 *   fillers, Braille blank, combining grapheme joiner, Khmer inherent vowels); look-alikes of `/`
 *   and `\` anywhere in a name (U+2215 `∕`, U+FF0F `／`, U+2044 `⁄`, U+29F8 `⧸`, the combining
 *   solidus overlays, …); and a segment made only of dots, spaces and look-alikes of `.`
 *   (U+2024 `․`, U+FE52 `﹒`, U+FF0E `．`, U+3002 `。`, …) unless it is plain ASCII dots, because
 *   `․․` or `.. ` reads as `..`. Dot look-alikes inside an ordinary name (`Notes….txt`) are fine.
 * - Private-use and unassigned code points are allowed: real volumes hold them (SMB name mapping,
 *   newer emoji than this runtime knows).
 */
import type { RejectRule } from './archiveRejected'
import type { ExtractLimits } from './limits'

export type RuleCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rule: RejectRule }

const ok = <T>(value: T): RuleCheck<T> => ({ ok: true, value })
const broken = <T>(rule: RejectRule): RuleCheck<T> => ({ ok: false, rule })

const SEPARATOR_LOOKALIKES = '\u1735\u2044\u2215\u2216\u2571\u2572\u27CB\u27CD\u29F5\u29F8\u29F9\uFE68\uFF0F\uFF3C'
const DOT_LOOKALIKES =
  '\u00B7\u02D9\u0660\u06F0\u0701\u0702\u2024\u2025\u2026\u2219\u22C5\u2E31\u3002\u30FB\uA60E\uFE52\uFF0E\uFF61\uFF65\u{10A50}'
const BLANK_LETTERS = '\u115F\u1160\u2800\u3164\uFFA0\uFFFD'
/** Combining marks: the solidus overlays (drawn across the previous letter), and invisible ones. */
const DECEPTIVE_MARKS = '\u0337|\u0338|\u034F|\u17B4|\u17B5'

const PRINTABLE_ASCII = /^[ -~]*$/
const CONTROL = /\p{Cc}/u
const DECEPTIVE = new RegExp(
  `[\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}${BLANK_LETTERS}${SEPARATOR_LOOKALIKES}]|${DECEPTIVE_MARKS}`,
  'u',
)
const DOTS_AND_SPACES = new RegExp(`^[.\\p{Zs}${DOT_LOOKALIKES}]+$`, 'u')
const DOT_LIKE = new RegExp(`[.${DOT_LOOKALIKES}]`, 'u')
const ASCII_DOTS = /^\.+$/
const UNPRINTABLE = new RegExp(
  `[\\p{C}\\p{Z}\\\\${BLANK_LETTERS}${SEPARATOR_LOOKALIKES}${DOT_LOOKALIKES}]|${DECEPTIVE_MARKS}`,
  'u',
)

/** True for a code point that an error message must show as an escape rather than as itself. */
export function isDeceptiveCodePoint(codePoint: number): boolean {
  return codePoint !== 0x20 && UNPRINTABLE.test(String.fromCodePoint(codePoint))
}

/** The character rule `text` breaks, if any (for entry names and for link targets alike). */
export function characterRule(text: string): RejectRule | null {
  if (PRINTABLE_ASCII.test(text)) return text.includes('\\') ? 'backslash' : null
  if (CONTROL.test(text)) return 'control_char'
  if (text.includes('\\')) return 'backslash'
  if (DECEPTIVE.test(text) || text.normalize('NFC') !== text) return 'unicode'
  return null
}

/** A segment that reads as `.` or `..` without being it. */
function isDotLookalike(segment: string): boolean {
  return DOTS_AND_SPACES.test(segment) && DOT_LIKE.test(segment) && !ASCII_DOTS.test(segment)
}

function withoutDotSlashes(raw: string): string {
  let rest = raw
  while (rest.startsWith('./')) rest = rest.slice(2)
  return rest
}

/**
 * An entry name as normalized segments (`[]` is the archive root), or the rule it breaks.
 * Order: empty, characters, absolute, `..`, look-alike dots, name length, depth, path length.
 */
export function parseArchivePath(raw: string, limits: ExtractLimits): RuleCheck<string[]> {
  if (raw === '') return broken('empty_name')
  const characters = characterRule(raw)
  if (characters !== null) return broken(characters)
  if (raw.startsWith('/') || withoutDotSlashes(raw).startsWith('/')) return broken('absolute_path')
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.')
  if (segments.includes('..')) return broken('parent_segment')
  if (segments.some(isDotLookalike)) return broken('unicode')
  if (segments.some((segment) => Buffer.byteLength(segment) > limits.maxNameLength)) return broken('name_too_long')
  if (segments.length > limits.maxDepth) return broken('too_deep')
  if (Buffer.byteLength(segments.join('/')) > limits.maxPathLength) return broken('path_too_long')
  return ok(segments)
}

/**
 * Where `target` leads when followed from the directory `base`, by lexical resolution alone, or
 * `null` when it climbs above the archive root. Absolute targets are the caller's concern.
 */
export function resolveLexically(base: readonly string[], target: string): string[] | null {
  const resolved = [...base]
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) return null
      resolved.pop()
    } else {
      resolved.push(part)
    }
  }
  return resolved
}

/**
 * The rules for a symlink's target: not empty, clean characters, at most maxPathLength bytes.
 * Where it points does not matter — absolute, out of the tree, dangling: a volume holds such links
 * (`current -> /srv/releases/7`, `log -> /dev/stdout`, a PostgreSQL tablespace), they are kept
 * exactly, and nothing is ever written through one (an entry below a link is `through_symlink`;
 * links are created last).
 */
export function symlinkTargetRule(target: string, limits: ExtractLimits): RejectRule | null {
  if (target === '') return 'empty_name'
  const characters = characterRule(target)
  if (characters !== null) return characters
  if (Buffer.byteLength(target) > limits.maxPathLength) return 'path_too_long'
  if (target.split('/').some(isDotLookalike)) return 'unicode'
  return null
}

/** Whether the link at `link` points out of the tree it is in, read lexically (absolute targets do). */
export function pointsOutOfTree(link: readonly string[], target: string): boolean {
  return target.startsWith('/') || resolveLexically(link.slice(0, -1), target) === null
}

/** True when `path` is `prefix` or lies under it. */
export function isWithin(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length >= prefix.length && prefix.every((segment, index) => path[index] === segment)
}
