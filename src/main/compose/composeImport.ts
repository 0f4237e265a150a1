/**
 * A compose file (and its `.env`) read into a workload, as named phases:
 *
 *   yaml → dotenv → interpolate → schema → refused keys → profiles → extends → resources → services → spec check
 *
 * Every problem carries the line and column where the user wrote it. Nothing is created here: the
 * caller creates the workload only when no problem is an error.
 */
import { isAbsolute, resolve } from 'node:path'
import { serviceSpecSchema, networkSpecSchema, volumeSpecSchema, workloadSpecIssues } from '../../shared/serviceSpec'
import type { ComposePreview, ComposeProblem, ComposeProblemCode } from '../../shared/types/compose'
import type { NetworkSpec, ServiceSpec, VolumeSpec } from '../../shared/types/workloads'
import { parseEnvFile } from '../workloads/dispatch/envFile'
import { schemaIssues } from './composeSchema'
import { serviceFromCompose } from './composeServiceSpec'
import { listOrMap, scalarText, stringList } from './composeValues'
import { loadYaml, type LoadedYaml, type Path } from './composeYaml'
import { interpolate } from './interpolate'

export interface ComposeSource {
  readonly text: string
  /** The `.env` beside the file, if any: its variables are the only ones interpolation sees. */
  readonly envText: string | null
  /** The folder relative paths (`./data`, `env_file: app.env`) are resolved against; null for pasted text. */
  readonly projectDir: string | null
  /** The workload's name: the project name every network and volume is prefixed with. */
  readonly name: string
  /** The profiles to run; services in none of them are left out. */
  readonly profiles: readonly string[]
}

type Raw = Record<string, unknown>
const asRecord = (value: unknown): Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {}

const REFUSED_TOP = ['include', 'configs', 'secrets']

class Problems {
  readonly list: ComposeProblem[] = []
  constructor(private readonly yaml: LoadedYaml | null) {}
  add(severity: 'error' | 'warning', code: ComposeProblemCode, path: Path, detail: string): void {
    const where = this.yaml?.locate(path) ?? { line: 1, column: 1 }
    this.list.push({ severity, code, path: path.join('.'), ...where, detail })
  }
  failed(): boolean {
    return this.list.some((p) => p.severity === 'error')
  }
}

export function readCompose(source: ComposeSource): ComposePreview {
  const empty = (problems: readonly ComposeProblem[]): ComposePreview => ({
    workload: null,
    problems,
    secretNames: [],
    profiles: [],
  })
  const loaded = loadYaml(source.text)
  if (!loaded.ok) return empty(loaded.problems)
  const problems = new Problems(loaded.yaml)

  const dotenv = readDotenv(source.envText, problems)
  const { data, fromDotenv } = interpolateAll(loaded.yaml.data, dotenv, problems)
  if (problems.failed()) return empty(problems.list)

  for (const issue of schemaIssues(data)) {
    if (REFUSED_TOP.includes(String(issue.path[0])) && issue.path.length === 1) continue
    problems.add('error', 'schema', issue.path, issue.detail)
  }
  const top = asRecord(data)
  for (const key of REFUSED_TOP) if (top[key] !== undefined) problems.add('error', 'unsupported', [key], key)
  if (problems.failed()) return empty(problems.list)

  const declaredProfiles = [
    ...new Set(Object.values(asRecord(top['services'])).flatMap((s) => stringList(asRecord(s)['profiles']))),
  ]
  const services = activeServices(asRecord(top['services']), source.profiles, problems)
  const networks = readNetworks(source.name, asRecord(top['networks']), problems)
  const volumes = readVolumes(source.name, asRecord(top['volumes']), problems)
  const defaultNetwork = networks.get('default')

  const specs: ServiceSpec[] = []
  for (const [name, raw] of services) {
    const mapped = serviceFromCompose(name, raw, {
      project: source.name,
      networkName: (key) => networks.get(key)?.name,
      volumeName: (key) => volumes.get(key)?.name,
      hostPath: (path) => hostPath(path, source.projectDir),
      fromDotenv: (path) => fromDotenv.has(path.join('.')),
      report: (severity, code, path, detail) => problems.add(severity, code, path, detail),
    })
    if (mapped === null) continue
    // A service that names no network joins the project's default one, as compose does.
    if (raw['network_mode'] === undefined && raw['networks'] === undefined && defaultNetwork !== undefined)
      mapped['networks'] = [{ network: defaultNetwork.name }]
    const parsed = serviceSpecSchema.safeParse(mapped)
    if (parsed.success) specs.push(parsed.data)
    else
      for (const issue of parsed.error.issues)
        problems.add('error', 'invalid', ['services', name, ...composeKey(issue.path)], issue.message)
  }
  const usedNetworks = new Set(specs.flatMap((s) => s.networks.map((n) => n.network)))
  const workload = {
    name: source.name,
    services: specs,
    networks: [...networks.values()].filter((n) => usedNetworks.has(n.name)),
    volumes: [...volumes.values()],
  }
  for (const issue of workloadSpecIssues(workload)) {
    const service = typeof issue.path[1] === 'number' ? specs[issue.path[1]]?.name : undefined
    problems.add(
      'error',
      'reference',
      service === undefined ? [String(issue.path[0])] : ['services', service, ...composeKey(issue.path.slice(2))],
      issue.message,
    )
  }
  return {
    workload: problems.failed() ? null : workload,
    problems: problems.list,
    secretNames: [...new Set(specs.flatMap((s) => s.env.filter((e) => e.secret).map((e) => e.name)))],
    profiles: declaredProfiles,
  }
}

