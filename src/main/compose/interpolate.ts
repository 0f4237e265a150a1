/**
 * Compose's variable interpolation, as the specification writes it: `$VAR`, `${VAR}`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?error}` / `${VAR?error}`,
 * `${VAR:+replacement}` / `${VAR+replacement}`, `$$` for a literal `$`; defaults and replacements
 * may themselves hold variables. Only the variables given are read: never the desktop's own
 * environment, which belongs to the user's shell, not to the app.
 */
export type Lookup = (name: string) => string | undefined

export type Interpolated =
  | { readonly ok: true; readonly value: string; readonly used: readonly string[] }
  | { readonly ok: false; readonly reason: 'required' | 'syntax'; readonly detail: string }

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

class InterpolationError extends Error {
  constructor(
    readonly reason: 'required' | 'syntax',
    readonly detail: string,
  ) {
    super(detail)
  }
}

export function interpolate(text: string, lookup: Lookup): Interpolated {
  const used = new Set<string>()
  try {
    return { ok: true, value: expand(text, lookup, used), used: [...used] }
  } catch (error) {
    if (error instanceof InterpolationError) return { ok: false, reason: error.reason, detail: error.detail }
    throw error
  }
}

function expand(text: string, lookup: Lookup, used: Set<string>): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const char = text.charAt(i)
    if (char !== '$') {
      out += char
      i += 1
      continue
    }
    const next = text.charAt(i + 1)
    if (next === '$') {
      out += '$'
      i += 2
    } else if (next === '{') {
      const end = closingBrace(text, i + 2)
      if (end < 0) throw new InterpolationError('syntax', `unclosed \${ in "${text}"`)
      out += braced(text.slice(i + 2, end), lookup, used)
      i = end + 1
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0]
      if (name === undefined) {
        // A lone `$` (before a space, a digit…) stays as written, as compose leaves it.
        out += '$'
        i += 1
      } else {
        used.add(name)
        out += lookup(name) ?? ''
        i += 1 + name.length
      }
    }
  }
  return out
}

/** The index of the `}` that closes a `${` whose body starts at `from`, nested `${…}` skipped. */
function closingBrace(text: string, from: number): number {
  let depth = 1
  for (let i = from; i < text.length; i += 1) {
    if (text.charAt(i) === '$' && text.charAt(i + 1) === '{') {
      depth += 1
      i += 1
    } else if (text.charAt(i) === '}') {
      depth -= 1
      if (depth === 0) return i
    }
  }
  return -1
}

function braced(body: string, lookup: Lookup, used: Set<string>): string {
  const name = NAME.exec(body)?.[0]
  if (name === undefined) throw new InterpolationError('syntax', `invalid variable in "\${${body}}"`)
  used.add(name)
  const rest = body.slice(name.length)
  const value = lookup(name)
  if (rest === '') return value ?? ''
  const colon = rest.startsWith(':')
  const operator = rest.charAt(colon ? 1 : 0)
  const argument = rest.slice(colon ? 2 : 1)
  // With a colon, an empty value counts as missing.
  const missing = value === undefined || (colon && value === '')
  switch (operator) {
    case '-':
      return missing ? expand(argument, lookup, used) : value
    case '?':
      if (missing) throw new InterpolationError('required', `${name}: ${expand(argument, lookup, used) || 'required'}`)
      return value
    case '+':
      return missing ? '' : expand(argument, lookup, used)
    default:
      throw new InterpolationError('syntax', `invalid operator in "\${${body}}"`)
  }
}
