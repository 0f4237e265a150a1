/**
 * One compose service, interpolated and schema-checked, mapped onto Slipway's service spec: the
 * long and short syntax of every key read into one shape. Keys Slipway cannot run are reported as
 * errors, keys with no effect here as warnings; nothing is dropped without a word.
 */
import { looksSecret } from '../../shared/secretNames'
import type { Path } from './composeYaml'
import {
  bytes,
  commandWords,
  durationMs,
  isHostPath,
  listOrMap,
  scalarText,
  shortMount,
  shortPort,
  stringList,
  ValueError,
} from './composeValues'

export interface ServiceContext {
  readonly project: string
  /** The engine name of a network the file declares (by its key), or undefined when it declares none by that key. */
  readonly networkName: (key: string) => string | undefined
  /** The engine name of a named volume the file declares (by its key). */
  readonly volumeName: (key: string) => string | undefined
  /** A bind source as an absolute path (relative ones against the file's folder), or undefined when it cannot be. */
  readonly hostPath: (source: string) => string | undefined
  /** Whether an environment value was written with a variable from `.env`. */
  readonly fromDotenv: (path: Path) => boolean
  readonly report: (
    severity: 'error' | 'warning',
    code: 'unsupported' | 'no_effect' | 'invalid' | 'reference',
    path: Path,
    detail: string,
  ) => void
}

type Raw = Readonly<Record<string, unknown>>

const asRecord = (value: unknown): Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {}

/** Keys read below; every other key of a service is reported. */
const HANDLED = new Set([
  'image',
  'entrypoint',
  'command',
  'working_dir',
  'user',
  'hostname',
  'labels',
  'environment',
  'env_file',
  'healthcheck',
  'depends_on',
  'networks',
  'network_mode',
  'extra_hosts',
  'dns',
  'dns_search',
  'dns_opt',
  'ports',
  'expose',
  'volumes',
  'tmpfs',
  'devices',
  'cap_add',
  'cap_drop',
  'privileged',
  'security_opt',
  'sysctls',
  'ulimits',
  'group_add',
  'mem_limit',
  'mem_reservation',
  'cpus',
  'cpu_shares',
  'cpuset',
  'pids_limit',
  'shm_size',
  'pid',
  'ipc',
  'runtime',
  'init',
  'stop_signal',
  'stop_grace_period',
  'restart',
  'logging',
  'tty',
  'stdin_open',
  'read_only',
  'deploy',
  'profiles',
  'extends',
])
/** Refused: Slipway would not run what the file asks for. */
const REFUSED = new Set(['build', 'configs', 'secrets', 'develop', 'volumes_from', 'scale'])
/** Said, then left out: these do nothing useful on one engine, or Slipway decides them itself. */
const NO_EFFECT = new Set([
  'container_name',
  'platform',
  'pull_policy',
  'links',
  'external_links',
  'domainname',
  'mac_address',
])

