/**
 * A container as the engine reports it, read back into the service spec that makes it again.
 * What the image sets (env, command, labels, healthcheck…) is left to the image; what the engine
 * sets by itself (the hostname from the id, its own aliases) is left to the engine. Every other
 * setting the engine reports and Slipway would not reproduce is listed, never dropped unseen.
 */
import { looksSecret } from '../../../shared/secretNames'
import { serviceSpecSchema } from '../../../shared/serviceSpec'
import type {
  Dependency,
  EnvVar,
  Healthcheck,
  PortMapping,
  ServiceNetwork,
  ServiceSpec,
  UnsupportedSetting,
  VolumeMount,
} from '../../../shared/types/workloads'
import { DEPENDENCY_CONDITIONS } from '../../../shared/serviceSpec'
import type { ContainerDetails, ImageDetails } from '../../docker/engine'
import { COMPOSE_DEPENDS_ON, COMPOSE_LABEL_PREFIX, LABELS } from '../dispatch/labels'

const NS_PER_MS = 1_000_000
const DEFAULT_SHM_BYTES = 64 * 1024 * 1024

export interface ReadContext {
  /** The containers read together with this one (id → service), so `container:<id>` reads as `service:<name>`. */
  readonly serviceOfContainer: ReadonlyMap<string, string>
  /** More than one service: the engine's default network is then said out loud (`bridge`). */
  readonly multiService: boolean
  /** The engine's defaults, so a setting equal to one is left out. */
  readonly engine: { readonly loggingDriver: string; readonly defaultRuntime: string; readonly cgroupVersion: string }
  /** Adoption: the container's old name keeps answering on its networks, as an alias. */
  readonly keepContainerName: boolean
}

export interface ReadService {
  readonly spec: ServiceSpec
  readonly unsupported: UnsupportedSetting[]
}

/** The container's settings, loosely typed: engines of different versions send different keys. */
interface Loose {
  readonly [key: string]: unknown
}