function readDotenv(text: string | null, problems: Problems): Map<string, string> {
  if (text === null) return new Map()
  const parsed = parseEnvFile(text)
  if (!parsed.ok) {
    problems.list.push({
      severity: 'error',
      code: 'yaml',
      path: '.env',
      line: parsed.line,
      column: 1,
      detail: `.env: ${parsed.reason}`,
    })
    return new Map()
  }
  return new Map(parsed.entries.map((e) => [e.name, e.value]))
}

/** Every string value interpolated (keys are not); which values used a variable from `.env` is remembered by path. */
function interpolateAll(
  data: unknown,
  dotenv: ReadonlyMap<string, string>,
  problems: Problems,
): { data: unknown; fromDotenv: Set<string> } {
  const fromDotenv = new Set<string>()
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const result = interpolate(value, (name) => dotenv.get(name))
      if (!result.ok) {
        problems.add('error', 'interpolation', path, result.detail)
        return value
      }
      if (result.used.some((name) => dotenv.has(name))) fromDotenv.add(path.join('.'))
      return result.value
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]))
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]))
    return value
  }
  return { data: walk(data, []), fromDotenv }
}

/** The services to run: those in no profile, and those in a chosen one; `extends` within the file resolved. */
function activeServices(all: Raw, chosen: readonly string[], problems: Problems): Map<string, Raw> {
  const active = new Map<string, Raw>()
  for (const [name, value] of Object.entries(all)) {
    const profiles = stringList(asRecord(value)['profiles'])
    if (profiles.length > 0 && !profiles.some((p) => chosen.includes(p))) continue
    active.set(name, extended(name, all, problems, new Set()))
  }
  for (const [name, raw] of active)
    for (const dependency of Object.keys(dependsOnMap(raw['depends_on'])))
      if (!active.has(dependency) && all[dependency] !== undefined)
        problems.add('error', 'reference', ['services', name, 'depends_on'], `${dependency} is in a profile not chosen`)
  return active
}

function dependsOnMap(value: unknown): Raw {
  return Array.isArray(value) ? Object.fromEntries(value.map((s) => [String(s), {}])) : asRecord(value)
}