export function serviceFromCompose(name: string, raw: Raw, ctx: ServiceContext): Record<string, unknown> | null {
  const at = (...rest: (string | number)[]): Path => ['services', name, ...rest]
  const spec: Record<string, unknown> = { name }
  let refused = false
  const read = <T>(key: string, convert: () => T): T | undefined => {
    if (raw[key] === undefined) return undefined
    try {
      return convert()
    } catch (error) {
      if (!(error instanceof ValueError)) throw error
      ctx.report('error', 'invalid', at(key), error.message)
      return undefined
    }
  }
  for (const key of Object.keys(raw)) {
    if (key.startsWith('x-') || HANDLED.has(key)) continue
    if (REFUSED.has(key)) {
      ctx.report('error', 'unsupported', at(key), key)
      refused = true
    } else ctx.report('warning', 'no_effect', at(key), NO_EFFECT.has(key) ? key : `${key} (not supported; left out)`)
  }

  if (raw['image'] === undefined && raw['build'] === undefined) {
    ctx.report('error', 'unsupported', at(), 'a service without an image (build) cannot be run')
    refused = true
  }
  spec['image'] = scalarText(raw['image']) ?? ''
  spec['entrypoint'] = read('entrypoint', () => commandWords(raw['entrypoint'])) ?? null
  spec['command'] = read('command', () => commandWords(raw['command'])) ?? null
  spec['workingDir'] = scalarText(raw['working_dir'])
  spec['user'] = scalarText(raw['user'])
  spec['hostname'] = scalarText(raw['hostname'])
  spec['labels'] = Object.fromEntries(listOrMap(raw['labels']).map((l) => [l.name, l.value ?? '']))
  spec['env'] = listOrMap(raw['environment']).flatMap((entry, index) => {
    if (entry.value === null) {
      ctx.report(
        'warning',
        'no_effect',
        at('environment', entry.name),
        `${entry.name} has no value here (it would come from the shell); left out`,
      )
      return []
    }
    const path = Array.isArray(raw['environment']) ? at('environment', index) : at('environment', entry.name)
    return [{ name: entry.name, value: entry.value, secret: looksSecret(entry.name) || ctx.fromDotenv(path) }]
  })
  spec['envFiles'] = read('env_file', () => envFiles(raw['env_file'], ctx, at('env_file')))
  spec['healthcheck'] = read('healthcheck', () => healthcheck(asRecord(raw['healthcheck'])))
  spec['dependsOn'] = dependsOn(raw['depends_on'])
  for (const [dependency, options] of Object.entries(
    Array.isArray(raw['depends_on']) ? {} : asRecord(raw['depends_on']),
  ))
    for (const key of ['restart', 'required'])
      if (asRecord(options)[key] !== undefined)
        ctx.report(
          'warning',
          'no_effect',
          at('depends_on', dependency, key),
          `depends_on.${key} (Slipway waits at deploy only)`,
        )
  spec['networkMode'] = scalarText(raw['network_mode'])
  spec['networks'] = networks(raw['networks'], ctx, at('networks'))
  spec['extraHosts'] = read('extra_hosts', () => extraHosts(raw['extra_hosts']))
  spec['dns'] = stringList(raw['dns'])
  spec['dnsSearch'] = stringList(raw['dns_search'])
  spec['dnsOpt'] = stringList(raw['dns_opt'])
  spec['ports'] = (Array.isArray(raw['ports']) ? raw['ports'] : []).flatMap((port, i) => {
    const value = read('ports', () => portOf(port)) ?? null
    if (value === null) return []
    if (value === 'ingress') {
      ctx.report('warning', 'no_effect', at('ports', i, 'mode'), 'mode: ingress (published as host mode)')
      return []
    }
    return [value]
  })
  spec['expose'] = stringList(raw['expose'])
  spec['volumes'] = [
    ...(Array.isArray(raw['volumes']) ? raw['volumes'] : []).flatMap((mount, i) => {
      const value = read('volumes', () => mountOf(mount, name, i, ctx, at('volumes', i)))
      return value === undefined || value === null ? [] : [value]
    }),
    ...stringList(raw['tmpfs']).map((target) => {
      const [path = '', ...options] = target.split(':')
      if (options.length > 0) ctx.report('warning', 'no_effect', at('tmpfs'), `${target}: options left out`)
      return { kind: 'tmpfs', target: path }
    }),
  ]
  spec['devices'] = stringList(raw['devices']).map((device) => {
    const [source = '', target = source, permissions = 'rwm'] = device.split(':')
    return { source, target, permissions }
  })
  spec['capAdd'] = stringList(raw['cap_add'])
  spec['capDrop'] = stringList(raw['cap_drop'])
  spec['privileged'] = raw['privileged'] === true
  spec['securityOpt'] = stringList(raw['security_opt'])
  spec['sysctls'] = Object.fromEntries(listOrMap(raw['sysctls']).map((s) => [s.name, s.value ?? '']))
  spec['ulimits'] = Object.entries(asRecord(raw['ulimits'])).map(([limit, value]) =>
    typeof value === 'number'
      ? { name: limit, soft: value, hard: value }
      : { name: limit, soft: asRecord(value)['soft'], hard: asRecord(value)['hard'] },
  )
  spec['groupAdd'] = stringList(raw['group_add'])
  const deploy = asRecord(raw['deploy'])
  const limits = asRecord(asRecord(deploy['resources'])['limits'])
  const reservations = asRecord(asRecord(deploy['resources'])['reservations'])
  spec['memLimitBytes'] = read('mem_limit', () => bytes(raw['mem_limit'])) ?? orNull(limits['memory'], bytes)
  spec['memReservationBytes'] =
    read('mem_reservation', () => bytes(raw['mem_reservation'])) ?? orNull(reservations['memory'], bytes)
  spec['cpus'] = orNull(raw['cpus'] ?? limits['cpus'], Number)
  spec['cpuShares'] = orNull(raw['cpu_shares'], Number)
  spec['cpuset'] = scalarText(raw['cpuset'])
  spec['pidsLimit'] = orNull(raw['pids_limit'] ?? limits['pids'], Number)
  spec['shmSizeBytes'] = read('shm_size', () => bytes(raw['shm_size'])) ?? null
  spec['pid'] = scalarText(raw['pid'])
  spec['ipc'] = scalarText(raw['ipc'])
  spec['runtime'] = scalarText(raw['runtime'])
  spec['init'] = typeof raw['init'] === 'boolean' ? raw['init'] : null
  spec['stopSignal'] = scalarText(raw['stop_signal'])
  spec['stopGracePeriodMs'] = read('stop_grace_period', () => durationMs(raw['stop_grace_period'])) ?? null
  Object.assign(spec, restart(raw['restart'], deploy, ctx, at))
  const logging = asRecord(raw['logging'])
  spec['logging'] =
    raw['logging'] === undefined
      ? null
      : {
          driver: scalarText(logging['driver']) ?? 'json-file',
          options: Object.fromEntries(listOrMap(logging['options']).map((o) => [o.name, o.value ?? ''])),
        }
  spec['tty'] = raw['tty'] === true
  spec['stdinOpen'] = raw['stdin_open'] === true
  spec['readOnly'] = raw['read_only'] === true
  deployKeys(deploy, ctx, at)
  if (limits['devices'] !== undefined || reservations['devices'] !== undefined)
    ctx.report('warning', 'no_effect', at('deploy', 'resources'), 'devices (GPU) reservations left out')
  return refused ? null : spec
}