export function readServiceSpec(
  info: ContainerDetails,
  image: ImageDetails | null,
  name: string,
  context: ReadContext,
): ReadService {
  const config = info.Config as unknown as Loose
  const host = info.HostConfig as unknown as Loose
  const imageConfig = (image?.Config ?? {}) as unknown as Loose
  const unsupported: UnsupportedSetting[] = []
  const report = (setting: string, value: unknown): void => {
    unsupported.push({ service: name, setting, value: shortJson(value) })
  }

  const entrypoint = entrypointOf(strings(config['Entrypoint']), strings(imageConfig['Entrypoint']))
  const cmd = strings(config['Cmd'])
  const command =
    cmd === null || cmd.length === 0 ? null : entrypoint === null && same(cmd, strings(imageConfig['Cmd'])) ? null : cmd
  const { networkMode, networks } = networkingOf(info, name, context, report)
  const joinsAnother = networkMode?.includes(':') === true
  const hostname = text(config['Hostname'])
  const restartPolicy = (host['RestartPolicy'] ?? {}) as { Name?: string; MaximumRetryCount?: number }
  const restart = (['always', 'unless-stopped', 'on-failure'] as const).find((r) => r === restartPolicy.Name) ?? 'no'
  const logConfig = (host['LogConfig'] ?? {}) as { Type?: string; Config?: Record<string, string> }
  const logOptions = logConfig.Config ?? {}
  const ports = portsOf(host['PortBindings'])
  if (networkMode !== null && networkMode !== 'bridge' && ports.length > 0) report('HostConfig.PortBindings', ports)

  const candidate = {
    name,
    image: info.Config.Image,
    entrypoint,
    command,
    workingDir: differing(text(config['WorkingDir']), text(imageConfig['WorkingDir'])),
    user: differing(text(config['User']), text(imageConfig['User'])),
    // The engine names a container after its id, or after the host on the host's network.
    hostname:
      joinsAnother || networkMode === 'host' || hostname === null || hostname === info.Id.slice(0, 12)
        ? null
        : hostname,
    labels: labelsOf(record(config['Labels']), record(imageConfig['Labels'])),
    env: envOf(strings(config['Env']) ?? [], new Set(strings(imageConfig['Env']) ?? [])),
    healthcheck: healthcheckOf(config['Healthcheck'], imageConfig['Healthcheck']),
    dependsOn: dependenciesOf(record(config['Labels']), context),
    networks,
    networkMode,
    extraHosts: joinsAnother ? [] : (strings(host['ExtraHosts']) ?? []).map(extraHost),
    dns: joinsAnother ? [] : (strings(host['Dns']) ?? []),
    dnsSearch: strings(host['DnsSearch']) ?? [],
    dnsOpt: strings(host['DnsOptions']) ?? [],
    ports: networkMode === null || networkMode === 'bridge' ? ports : [],
    expose: joinsAnother ? [] : exposedOf(config['ExposedPorts'], imageConfig['ExposedPorts'], host['PortBindings']),
    volumes: mountsOf(info, host, report),
    devices: (
      (host['Devices'] ?? []) as { PathOnHost: string; PathInContainer: string; CgroupPermissions?: string }[]
    ).map((d) => ({ source: d.PathOnHost, target: d.PathInContainer, permissions: d.CgroupPermissions || 'rwm' })),
    capAdd: strings(host['CapAdd']) ?? [],
    capDrop: strings(host['CapDrop']) ?? [],
    privileged: host['Privileged'] === true,
    securityOpt: strings(host['SecurityOpt']) ?? [],
    sysctls: record(host['Sysctls']),
    ulimits: ((host['Ulimits'] ?? []) as { Name: string; Soft: number; Hard: number }[]).map((u) => ({
      name: u.Name,
      soft: u.Soft,
      hard: u.Hard,
    })),
    groupAdd: strings(host['GroupAdd']) ?? [],
    memLimitBytes: positive(host['Memory']),
    memReservationBytes: positive(host['MemoryReservation']),
    cpus: positive(host['NanoCpus']) === null ? null : Number(host['NanoCpus']) / 1e9,
    cpuShares: positive(host['CpuShares']),
    cpuset: text(host['CpusetCpus']),
    pidsLimit: typeof host['PidsLimit'] === 'number' && host['PidsLimit'] !== 0 ? host['PidsLimit'] : null,
    shmSizeBytes: host['ShmSize'] === DEFAULT_SHM_BYTES ? null : positive(host['ShmSize']),
    pid: namespaceOf(text(host['PidMode']), context),
    // 'private' is the engine's default (its `default-ipc-mode`).
    ipc: host['IpcMode'] === 'private' ? null : namespaceOf(text(host['IpcMode']), context),
    runtime: differing(text(host['Runtime']), context.engine.defaultRuntime),
    init: typeof host['Init'] === 'boolean' ? host['Init'] : null,
    stopSignal: differing(text(config['StopSignal']), text(imageConfig['StopSignal']) ?? 'SIGTERM'),
    stopGracePeriodMs: typeof config['StopTimeout'] === 'number' ? config['StopTimeout'] * 1000 : null,
    restart,
    restartMaxRetries:
      restart === 'on-failure' && (restartPolicy.MaximumRetryCount ?? 0) > 0 ? restartPolicy.MaximumRetryCount : null,
    logging:
      logConfig.Type === undefined ||
      logConfig.Type === '' ||
      (logConfig.Type === context.engine.loggingDriver && Object.keys(logOptions).length === 0)
        ? null
        : { driver: logConfig.Type, options: { ...logOptions } },
    tty: config['Tty'] === true,
    stdinOpen: config['OpenStdin'] === true,
    readOnly: host['ReadonlyRootfs'] === true,
  }
  reportUnread(config, CONFIG_READ, 'Config', report, context)
  reportUnread(host, HOST_READ, 'HostConfig', report, context)
  const parsed = serviceSpecSchema.safeParse(candidate)
  if (!parsed.success) {
    // A value the engine took but the spec refuses: reported, and the spec is read without it.
    for (const issue of parsed.error.issues) {
      // An env value may be a secret: only its place is told.
      const value = issue.path[0] === 'env' ? '(env)' : valueAt(candidate, issue.path)
      report(issue.path.join('.'), value)
    }
    return { spec: serviceSpecSchema.parse(withoutInvalid(candidate, parsed.error.issues)), unsupported }
  }
  return { spec: parsed.data, unsupported }
}

