/**
 * A command line as one text field, turned into argv the way a simple shell would: words split on
 * whitespace; '…' is literal; "…" keeps spaces and honours \" and \\; a backslash outside quotes
 * escapes the next character. No variables, globs or operators: the engine gets the words as typed.
 */
export type SplitResult =
  | { readonly ok: true; readonly argv: readonly string[] | null }
  | { readonly ok: false; readonly reason: 'unterminated' }

/** null argv: the field is blank, so the image's default command runs. */
export function splitCommand(line: string): SplitResult {
  const argv: string[] = []
  let word = ''
  let inWord = false
  let quote: "'" | '"' | null = null
  for (let i = 0; i < line.length; i += 1) {
    const char = line.charAt(i)
    if (quote === "'") {
      if (char === "'") quote = null
      else word += char
      continue
    }
    if (quote === '"') {
      if (char === '"') quote = null
      else if (char === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        word += line.charAt(i + 1)
        i += 1
      } else word += char
      continue
    }
    if (/\s/.test(char)) {
      if (inWord) argv.push(word)
      word = ''
      inWord = false
    } else if (char === "'" || char === '"') {
      quote = char
      inWord = true
    } else if (char === '\\') {
      if (i + 1 >= line.length) return { ok: false, reason: 'unterminated' }
      word += line.charAt(i + 1)
      inWord = true
      i += 1
    } else {
      word += char
      inWord = true
    }
  }
  if (quote !== null) return { ok: false, reason: 'unterminated' }
  if (inWord) argv.push(word)
  return { ok: true, argv: argv.length === 0 ? null : argv }
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/

/** The inverse of splitCommand: words that need it are single-quoted. */
export function joinCommand(argv: readonly string[] | null): string {
  if (argv === null) return ''
  return argv.map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ')
}
