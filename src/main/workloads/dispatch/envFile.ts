/**
 * Compose's `env_file` format: `KEY=VALUE` lines, `export ` allowed before the key, `#` comments,
 * blank lines. A value unquoted is trimmed and ends at ` #`; in '…' it is literal; in "…" it may
 * span lines and `\n`, `\t`, `\r`, `\\`, `\"` and `\$` are escapes. No `${VAR}` interpolation:
 * what is written is what the container gets.
 */
export type EnvFileParse =
  | { readonly ok: true; readonly entries: readonly { readonly name: string; readonly value: string }[] }
  | { readonly ok: false; readonly line: number; readonly reason: 'no_value' | 'bad_name' | 'unterminated' }

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$' }

export function parseEnvFile(text: string): EnvFileParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const entries: { name: string; value: string }[] = []
  for (let i = 0; i < lines.length; i += 1) {
    const lineNumber = i + 1
    const trimmed = (lines[i] ?? '').trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const body = trimmed.startsWith('export ') ? trimmed.slice('export '.length).trimStart() : trimmed
    const eq = body.indexOf('=')
    if (eq < 0) return { ok: false, line: lineNumber, reason: 'no_value' }
    const name = body.slice(0, eq).trim()
    if (!NAME.test(name)) return { ok: false, line: lineNumber, reason: 'bad_name' }
    const raw = body.slice(eq + 1).trimStart()
    const quote = raw[0]
    if (quote === "'") {
      const end = raw.indexOf("'", 1)
      if (end < 0) return { ok: false, line: lineNumber, reason: 'unterminated' }
      entries.push({ name, value: raw.slice(1, end) })
    } else if (quote === '"') {
      const read = doubleQuoted(lines, i, raw.slice(1))
      if (read === null) return { ok: false, line: lineNumber, reason: 'unterminated' }
      entries.push({ name, value: read.value })
      i = read.lastLine
    } else {
      const comment = raw.search(/\s#/)
      entries.push({ name, value: (comment < 0 ? raw : raw.slice(0, comment)).trim() })
    }
  }
  return { ok: true, entries }
}

/** A "…" value from `rest` on line `at`, continuing on the lines after until the closing quote. */
function doubleQuoted(lines: readonly string[], at: number, rest: string): { value: string; lastLine: number } | null {
  let value = ''
  let text = rest
  for (let lineIndex = at; lineIndex < lines.length; lineIndex += 1) {
    if (lineIndex > at) {
      value += '\n'
      text = lines[lineIndex] ?? ''
    }
    for (let i = 0; i < text.length; i += 1) {
      const char = text.charAt(i)
      if (char === '"') return { value, lastLine: lineIndex }
      if (char === '\\' && i + 1 < text.length) {
        const next = text.charAt(i + 1)
        value += ESCAPES[next] ?? `\\${next}`
        i += 1
      } else value += char
    }
  }
  return null
}