function orNull<T>(value: unknown, convert: (v: never) => T): T | null {
  return value === undefined || value === null ? null : convert(value as never)
}

function envFiles(value: unknown, ctx: ServiceContext, path: Path): { path: string; required: boolean }[] {
  const entries = Array.isArray(value) ? value : [value]
  return entries.flatMap((entry, i) => {
    const file: Raw = typeof entry === 'object' && entry !== null ? asRecord(entry) : { path: entry }
    const given = scalarText(file['path']) ?? ''
    const resolved = ctx.hostPath(given)
    if (resolved === undefined) {
      ctx.report('error', 'reference', [...path, i], `${given}: a relative path needs the file's folder`)
      return []
    }
    return [{ path: resolved, required: file['required'] !== false }]
  })
}

function healthcheck(raw: Raw): Record<string, unknown> | null {
  if (raw['disable'] === true) return { test: ['NONE'] }
  const test = raw['test']
  const words =
    typeof test === 'string' ? ['CMD-SHELL', test] : Array.isArray(test) ? test.map((t) => scalarText(t) ?? '') : null
  if (words === null) {
    // Timing without a test changes the image's own check: compose keeps its test.
    if (Object.keys(raw).length === 0) return null
    throw new ValueError('a healthcheck without a test (Slipway cannot keep only the image’s test)')
  }
  if (words[0] === 'NONE') return { test: ['NONE'] }
  const ms = (key: string): number | null => (raw[key] === undefined ? null : durationMs(raw[key]))
  return {
    test: words,
    intervalMs: ms('interval'),
    timeoutMs: ms('timeout'),
    startPeriodMs: ms('start_period'),
    retries: typeof raw['retries'] === 'number' ? raw['retries'] : null,
  }
}

