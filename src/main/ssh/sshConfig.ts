/**
 * `~/.ssh/config` read the way OpenSSH reads it, limited to what Slipway connects with.
 *
 * `Match` is not supported: a Match block's options are skipped entirely, so they never apply.
 * That errs towards ssh's defaults rather than applying options meant for some other condition.
 */
import { basename, dirname, isAbsolute, join } from 'node:path'
import { matchesPattern, matchesPatternList } from './knownHosts'

/** The patterns of one `Host` line, e.g. `['web-*', '!web-old']`. */
export type HostPatterns = readonly string[]

export interface SshConfigOption {
  /** Lower-cased, as keywords are case-insensitive. */
  readonly keyword: string
  readonly args: readonly string[]
}

export interface SshConfigBlock {
  /**
   * Host lines that must all match the alias: none for the global section, one for a Host block,
   * two for a Host block in a file Included from inside another Host block.
   */
  readonly hosts: readonly HostPatterns[]
  readonly options: readonly SshConfigOption[]
}

export interface SshConfigIo {
  readFile(path: string): string | null
  listDir(path: string): string[] | null
}

export interface ResolvedSshConfig {
  hostname: string
  port: number
  user: string
  /** Only the configured ones, expanded; when empty ssh would try its default key names. */
  identityFiles: string[]
  identitiesOnly: boolean
  proxyJump: string | null
}

const MAX_INCLUDE_DEPTH = 16
// ProxyJump and ProxyCommand compete: whichever ssh reads first disables the other.
const PROXY_KEYWORDS = new Set(['proxyjump', 'proxycommand'])

export function parseSshConfig(text: string): SshConfigBlock[] {
  const global: { hosts: HostPatterns[]; options: SshConfigOption[] } = { hosts: [], options: [] }
  const blocks = [global]
  // Null while inside a Match block, whose options are dropped.
  let current: typeof global | null = global
  for (const raw of text.split(/\r?\n/)) {
    const option = parseLine(raw)
    if (option === null) continue
    if (option.keyword === 'host') {
      current = { hosts: [option.args], options: [] }
      blocks.push(current)
    } else if (option.keyword === 'match') {
      current = null
    } else if (current !== null && option.args.length > 0) {
      current.options.push(option)
    }
  }
  return global.options.length === 0 ? blocks.slice(1) : blocks
}

function parseLine(raw: string): SshConfigOption | null {
  const line = raw.trim()
  const keyword = /^[^\s="']+/.exec(line)?.[0]
  if (keyword === undefined || keyword.startsWith('#')) return null
  const rest = line.slice(keyword.length).replace(/^\s*=?\s*/, '')
  const args = splitArgs(rest)
  return args === null ? null : { keyword: keyword.toLowerCase(), args }
}

/** Splits arguments like ssh's argv_split: quotes group, backslash escapes, `#` starting an argument ends the line. */
function splitArgs(text: string): string[] | null {
  const args: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\t') {
      i++
      continue
    }
    if (c === '#') break
    let arg = ''
    let quote: string | null = null
    for (; i < text.length; i++) {
      const ch = text.charAt(i)
      const next = text.charAt(i + 1)
      if (ch === '\\' && (next === '"' || next === "'" || next === '\\' || (quote === null && next === ' '))) {
        arg += next
        i++
      } else if (quote === null && (ch === ' ' || ch === '\t')) {
        break
      } else if (quote === null && (ch === '"' || ch === "'")) {
        quote = ch
      } else if (ch === quote) {
        quote = null
      } else {
        arg += ch
      }
    }
    if (quote !== null) return null
    args.push(arg)
  }
  return args
}

/** Loads a config file and the files it Includes, in the order ssh would read them. */
export function loadSshConfig(path: string, io: SshConfigIo, homeDir: string): SshConfigBlock[] {
  const loadFile = (file: string, outer: readonly HostPatterns[], depth: number): SshConfigBlock[] => {
    if (depth > MAX_INCLUDE_DEPTH) throw new Error(`ssh config Includes nest deeper than ${MAX_INCLUDE_DEPTH} levels`)
    const text = io.readFile(file)
    if (text === null) return []
    return parseSshConfig(text).flatMap((block) => expandIncludes([...outer, ...block.hosts], block.options, depth))
  }

  // An Include applies where it stands: inside a Host block its files only count for that block's hosts.
  const expandIncludes = (
    hosts: readonly HostPatterns[],
    options: readonly SshConfigOption[],
    depth: number,
  ): SshConfigBlock[] => {
    const blocks: SshConfigBlock[] = []
    let pending: SshConfigOption[] = []
    for (const option of options) {
      if (option.keyword !== 'include') {
        pending.push(option)
        continue
      }
      if (blocks.length === 0 || pending.length > 0) blocks.push({ hosts, options: pending })
      pending = []
      for (const included of option.args.flatMap((pattern) => includedFiles(pattern, io, homeDir))) {
        blocks.push(...loadFile(included, hosts, depth + 1))
      }
    }
    if (blocks.length === 0 || pending.length > 0) blocks.push({ hosts, options: pending })
    return blocks
  }

  return loadFile(path, [], 0)
}

