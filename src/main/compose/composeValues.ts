/**
 * The value forms compose accepts, read into one shape each: durations (`1m30s`), byte sizes
 * (`64m`), lists-or-maps (`["A=1"]` or `{A: 1}`), the short syntax of ports and mounts. A form that
 * cannot be read throws `ValueError`, which the importer reports at the key's line.
 */
export class ValueError extends Error {}

const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g
const DURATION_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

/** Go's duration syntax (`1h2m3.5s`, `250ms`), as compose takes it, in whole milliseconds (at least 1 when not zero). */
export function durationMs(value: unknown): number {
  if (typeof value === 'number') return Math.round(value * 1000)
  if (typeof value !== 'string') throw new ValueError(`not a duration: ${JSON.stringify(value)}`)
  const text = value.trim()
  if (text === '0') return 0
  let total = 0
  let consumed = 0
  for (const match of text.matchAll(DURATION_PART)) {
    if (match.index !== consumed) break
    total += Number(match[1]) * (DURATION_MS[match[2] ?? ''] ?? 0)
    consumed += match[0].length
  }
  if (consumed === 0 || consumed !== text.length) throw new ValueError(`not a duration: "${text}"`)
  return total > 0 && total < 1 ? 1 : Math.round(total)
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }

/** A byte size: a number, or `512k`, `64m`, `1.5g`, `1gb` (binary units, as the engine reads them). */
export function bytes(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  if (typeof value !== 'string') throw new ValueError(`not a size: ${JSON.stringify(value)}`)
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(value.trim())
  if (match === null) throw new ValueError(`not a size: "${value}"`)
  return Math.round(Number(match[1]) * (BYTE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1))
}

/** A scalar as compose turns it into text (`true` → "true", `8080` → "8080"); null stays null. */
export function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new ValueError(`not a single value: ${JSON.stringify(value)}`)
}

/**
 * `["A=1", "B"]` or `{A: 1, B: null}` → entries; a name with no value is `null` (to be taken from
 * elsewhere). `separator` is `=` for environment, labels and sysctls.
 */
export function listOrMap(value: unknown, separator = '='): { name: string; value: string | null }[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value))
    return value.map((item) => {
      const text = scalarText(item) ?? ''
      const at = text.indexOf(separator)
      return at < 0 ? { name: text, value: null } : { name: text.slice(0, at), value: text.slice(at + 1) }
    })
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).map(([name, v]) => ({ name, value: scalarText(v) }))
  throw new ValueError(`not a list or a map: ${JSON.stringify(value)}`)
}

/** A string or a list of strings, as `dns`, `env_file` and friends take. */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.map((item) => scalarText(item) ?? '')
  const text = scalarText(value)
  return text === null ? [] : [text]
}

/**
 * A command as compose takes it: a list as is, a string split the way a POSIX shell splits words
 * (quotes and backslashes honoured, no expansion).
 */
export function commandWords(value: unknown): string[] | null {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) return value.map((item) => scalarText(item) ?? '')
  const text = scalarText(value) ?? ''
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: "'" | '"' | null = null
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i)
    if (quote === "'") {
      if (char === "'") quote = null
      else word += char
    } else if (quote === '"') {
      if (char === '"') quote = null
      else if (char === '\\' && ['"', '\\', '$', '`'].includes(text.charAt(i + 1))) {
        word += text.charAt(i + 1)
        i += 1
      } else word += char
    } else if (char === "'" || char === '"') {
      quote = char
      inWord = true
    } else if (char === '\\' && i + 1 < text.length) {
      word += text.charAt(i + 1)
      inWord = true
      i += 1
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += char
      inWord = true
    }
  }
  if (quote !== null) throw new ValueError(`unclosed quote in "${text}"`)
  if (inWord) words.push(word)
  return words
}

export interface PortForm {
  readonly hostIp: string | null
  readonly hostPort: number | null
  readonly hostPortEnd: number | null
  readonly containerPort: number
  readonly containerPortEnd: number | null
  readonly protocol: string
}

function portRange(text: string): { start: number; end: number | null } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text)
  if (match === null) throw new ValueError(`not a port: "${text}"`)
  return { start: Number(match[1]), end: match[2] === undefined ? null : Number(match[2]) }
}

/** `[ip:][host[-end]:]container[-end][/protocol]`, an IPv6 host address in brackets. */
export function shortPort(value: unknown): PortForm {
  const text = scalarText(value) ?? ''
  const [spec = '', protocol = 'tcp'] = text.split('/')
  let hostIp: string | null = null
  let rest = spec
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(spec)
  if (bracket !== null) {
    hostIp = bracket[1] ?? null
    rest = bracket[2] ?? ''
  }
  const parts = rest.split(':')
  if (bracket === null && parts.length === 3) hostIp = parts.shift() ?? null
  if (parts.length > 2 || (bracket !== null && parts.length !== 2)) throw new ValueError(`not a port: "${text}"`)
  const container = portRange(parts[parts.length - 1] ?? '')
  const host = parts.length === 2 && parts[0] !== '' ? portRange(parts[0] ?? '') : null
  return {
    hostIp: hostIp === '' ? null : hostIp,
    hostPort: host?.start ?? null,
    hostPortEnd: host?.end ?? null,
    containerPort: container.start,
    containerPortEnd: container.end,
    protocol,
  }
}

export interface MountForm {
  readonly source: string | null
  readonly target: string
  readonly options: readonly string[]
}

/** `source:target[:options]` or just `target` (an anonymous volume). */
export function shortMount(value: unknown): MountForm {
  const text = scalarText(value) ?? ''
  const parts = text.split(':')
  if (parts.length === 1) return { source: null, target: text, options: [] }
  if (parts.length > 3 || parts.some((p) => p === '')) throw new ValueError(`not a mount: "${text}"`)
  return { source: parts[0] ?? '', target: parts[1] ?? '', options: (parts[2] ?? '').split(',').filter(Boolean) }
}

/** A mount source that is a host path rather than a volume name, as compose tells them apart. */
export function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~')
}