/** Config keys read above, or the engine's own bookkeeping. */
const CONFIG_READ = new Set([
  'Hostname',
  'User',
  'ExposedPorts',
  'Tty',
  'OpenStdin',
  'Env',
  'Cmd',
  'Healthcheck',
  'Image',
  'WorkingDir',
  'Entrypoint',
  'Labels',
  'StopSignal',
  'StopTimeout',
  // The image's declared volumes (their mounts are read), attach flags, the image's shell and build hooks.
  'Volumes',
  'AttachStdin',
  'AttachStdout',
  'AttachStderr',
  'ArgsEscaped',
  'OnBuild',
  'Shell',
])

const HOST_READ = new Set([
  'Binds',
  'Mounts',
  'Tmpfs',
  'LogConfig',
  'NetworkMode',
  'PortBindings',
  'RestartPolicy',
  'CapAdd',
  'CapDrop',
  'Dns',
  'DnsOptions',
  'DnsSearch',
  'ExtraHosts',
  'GroupAdd',
  'IpcMode',
  'PidMode',
  'Privileged',
  'ReadonlyRootfs',
  'SecurityOpt',
  'ShmSize',
  'Sysctls',
  'Runtime',
  'CpuShares',
  'Memory',
  'NanoCpus',
  'CpusetCpus',
  'Devices',
  'MemoryReservation',
  'PidsLimit',
  'Ulimits',
  'Init',
  // Set by the engine for every container, not by the user.
  'ContainerIDFile',
  'MaskedPaths',
  'ReadonlyPaths',
  'ConsoleSize',
])

/** Every key not read that holds something other than the engine's default is listed. */
function reportUnread(
  settings: Loose,
  read: ReadonlySet<string>,
  prefix: string,
  report: (setting: string, value: unknown) => void,
  context: ReadContext,
): void {
  for (const [key, value] of Object.entries(settings)) {
    if (read.has(key) || isEmpty(value)) continue
    if (prefix === 'HostConfig' && isEngineDefault(key, value, settings, context)) continue
    report(`${prefix}.${key}`, value)
  }
}

function isEngineDefault(key: string, value: unknown, host: Loose, context: ReadContext): boolean {
  const memory = positive(host['Memory'])
  switch (key) {
    case 'CgroupnsMode':
      return value === (context.engine.cgroupVersion === '2' ? 'private' : 'host')
    // Without a swap limit the engine makes memory+swap twice the memory limit (unlimited without one).
    case 'MemorySwap':
      return memory === null ? value === -1 : value === memory * 2
    case 'MemorySwappiness':
      return value === -1
    case 'Isolation':
      return value === 'default'
    default:
      return false
  }
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.values(value).every(isEmpty)
  return false
}

function entrypointOf(own: string[] | null, image: string[] | null): string[] | null {
  if (same(own ?? [], image ?? [])) return null
  // The engine stores a reset entrypoint (`[""]`) as none.
  return own === null || (own.length === 1 && own[0] === '') ? [] : own
}