/** Lists `extends` appends to (the others, `command` among them, the extending service replaces). */
const APPENDED = [
  'ports',
  'expose',
  'external_links',
  'dns',
  'dns_search',
  'dns_opt',
  'tmpfs',
  'cap_add',
  'cap_drop',
  'security_opt',
  'extra_hosts',
]

/** Compose's merge of `extends`: maps merge key by key, mounts and devices by target, some lists append, the rest is replaced. */
function extended(name: string, all: Raw, problems: Problems, seen: Set<string>): Raw {
  const raw = asRecord(all[name])
  const ext = raw['extends']
  if (ext === undefined) return raw
  const spec = typeof ext === 'string' ? { service: ext } : asRecord(ext)
  if (spec['file'] !== undefined) {
    problems.add('error', 'unsupported', ['services', name, 'extends', 'file'], 'extends from another file')
    return raw
  }
  const base = scalarText(spec['service']) ?? ''
  if (seen.has(base) || all[base] === undefined) {
    problems.add('error', 'reference', ['services', name, 'extends'], `cannot extend "${base}"`)
    return raw
  }
  const parent = extended(base, all, problems, new Set([...seen, name]))
  const merged: Raw = { ...parent }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'extends') continue
    const before = parent[key]
    if (before === undefined) merged[key] = value
    else if (['environment', 'labels', 'sysctls'].includes(key))
      merged[key] = Object.fromEntries([...listOrMap(before), ...listOrMap(value)].map((e) => [e.name, e.value]))
    else if (['volumes', 'devices'].includes(key) && Array.isArray(before) && Array.isArray(value))
      merged[key] = mergeByTarget(before, value)
    else if (APPENDED.includes(key) && Array.isArray(before) && Array.isArray(value))
      merged[key] = [...new Set<unknown>([...(before as unknown[]), ...(value as unknown[])])]
    else if (isPlain(before) && isPlain(value)) merged[key] = { ...before, ...value }
    else merged[key] = value
  }
  // A service does not inherit what ties it to others.
  const ties = ['depends_on', 'links', 'volumes_from', 'network_mode'].filter((key) => raw[key] === undefined)
  return Object.fromEntries(Object.entries(merged).filter(([key]) => !ties.includes(key)))
}

const isPlain = (value: unknown): value is Raw => value !== null && typeof value === 'object' && !Array.isArray(value)

function mergeByTarget(before: unknown[], after: unknown[]): unknown[] {
  const targetOf = (m: unknown): string =>
    typeof m === 'string' ? (m.split(':')[1] ?? m) : (scalarText(asRecord(m)['target']) ?? '')
  const byTarget = new Map(before.map((m) => [targetOf(m), m]))
  for (const m of after) byTarget.set(targetOf(m), m)
  return [...byTarget.values()]
}

/** Top-level networks by key, with their engine names; `default` is the project's own unless declared otherwise. */
function readNetworks(project: string, declared: Raw, problems: Problems): Map<string, NetworkSpec> {
  const networks = new Map<string, NetworkSpec>()
  const entries: [string, Raw][] = [
    ['default', asRecord(declared['default'])],
    ...Object.entries(declared)
      .filter(([key]) => key !== 'default')
      .map(([k, v]) => [k, asRecord(v)] as [string, Raw]),
  ]
  for (const [key, raw] of entries) {
    const external = raw['external'] === true || isPlain(raw['external'])
    const name =
      scalarText(raw['name']) ?? scalarText(asRecord(raw['external'])['name']) ?? (external ? key : `${project}_${key}`)
    const ipam = isPlain(raw['ipam']) ? asRecord(raw['ipam']) : null
    const parsed = networkSpecSchema.safeParse({
      name,
      external,
      driver: scalarText(raw['driver']) === 'bridge' ? null : scalarText(raw['driver']),
      driverOpts: Object.fromEntries(listOrMap(raw['driver_opts']).map((o) => [o.name, o.value ?? ''])),
      internal: raw['internal'] === true,
      attachable: raw['attachable'] === true,
      enableIpv6: raw['enable_ipv6'] === true,
      ipam:
        ipam === null
          ? null
          : {
              driver: scalarText(ipam['driver']),
              config: (Array.isArray(ipam['config']) ? ipam['config'] : []).map((c) => ({
                subnet: scalarText(asRecord(c)['subnet']),
                ipRange: scalarText(asRecord(c)['ip_range']),
                gateway: scalarText(asRecord(c)['gateway']),
              })),
              options: Object.fromEntries(listOrMap(ipam['options']).map((o) => [o.name, o.value ?? ''])),
            },
      labels: external ? {} : composeLabels(raw['labels'], project, 'network', key),
    })
    if (parsed.success) networks.set(key, parsed.data)
    else
      for (const issue of parsed.error.issues)
        problems.add('error', 'invalid', ['networks', key, ...issue.path.map(String)], issue.message)
  }
  return networks
}