function dependsOn(value: unknown): { service: string; condition: string }[] {
  if (Array.isArray(value)) return value.map((service) => ({ service: String(service), condition: 'service_started' }))
  return Object.entries(asRecord(value)).map(([service, options]) => ({
    service,
    condition: scalarText(asRecord(options)['condition']) ?? 'service_started',
  }))
}

function networks(value: unknown, ctx: ServiceContext, path: Path): Record<string, unknown>[] {
  const entries: [string, Raw][] = Array.isArray(value)
    ? value.map((key) => [String(key), {}])
    : Object.entries(asRecord(value)).map(([key, options]) => [key, asRecord(options)])
  return entries.flatMap(([key, options]) => {
    const network = ctx.networkName(key)
    if (network === undefined) {
      ctx.report('error', 'reference', [...path, key], `network "${key}" is not declared under networks`)
      return []
    }
    for (const extra of Object.keys(options))
      if (!['aliases', 'ipv4_address', 'ipv6_address'].includes(extra))
        ctx.report('warning', 'no_effect', [...path, key, extra], extra)
    return [
      {
        network,
        aliases: stringList(options['aliases']),
        ipv4Address: scalarText(options['ipv4_address']),
        ipv6Address: scalarText(options['ipv6_address']),
      },
    ]
  })
}

function extraHosts(value: unknown): { host: string; ip: string }[] {
  if (!Array.isArray(value))
    return Object.entries(asRecord(value)).flatMap(([host, ip]) => stringList(ip).map((one) => ({ host, ip: one })))
  return value.map((entry) => {
    const text = scalarText(entry) ?? ''
    // `host=ip` (newer) or `host:ip` (the first colon: IPv6 addresses keep theirs).
    const at = text.includes('=') ? text.indexOf('=') : text.indexOf(':')
    if (at < 0) throw new ValueError(`not host:ip: "${text}"`)
    return { host: text.slice(0, at), ip: text.slice(at + 1).replace(/^\[(.*)\]$/, '$1') }
  })
}

function portOf(value: unknown): Record<string, unknown> | 'ingress' {
  if (typeof value !== 'object' || value === null) {
    const p = shortPort(value)
    return { ...p }
  }
  const raw = asRecord(value)
  const published = scalarText(raw['published'])
  const [start, end] = (published ?? '').split('-')
  const mode = scalarText(raw['mode'])
  const port = {
    containerPort: Number(raw['target']),
    containerPortEnd: null,
    hostPort: published === null || published === '' ? null : Number(start),
    hostPortEnd: end === undefined ? null : Number(end),
    hostIp: scalarText(raw['host_ip']),
    protocol: scalarText(raw['protocol']) ?? 'tcp',
  }
  if (mode === 'ingress' && port.hostPort !== null) return port
  return port
}

function mountOf(
  value: unknown,
  service: string,
  index: number,
  ctx: ServiceContext,
  path: Path,
): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) {
    const m = shortMount(value)
    const readOnly = m.options.includes('ro')
    const propagation =
      m.options.find((o) => ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'].includes(o)) ?? null
    for (const option of m.options)
      if (['z', 'Z'].includes(option)) ctx.report('warning', 'no_effect', path, `:${option} (SELinux relabel) left out`)
    if (m.source === null) return anonymous(service, index, m.target, readOnly, ctx, path)
    if (isHostPath(m.source)) return bind(m.source, m.target, readOnly, true, propagation, ctx, path)
    return named(m.source, m.target, readOnly, m.options.includes('nocopy'), ctx, path)
  }
  const raw = asRecord(value)
  const type = scalarText(raw['type']) ?? 'volume'
  const target = scalarText(raw['target']) ?? ''
  const source = scalarText(raw['source'])
  const readOnly = raw['read_only'] === true
  // Slipway's own extension, so an exported file keeps what snapshots leave out.
  const excludeFromSnapshots = raw['x-slipway-exclude-from-snapshots'] === true
  switch (type) {
    case 'bind': {
      const options = asRecord(raw['bind'])
      const mount = bind(
        source ?? '',
        target,
        readOnly,
        options['create_host_path'] === true,
        scalarText(options['propagation']),
        ctx,
        path,
      )
      return mount === null ? null : { ...mount, excludeFromSnapshots }
    }
    case 'volume':
      if (source === null || source === '') return anonymous(service, index, target, readOnly, ctx, path)
      {
        const mount = named(source, target, readOnly, asRecord(raw['volume'])['nocopy'] === true, ctx, path)
        return mount === null ? null : { ...mount, excludeFromSnapshots }
      }
    case 'tmpfs': {
      const options = asRecord(raw['tmpfs'])
      return {
        kind: 'tmpfs',
        target,
        readOnly,
        sizeBytes: options['size'] === undefined ? null : bytes(options['size']),
        mode: typeof options['mode'] === 'number' ? options['mode'] : null,
      }
    }
    default:
      ctx.report('error', 'unsupported', [...path, 'type'], `volume type ${type}`)
      return null
  }
}