function networkingOf(
  info: ContainerDetails,
  service: string,
  context: ReadContext,
  report: (setting: string, value: unknown) => void,
): { networkMode: string | null; networks: ServiceNetwork[] } {
  const mode = info.HostConfig.NetworkMode || 'default'
  const attached = objectOrNull<Record<string, EndpointRead>>(info.NetworkSettings.Networks) ?? {}
  if (mode === 'host' || mode === 'none') return { networkMode: mode, networks: [] }
  if (mode.startsWith('container:')) return { networkMode: namespaceOf(mode, context), networks: [] }
  const names = Object.keys(attached)
  if (mode === 'default' || mode === 'bridge') {
    for (const other of names.filter((n) => n !== 'bridge')) report(`NetworkSettings.Networks.${other}`, 'with bridge')
    return { networkMode: mode === 'bridge' || context.multiService ? 'bridge' : null, networks: [] }
  }
  // The network named in the mode is the first one the container joins; the others follow.
  const ordered = [mode, ...names.filter((n) => n !== mode).sort()]
  const oldName = info.Name.replace(/^\//, '')
  const networks = ordered
    .filter((n) => attached[n] !== undefined)
    .map((network): ServiceNetwork => {
      const endpoint = attached[network] ?? {}
      if ((endpoint.Links ?? []).length > 0) report(`NetworkSettings.Networks.${network}.Links`, endpoint.Links)
      if (Object.keys(endpoint.DriverOpts ?? {}).length > 0)
        report(`NetworkSettings.Networks.${network}.DriverOpts`, endpoint.DriverOpts)
      // The engine adds the short id and (when set) the hostname; Slipway adds the service name.
      const engineOwn = new Set([info.Id.slice(0, 12), service, info.Config.Hostname])
      const aliases = (endpoint.Aliases ?? []).filter((a) => !engineOwn.has(a))
      if (context.keepContainerName && oldName !== service && !aliases.includes(oldName)) aliases.push(oldName)
      return {
        network,
        aliases,
        ipv4Address: text(endpoint.IPAMConfig?.IPv4Address),
        ipv6Address: text(endpoint.IPAMConfig?.IPv6Address),
      }
    })
  return { networkMode: null, networks }
}

interface EndpointRead {
  readonly Aliases?: string[] | null
  readonly Links?: string[] | null
  readonly DriverOpts?: Record<string, string> | null
  readonly IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null
}

/** `container:<id>` of another container read together reads as `service:<its name>`. */
function namespaceOf(value: string | null, context: ReadContext): string | null {
  if (value === null || !value.startsWith('container:')) return value
  const id = value.slice('container:'.length)
  for (const [containerId, service] of context.serviceOfContainer) {
    if (containerId === id || containerId.startsWith(id)) return `service:${service}`
  }
  return value
}

function labelsOf(own: Record<string, string>, image: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(own)) {
    if (image[key] === value || key.startsWith('io.slipway.') || key.startsWith(COMPOSE_LABEL_PREFIX)) continue
    out[key] = value
  }
  return out
}

function envOf(lines: readonly string[], imageEnv: ReadonlySet<string>): EnvVar[] {
  return lines
    .filter((line) => !imageEnv.has(line))
    .map((line) => {
      const at = line.indexOf('=')
      const name = at < 0 ? line : line.slice(0, at)
      return { name, value: at < 0 ? '' : line.slice(at + 1), secret: looksSecret(name) }
    })
}

interface HealthRead {
  readonly Test?: string[] | null
  readonly Interval?: number
  readonly Timeout?: number
  readonly StartPeriod?: number
  readonly Retries?: number
}

function healthcheckOf(own: unknown, image: unknown): Healthcheck | null {
  const check = objectOrNull<HealthRead>(own)
  if (check === null || JSON.stringify(check) === JSON.stringify(image ?? null)) return null
  const test = check.Test ?? []
  if (test.length === 0) return null
  const ms = (ns: number | undefined): number | null =>
    ns === undefined || ns <= 0 ? null : Math.round(ns / NS_PER_MS)
  return {
    test: [...test],
    intervalMs: ms(check.Interval),
    timeoutMs: ms(check.Timeout),
    startPeriodMs: ms(check.StartPeriod),
    retries: check.Retries === undefined || check.Retries <= 0 ? null : check.Retries,
  }
}

/** Compose's `depends_on` label (`db:service_healthy:false,…`), or Slipway's own in that format. */
function dependenciesOf(labels: Record<string, string>, context: ReadContext): Dependency[] {
  const value = labels[LABELS.dependsOn] ?? labels[COMPOSE_DEPENDS_ON]
  if (value === undefined || value === '') return []
  const services = new Set(context.serviceOfContainer.values())
  return value.split(',').flatMap((entry): Dependency[] => {
    const [service = '', condition = 'service_started'] = entry.split(':')
    const known = (DEPENDENCY_CONDITIONS as readonly string[]).includes(condition)
    return services.has(service) && known ? [{ service, condition: condition as Dependency['condition'] }] : []
  })
}

function extraHost(entry: string): { host: string; ip: string } {
  const at = entry.search(/[:=]/)
  return at < 0 ? { host: entry, ip: '' } : { host: entry.slice(0, at), ip: entry.slice(at + 1) }
}

interface Binding {
  readonly containerPort: number
  readonly protocol: PortMapping['protocol']
  readonly hostIp: string | null
  readonly hostPort: number | null
}