function includedFiles(pattern: string, io: SshConfigIo, homeDir: string): string[] {
  const expanded = expandTilde(pattern, homeDir)
  const path = isAbsolute(expanded) ? expanded : join(homeDir, '.ssh', expanded)
  const name = basename(path)
  if (!/[*?]/.test(name)) return [path]
  const dir = dirname(path)
  return (io.listDir(dir) ?? [])
    .filter((entry) => (name.startsWith('.') || !entry.startsWith('.')) && matchesPattern(entry, name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((entry) => join(dir, entry))
}

function expandTilde(path: string, homeDir: string): string {
  return path === '~' || path.startsWith('~/') ? homeDir + path.slice(1) : path
}

/** Expands `%x` tokens; ones we do not know stay as written rather than failing the whole host. */
function expandTokens(text: string, tokens: Readonly<Record<string, string>>): string {
  return text.replace(/%(.)/gs, (whole, key: string) => (key === '%' ? '%' : (tokens[key] ?? whole)))
}

function blockMatches(block: SshConfigBlock, alias: string): boolean {
  return block.hosts.every((patterns) => matchesPatternList(alias, patterns))
}

export function resolveSshConfig(
  blocks: readonly SshConfigBlock[],
  alias: string,
  ctx: { homeDir: string; localUser: string },
): ResolvedSshConfig {
  const first = new Map<string, SshConfigOption>()
  const rawIdentityFiles: string[] = []
  for (const block of blocks) {
    if (!blockMatches(block, alias)) continue
    for (const option of block.options) {
      const slot = PROXY_KEYWORDS.has(option.keyword) ? 'proxy' : option.keyword
      if (slot === 'identityfile') rawIdentityFiles.push(option.args[0] ?? '')
      else if (!first.has(slot)) first.set(slot, option)
    }
  }
  const value = (keyword: string): string | undefined => first.get(keyword)?.args[0]

  const hostnameValue = value('hostname')
  // ssh lower-cases the name it connects to, and %h in IdentityFile sees that form.
  const hostname = (hostnameValue === undefined ? alias : expandTokens(hostnameValue, { h: alias })).toLowerCase()
  const port = parsePort(value('port'))
  const user = value('user') ?? ctx.localUser
  const identitiesOnly = parseYesNo('IdentitiesOnly', value('identitiesonly')) ?? false
  const tokens = { d: ctx.homeDir, u: ctx.localUser, h: hostname, r: user, p: String(port), n: alias }
  const identityFiles = [
    ...new Set(rawIdentityFiles.map((file) => expandTokens(expandTilde(file, ctx.homeDir), tokens))),
  ]
  return { hostname, port, user, identityFiles, identitiesOnly, proxyJump: proxyJumpOf(first) }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 22
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0
  if (port < 1 || port > 65535) throw new Error(`ssh config has a bad Port: ${JSON.stringify(text)}`)
  return port
}

function parseYesNo(keyword: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined
  const lower = text.toLowerCase()
  if (lower === 'yes' || lower === 'true') return true
  if (lower === 'no' || lower === 'false') return false
  throw new Error(`ssh config has a bad ${keyword}: ${JSON.stringify(text)}`)
}

function proxyJumpOf(first: ReadonlyMap<string, SshConfigOption>): string | null {
  const proxy = first.get('proxy')
  const target = proxy?.keyword === 'proxyjump' ? proxy.args[0] : undefined
  return target === undefined || target === 'none' ? null : target
}

/** Host names written out in Host lines (no wildcards or negations), unique, in file order. */
export function listAliases(blocks: readonly SshConfigBlock[]): string[] {
  const aliases = new Set<string>()
  for (const block of blocks) {
    for (const pattern of block.hosts.flat()) {
      if (!/[*?!]/.test(pattern) && blockMatches(block, pattern)) aliases.add(pattern)
    }
  }
  return [...aliases]
}