function readVolumes(project: string, declared: Raw, problems: Problems): Map<string, VolumeSpec> {
  const volumes = new Map<string, VolumeSpec>()
  for (const [key, value] of Object.entries(declared)) {
    const raw = asRecord(value)
    const external = raw['external'] === true || isPlain(raw['external'])
    const name =
      scalarText(raw['name']) ?? scalarText(asRecord(raw['external'])['name']) ?? (external ? key : `${project}_${key}`)
    const parsed = volumeSpecSchema.safeParse({
      name,
      external,
      driver: scalarText(raw['driver']) === 'local' ? null : scalarText(raw['driver']),
      driverOpts: Object.fromEntries(listOrMap(raw['driver_opts']).map((o) => [o.name, o.value ?? ''])),
      labels: external ? {} : composeLabels(raw['labels'], project, 'volume', key),
    })
    if (parsed.success) volumes.set(key, parsed.data)
    else
      for (const issue of parsed.error.issues)
        problems.add('error', 'invalid', ['volumes', key, ...issue.path.map(String)], issue.message)
  }
  return volumes
}

/** The labels compose puts on what it makes, so compose (and Slipway's adoption) know the project's own. */
function composeLabels(
  labels: unknown,
  project: string,
  kind: 'network' | 'volume',
  key: string,
): Record<string, string> {
  return {
    ...Object.fromEntries(listOrMap(labels).map((l) => [l.name, l.value ?? ''])),
    'com.docker.compose.project': project,
    [`com.docker.compose.${kind}`]: key,
  }
}

function hostPath(path: string, projectDir: string | null): string | undefined {
  if (path.startsWith('~')) return undefined
  if (isAbsolute(path)) return resolve(path)
  return projectDir === null ? undefined : resolve(projectDir, path)
}

/** The compose key for a spec field, so an issue found on the spec points at what the user wrote. */
const COMPOSE_KEY: Readonly<Record<string, string>> = {
  workingDir: 'working_dir',
  env: 'environment',
  envFiles: 'env_file',
  dependsOn: 'depends_on',
  networkMode: 'network_mode',
  extraHosts: 'extra_hosts',
  dnsSearch: 'dns_search',
  dnsOpt: 'dns_opt',
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  securityOpt: 'security_opt',
  groupAdd: 'group_add',
  memLimitBytes: 'mem_limit',
  memReservationBytes: 'mem_reservation',
  cpuShares: 'cpu_shares',
  pidsLimit: 'pids_limit',
  shmSizeBytes: 'shm_size',
  stopSignal: 'stop_signal',
  stopGracePeriodMs: 'stop_grace_period',
  restartMaxRetries: 'restart',
  stdinOpen: 'stdin_open',
  readOnly: 'read_only',
}

function composeKey(path: readonly PropertyKey[]): (string | number)[] {
  const [field, ...rest] = path
  if (field === undefined) return []
  const key = COMPOSE_KEY[String(field)] ?? String(field)
  // Below the top field the spec's shape differs from the file's: point at the key, or at the list item.
  const item = typeof rest[0] === 'number' ? [rest[0]] : []
  return [key, ...item]
}
