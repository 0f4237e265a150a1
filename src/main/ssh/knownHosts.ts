import { createHmac } from 'node:crypto'
import { decodeBase64, parsePublicKey, sha256Fingerprint } from './fingerprint'

export interface HostKey {
  readonly type: string
  readonly blob: Buffer
}

export type KnownHostMarker = 'cert-authority' | 'revoked'

/** Which hosts a line is about: a pattern list, or one name hidden by `ssh-keygen -H`. */
export type KnownHostNames =
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer }

export interface KnownHostEntry extends HostKey {
  /** 1-based, for messages that point the user at the offending line. */
  readonly line: number
  readonly marker: KnownHostMarker | null
  readonly names: KnownHostNames
  readonly comment: string
}

export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown' }
  | { kind: 'changed'; expected: { type: string; fingerprint: string }[] }
  | { kind: 'revoked' }

const MARKERS: Readonly<Record<string, KnownHostMarker>> = {
  '@cert-authority': 'cert-authority',
  '@revoked': 'revoked',
}

const SHA1_BYTES = 20

/** `*` matches any run of characters and `?` exactly one; nothing else is special. */
export function matchesPattern(text: string, pattern: string): boolean {
  let t = 0
  let p = 0
  let starAt = -1
  let starText = 0
  while (t < text.length) {
    const wanted = pattern[p]
    if (wanted === '*') {
      starAt = p++
      starText = t
    } else if (wanted !== undefined && (wanted === '?' || wanted === text[t])) {
      p++
      t++
    } else if (starAt >= 0) {
      p = starAt + 1
      t = ++starText
    } else {
      return false
    }
  }
  while (pattern[p] === '*') p++
  return p === pattern.length
}

/** OpenSSH's rule: some positive pattern matches and no `!pattern` does. */
export function matchesPatternList(text: string, patterns: readonly string[]): boolean {
  let positive = false
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesPattern(text, pattern.slice(1))) return false
    } else if (matchesPattern(text, pattern)) {
      positive = true
    }
  }
  return positive
}

/** The name ssh looks a host up by: the bare host on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  return text.split(/\r?\n/).flatMap((raw, index) => {
    const entry = parseLine(raw, index + 1)
    return entry === null ? [] : [entry]
  })
}

function parseLine(raw: string, line: number): KnownHostEntry | null {
  let rest = raw.trim()
  if (rest === '' || rest.startsWith('#')) return null
  let marker: KnownHostMarker | null = null
  if (rest.startsWith('@')) {
    const [word, after] = splitWord(rest)
    const known = MARKERS[word]
    if (known === undefined) return null
    marker = known
    rest = after
  }
  const [hostField, keyText] = splitWord(rest)
  const names = parseNames(hostField)
  if (names === null) return null
  try {
    const key = parsePublicKey(keyText)
    return { line, marker, names, type: key.type, blob: key.blob, comment: key.comment }
  } catch {
    return null
  }
}

function splitWord(text: string): [string, string] {
  const match = /^(\S+)\s*(.*)$/s.exec(text)
  return [match?.[1] ?? '', match?.[2] ?? '']
}

function parseNames(field: string): KnownHostNames | null {
  if (field.startsWith('|')) {
    const [empty, version, salt, hash, ...extra] = field.split('|')
    if (empty !== '' || version !== '1' || salt === undefined || hash === undefined || extra.length > 0) return null
    const saltBytes = decodeBase64(salt)
    const hashBytes = decodeBase64(hash)
    if (saltBytes?.length !== SHA1_BYTES || hashBytes?.length !== SHA1_BYTES) return null
    return { kind: 'hashed', salt: saltBytes, hash: hashBytes }
  }
  const patterns = field
    .toLowerCase()
    .split(',')
    .filter((pattern) => pattern !== '')
  return patterns.length === 0 ? null : { kind: 'patterns', patterns }
}

/** Whether the line is about this host and port (whatever its marker and key). */
export function matchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  return namesMatch(entry.names, knownHostsName(host, port).toLowerCase())
}

function namesMatch(names: KnownHostNames, name: string): boolean {
  if (names.kind === 'patterns') return matchesPatternList(name, names.patterns)
  return createHmac('sha1', names.salt).update(name).digest().equals(names.hash)
}

function sameKey(a: HostKey, b: HostKey): boolean {
  return a.type === b.type && a.blob.equals(b.blob)
}

export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: HostKey,
): HostKeyVerdict {
  const relevant = entries.filter((entry) => matchesHost(entry, host, port))
  if (relevant.some((entry) => entry.marker === 'revoked' && sameKey(entry, key))) return { kind: 'revoked' }
  // Certificate authorities vouch for certificates, never for the plain key they are written as.
  const plain = relevant.filter((entry) => entry.marker === null)
  if (plain.some((entry) => sameKey(entry, key))) return { kind: 'trusted' }
  if (plain.length === 0) return { kind: 'unknown' }
  const expected = new Map<string, { type: string; fingerprint: string }>()
  for (const entry of plain) {
    const fingerprint = sha256Fingerprint(entry.blob)
    expected.set(`${entry.type} ${fingerprint}`, { type: entry.type, fingerprint })
  }
  return { kind: 'changed', expected: [...expected.values()] }
}

/** Key types already on record for the host, in file order, so the handshake can ask for one of those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries
    .filter((entry) => entry.marker === null && matchesHost(entry, host, port))
    .map((entry) => entry.type)
  return [...new Set(types)]
}

/** A line ssh itself would accept; refuses hosts that would turn into patterns, markers or extra fields. */
export function formatKnownHostsLine(host: string, port: number, key: HostKey): string {
  if (!/^[^\s,*?!@#|[\]]+$/.test(host)) throw new Error(`cannot write a known_hosts line for ${JSON.stringify(host)}`)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a TCP port: ${port}`)
  if (!/^\S+$/.test(key.type)) throw new Error(`not a key type: ${JSON.stringify(key.type)}`)
  return `${knownHostsName(host, port)} ${key.type} ${key.blob.toString('base64')}`
}