function bind(
  source: string,
  target: string,
  readOnly: boolean,
  createHostPath: boolean,
  propagation: string | null,
  ctx: ServiceContext,
  path: Path,
): Record<string, unknown> | null {
  const resolved = ctx.hostPath(source)
  if (resolved === undefined) {
    ctx.report('error', 'reference', path, `${source}: a relative or ~ path needs the file's folder`)
    return null
  }
  return { kind: 'bind', source: resolved, target, readOnly, createHostPath, propagation }
}

function named(
  key: string,
  target: string,
  readOnly: boolean,
  noCopy: boolean,
  ctx: ServiceContext,
  path: Path,
): Record<string, unknown> | null {
  const source = ctx.volumeName(key)
  if (source === undefined) {
    ctx.report('error', 'reference', path, `volume "${key}" is not declared under volumes`)
    return null
  }
  return { kind: 'volume', source, target, readOnly, noCopy }
}

/** An anonymous volume: compose keeps it across recreations of the container; Slipway names it so it is kept too. */
function anonymous(
  service: string,
  index: number,
  target: string,
  readOnly: boolean,
  ctx: ServiceContext,
  path: Path,
): Record<string, unknown> {
  const source = `${ctx.project}_${service}_anon${index}`
  ctx.report('warning', 'no_effect', path, `anonymous volume at ${target} is kept as the named volume ${source}`)
  return { kind: 'volume', source, target, readOnly, noCopy: false }
}

function restart(
  value: unknown,
  deploy: Raw,
  ctx: ServiceContext,
  at: (...rest: (string | number)[]) => Path,
): Record<string, unknown> {
  const text = scalarText(value)
  if (text !== null) {
    const [policy = 'no', retries] = text.split(':')
    return { restart: policy, restartMaxRetries: retries === undefined ? null : Number(retries) }
  }
  const policy = asRecord(deploy['restart_policy'])
  if (deploy['restart_policy'] === undefined) return { restart: 'no', restartMaxRetries: null }
  const condition = scalarText(policy['condition']) ?? 'any'
  for (const key of ['delay', 'window'])
    if (policy[key] !== undefined) ctx.report('warning', 'no_effect', at('deploy', 'restart_policy', key), key)
  return {
    restart: condition === 'none' ? 'no' : condition === 'on-failure' ? 'on-failure' : 'always',
    restartMaxRetries:
      condition === 'on-failure' && typeof policy['max_attempts'] === 'number' ? policy['max_attempts'] : null,
  }
}

function deployKeys(deploy: Raw, ctx: ServiceContext, at: (...rest: (string | number)[]) => Path): void {
  for (const key of Object.keys(deploy)) {
    if (key === 'resources' || key === 'restart_policy') continue
    if (key === 'replicas') {
      if (typeof deploy['replicas'] === 'number' && deploy['replicas'] > 1)
        ctx.report('error', 'unsupported', at('deploy', 'replicas'), `replicas: ${deploy['replicas']}`)
      continue
    }
    if (key === 'mode' && deploy['mode'] === 'replicated') continue
    ctx.report('warning', 'no_effect', at('deploy', key), `deploy.${key}`)
  }
}