/** Bindings back into mappings; consecutive ports on both sides read as one range, as they were written. */
function portsOf(value: unknown): PortMapping[] {
  const bindings: Binding[] = []
  for (const [key, list] of Object.entries(
    (value ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>,
  )) {
    const [port = '0', protocol = 'tcp'] = key.split('/')
    for (const b of list ?? []) {
      const hostPort = Number(b.HostPort)
      bindings.push({
        containerPort: Number(port),
        protocol: protocol === 'udp' || protocol === 'sctp' ? protocol : 'tcp',
        hostIp: b.HostIp === undefined || b.HostIp === '' ? null : b.HostIp,
        hostPort: b.HostPort === undefined || b.HostPort === '' || hostPort === 0 ? null : hostPort,
      })
    }
  }
  bindings.sort(
    (a, b) =>
      a.protocol.localeCompare(b.protocol) ||
      (a.hostIp ?? '').localeCompare(b.hostIp ?? '') ||
      a.containerPort - b.containerPort ||
      (a.hostPort ?? 0) - (b.hostPort ?? 0),
  )
  const out: PortMapping[] = []
  for (const b of bindings) {
    const last = out.at(-1)
    const continues =
      last !== undefined &&
      b.hostPort !== null &&
      last.hostPort !== null &&
      last.protocol === b.protocol &&
      last.hostIp === b.hostIp &&
      (last.containerPortEnd ?? last.containerPort) + 1 === b.containerPort &&
      (last.hostPortEnd ?? last.hostPort) + 1 === b.hostPort
    if (continues) {
      out[out.length - 1] = { ...last, containerPortEnd: b.containerPort, hostPortEnd: b.hostPort }
    } else {
      out.push({ ...b, containerPortEnd: null, hostPortEnd: null })
    }
  }
  return out
}

/** Ports opened to other containers only: the container's own, minus the image's and the published ones. */
function exposedOf(own: unknown, image: unknown, published: unknown): string[] {
  const keys = (value: unknown): string[] => Object.keys(objectOrNull<object>(value) ?? {})
  const skip = new Set([...keys(image), ...keys(published)])
  const ports = keys(own)
    .filter((key) => !skip.has(key))
    .map((key) => {
      const [port = '0', protocol = 'tcp'] = key.split('/')
      return { port: Number(port), protocol }
    })
    .sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port)
  const ranges: { from: number; to: number; protocol: string }[] = []
  for (const p of ports) {
    const last = ranges.at(-1)
    if (last !== undefined && last.protocol === p.protocol && last.to + 1 === p.port) last.to = p.port
    else ranges.push({ from: p.port, to: p.port, protocol: p.protocol })
  }
  return ranges.map(
    (r) => `${r.from === r.to ? r.from : `${r.from}-${r.to}`}${r.protocol === 'tcp' ? '' : `/${r.protocol}`}`,
  )
}

interface MountRead {
  readonly Type?: string
  readonly Name?: string
  readonly Source?: string
  readonly Destination?: string
  readonly RW?: boolean
  readonly Propagation?: string
}

interface MountSpecRead {
  readonly Type?: string
  readonly Target?: string
  readonly ReadOnly?: boolean
  readonly VolumeOptions?: { NoCopy?: boolean }
  readonly TmpfsOptions?: { SizeBytes?: number; Mode?: number }
}

/** Mounts sorted by target. A bind given as a `Binds` string makes its missing folder (compose's `create_host_path`). */
function mountsOf(
  info: ContainerDetails,
  host: Loose,
  report: (setting: string, value: unknown) => void,
): VolumeMount[] {
  const binds = (strings(host['Binds']) ?? []).map((entry) => {
    const [, target = '', options = ''] = entry.split(':')
    return { target, options: options.split(',') }
  })
  const declared = (host['Mounts'] ?? []) as MountSpecRead[]
  const out: VolumeMount[] = []
  for (const m of (Array.isArray(info.Mounts) ? info.Mounts : []) as MountRead[]) {
    const target = m.Destination ?? ''
    const bind = binds.find((b) => b.target === target)
    const spec = declared.find((d) => d.Target === target)
    if (m.Type === 'bind') {
      out.push({
        kind: 'bind',
        source: m.Source ?? '',
        target,
        readOnly: m.RW === false,
        excludeFromSnapshots: false,
        createHostPath: bind !== undefined,
        propagation:
          m.Propagation === undefined || m.Propagation === '' || m.Propagation === 'rprivate'
            ? null
            : (m.Propagation as 'private'),
      })
    } else if (m.Type === 'volume') {
      out.push({
        kind: 'volume',
        source: m.Name ?? '',
        target,
        readOnly: m.RW === false,
        excludeFromSnapshots: false,
        noCopy: spec?.VolumeOptions?.NoCopy === true || bind?.options.includes('nocopy') === true,
      })
    } else if (m.Type !== 'tmpfs') {
      report(`Mounts.${target}`, m.Type)
    }
  }
  for (const d of declared.filter((m) => m.Type === 'tmpfs')) {
    out.push({
      kind: 'tmpfs',
      target: d.Target ?? '',
      readOnly: d.ReadOnly === true,
      sizeBytes: positive(d.TmpfsOptions?.SizeBytes),
      mode: d.TmpfsOptions?.Mode ?? null,
    })
  }
  for (const [target, options] of Object.entries(record(host['Tmpfs']))) {
    const option = (name: string): string | undefined =>
      options
        .split(',')
        .find((o) => o.startsWith(`${name}=`))
        ?.slice(name.length + 1)
    const size = option('size')
    const mode = option('mode')
    out.push({
      kind: 'tmpfs',
      target,
      readOnly: options.split(',').includes('ro'),
      sizeBytes: size === undefined ? null : bytesOf(size),
      mode: mode === undefined ? null : parseInt(mode, 8),
    })
  }
  return out.sort((a, b) => a.target.localeCompare(b.target))
}

/** The engine's size syntax (`64m`, `1g`, `512k`, bytes), binary units as the engine reads them. */
function bytesOf(size: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(size.trim())
  if (match === null) return null
  const power = ['', 'k', 'm', 'g', 't'].indexOf((match[2] ?? '').toLowerCase())
  return Math.round(Number(match[1]) * 1024 ** power)
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(String) : null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function record(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? { ...(value as Record<string, string>) } : {}
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && value > 0 ? value : null
}

function differing(own: string | null, fallback: string | null): string | null {
  return own === null || own === fallback ? null : own
}

function same(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** An engine field that should hold an object: as the shape it is read as, or null when it does not. */
function objectOrNull<T extends object>(value: unknown): T | null {
  return typeof value === 'object' && value !== null ? (value as T) : null
}

function shortJson(value: unknown): string {
  const json = value === undefined ? 'undefined' : JSON.stringify(value)
  return json.length > 200 ? `${json.slice(0, 199)}…` : json
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root
  for (const key of path) at = (at as Record<PropertyKey, unknown> | undefined)?.[key]
  return at
}

/**
 * The candidate with every value the schema refused taken out: the innermost list item on the
 * issue's path (one bad alias, not the whole network), else the map entry (one label), else the
 * whole field, back to its default.
 */
function withoutInvalid(
  candidate: Record<string, unknown>,
  issues: readonly { path: readonly PropertyKey[] }[],
): unknown {
  const copy = structuredClone(candidate)
  const doomed = new Map<unknown[], Set<number>>()
  for (const { path } of issues) {
    const top = String(path[0])
    let parent: unknown = copy
    let item: { list: unknown[]; index: number } | null = null
    for (const key of path) {
      if (Array.isArray(parent) && typeof key === 'number') item = { list: parent, index: key }
      parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key]
    }
    const map = copy[top]
    if (item !== null) doomed.set(item.list, (doomed.get(item.list) ?? new Set()).add(item.index))
    else if (MAP_FIELDS.has(top) && path.length >= 2 && isPlainObject(map))
      copy[top] = Object.fromEntries(Object.entries(map).filter(([key]) => key !== String(path[1])))
    else copy[top] = undefined
  }
  for (const [list, indexes] of doomed) {
    const kept = list.filter((_item, i) => !indexes.has(i))
    list.splice(0, list.length, ...kept)
  }
  for (const [field, value] of Object.entries(FIELD_DEFAULTS)) copy[field] ??= value
  // A field dropped whole is left out, so the schema gives it its default.
  return Object.fromEntries(Object.entries(copy).filter(([, value]) => value !== undefined))
}

const MAP_FIELDS = new Set(['labels', 'sysctls'])

/** The fields the schema wants given, at their empty values. */
const FIELD_DEFAULTS: Readonly<Record<string, unknown>> = {
  command: null,
  env: [],
  ports: [],
  volumes: [],
  restart: 'no',
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
