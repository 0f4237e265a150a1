/**
 * A workload's services and resources as Slipway runs them. Names and semantics follow the
 * Compose Specification (camel-cased: `stop_grace_period` → `stopGracePeriodMs`), so a compose
 * file maps one to one. Units are in the names: sizes in bytes, durations in milliseconds. Every
 * field has a default, so a caller that knows only the first few still sends a valid spec.
 *
 * Networks and volumes are named as the engine names them (`myapp_default`, `myapp_db-data`): a
 * workload that is renamed keeps its volumes.
 */
import { z } from 'zod'
import { isCidr, isIp, isIpv4, isIpv6 } from './netAddress'
import { absolutePathSchema, imageRefSchema, localPathSchema, portSchema, slugSchema, volumeNameSchema } from './schema'

const MIB = 1024 * 1024
const DAY_MS = 24 * 3600 * 1000

const noControl = (text: string): boolean => !/[\0\r\n]/.test(text)
const line = (max: number) => z.string().max(max).refine(noControl, 'control character')
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max).default([])
const pattern = (max: number, regex: RegExp, what: string) => z.string().min(1).max(max).regex(regex, what)
/** A map of names to text, as compose's `labels`, `sysctls` or driver options. */
const textMap = (key: RegExp, what: string) =>
  z
    .record(pattern(255, key, what), line(4096))
    .refine((map) => Object.keys(map).length <= 200, 'too many entries')
    .default({})

const ipSchema = z.string().max(45).refine(isIp, 'ip')
const ipv4Schema = z.string().max(15).refine(isIpv4, 'ipv4')
const ipv6Schema = z.string().max(45).refine(isIpv6, 'ipv6')
const cidrSchema = z.string().max(49).refine(isCidr, 'cidr')
const durationMs = z.number().int().min(1).max(DAY_MS)
const nonNegativeInt = z.number().int().min(0)

/** A network as the engine names it. `bridge`, `host`, `none` and `default` are modes, not networks. */
export const networkNameSchema = pattern(128, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'network').refine(
  (name) => !['bridge', 'host', 'none', 'default'].includes(name),
  'reserved network name',
)
const hostLabel = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const dnsName = new RegExp(`^${hostLabel}(\\.${hostLabel})*$`)
const serviceRef = '[a-z0-9][a-z0-9_.-]{0,62}'
const containerRef = '[A-Za-z0-9][A-Za-z0-9_.-]{0,127}'

export const envVarSchema = z.strictObject({
  name: pattern(256, /^[A-Za-z_][A-Za-z0-9_.-]*$/, 'env name'),
  /** null for a secret: main keeps its value in the secret store (on update, null keeps the stored one). */
  value: z.string().max(32_768).nullable(),
  secret: z.boolean(),
})

export const envFileSchema = z.strictObject({
  /** A file on this computer, read at every deploy as compose reads `env_file` (KEY=VALUE lines). */
  path: localPathSchema,
  /** A missing optional file is skipped; a missing required one fails the deploy. */
  required: z.boolean().default(true),
})

export const portSpecSchema = z
  .strictObject({
    containerPort: portSchema,
    /** The last port of a range (`8000-8010`), else null. */
    containerPortEnd: portSchema.nullable().default(null),
    /** null: the engine picks a free port. */
    hostPort: portSchema.nullable(),
    hostPortEnd: portSchema.nullable().default(null),
    hostIp: ipSchema.nullable().default(null),
    protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp'),
  })
  .superRefine((port, ctx) => {
    const containerSpan = (port.containerPortEnd ?? port.containerPort) - port.containerPort
    if (containerSpan < 0) ctx.addIssue({ code: 'custom', message: 'range', path: ['containerPortEnd'] })
    if (containerSpan >= 1000) ctx.addIssue({ code: 'custom', message: 'range too long', path: ['containerPortEnd'] })
    if (port.hostPort === null) {
      if (port.hostPortEnd !== null) ctx.addIssue({ code: 'custom', message: 'range', path: ['hostPortEnd'] })
      return
    }
    const hostSpan = (port.hostPortEnd ?? port.hostPort) - port.hostPort
    if (hostSpan !== containerSpan)
      ctx.addIssue({ code: 'custom', message: 'port ranges of unequal length', path: ['hostPortEnd'] })
  })

const mountTarget = absolutePathSchema.refine((target) => target !== '/' && !target.split('/').includes('..'), 'target')

export const bindMountSchema = z.strictObject({
  kind: z.literal('bind'),
  source: absolutePathSchema,
  target: mountTarget,
  readOnly: z.boolean().default(false),
  /** Left out of snapshots (e.g. big media). */
  excludeFromSnapshots: z.boolean().default(false),
  /** Compose's `bind.create_host_path`: the engine makes a missing source folder (else a missing one fails the deploy). */
  createHostPath: z.boolean().default(false),
  propagation: z.enum(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']).nullable().default(null),
})

export const volumeMountSchema = z.strictObject({
  kind: z.literal('volume'),
  /** The volume's name on the engine. */
  source: volumeNameSchema,
  target: mountTarget,
  readOnly: z.boolean().default(false),
  excludeFromSnapshots: z.boolean().default(false),
  /** Compose's `volume.nocopy`: an empty volume is not filled from the image's folder. */
  noCopy: z.boolean().default(false),
})

/** Memory only: never captured in a snapshot, empty after every start. */
export const tmpfsMountSchema = z.strictObject({
  kind: z.literal('tmpfs'),
  target: mountTarget,
  readOnly: z.boolean().default(false),
  sizeBytes: z.number().int().min(1).nullable().default(null),
  mode: z.number().int().min(0).max(0o7777).nullable().default(null),
})

export const mountSchema = z.discriminatedUnion('kind', [bindMountSchema, volumeMountSchema, tmpfsMountSchema])

export const healthcheckSchema = z.strictObject({
  /** `["CMD", argv…]`, `["CMD-SHELL", line]`, or `["NONE"]` (compose's `disable: true`). */
  test: z
    .array(z.string().max(4096))
    .min(1)
    .max(256)
    .refine(
      (test) =>
        (test[0] === 'CMD' && test.length >= 2) ||
        (test[0] === 'CMD-SHELL' && test.length === 2) ||
        (test[0] === 'NONE' && test.length === 1),
      'healthcheck test',
    ),
  /** null: the engine's default (30 s, 30 s, 0 s, 3). */
  intervalMs: durationMs.nullable().default(null),
  timeoutMs: durationMs.nullable().default(null),
  startPeriodMs: durationMs.nullable().default(null),
  retries: z.number().int().min(1).max(1000).nullable().default(null),
})

export const DEPENDENCY_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const

export const dependencySchema = z.strictObject({
  service: slugSchema,
  condition: z.enum(DEPENDENCY_CONDITIONS).default('service_started'),
})

export const serviceNetworkSchema = z.strictObject({
  network: networkNameSchema,
  /** Names the engine's DNS answers on this network (compose's container names have underscores). */
  aliases: list(pattern(253, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'alias'), 32),
  ipv4Address: ipv4Schema.nullable().default(null),
  ipv6Address: ipv6Schema.nullable().default(null),
})

export const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'] as const

export const serviceSpecSchema = z
  .strictObject({
    name: slugSchema,
    image: imageRefSchema,
    /** null: the image's entrypoint; []: none at all. */
    entrypoint: z.array(z.string().max(4096)).max(256).nullable().default(null),
    /** null: the image's command. */
    command: z.array(z.string().max(4096)).max(256).nullable(),
    workingDir: absolutePathSchema.nullable().default(null),
    /** `uid`, `uid:gid`, `name` or `name:group`; null: the image's user. */
    user: pattern(128, /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/, 'user')
      .nullable()
      .default(null),
    hostname: pattern(63, dnsName, 'hostname').nullable().default(null),
    labels: textMap(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'label').refine(
      (labels) => Object.keys(labels).every((key) => !key.startsWith('io.slipway.')),
      'io.slipway.* labels are Slipway’s own',
    ),
    env: z.array(envVarSchema).max(500),
    envFiles: list(envFileSchema, 16),
    healthcheck: healthcheckSchema.nullable().default(null),
    dependsOn: list(dependencySchema, 20),
    networks: list(serviceNetworkSchema, 16),
    /** null: the workload's networks (its default one when none are listed). */
    networkMode: pattern(
      138,
      new RegExp(`^(bridge|host|none|service:${serviceRef}|container:${containerRef})$`),
      'network mode',
    )
      .nullable()
      .default(null),
    extraHosts: list(
      z.strictObject({
        host: pattern(253, dnsName, 'host'),
        ip: z
          .string()
          .max(45)
          .refine((ip) => ip === 'host-gateway' || isIp(ip), 'ip'),
      }),
      100,
    ),
    dns: list(ipSchema, 16),
    dnsSearch: list(pattern(253, dnsName, 'domain'), 16),
    dnsOpt: list(pattern(128, /^[A-Za-z0-9_:.-]+$/, 'dns option'), 16),
    ports: z.array(portSpecSchema).max(100),
    /** Ports open to other containers only (`80`, `8000-8010/udp`). */
    expose: list(pattern(17, /^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/, 'port'), 100),
    volumes: z.array(mountSchema).max(100),
    devices: list(
      z.strictObject({
        source: absolutePathSchema,
        target: absolutePathSchema,
        permissions: pattern(3, /^(?!.*(.).*\1)[rwm]{1,3}$/, 'permissions').default('rwm'),
      }),
      64,
    ),
    capAdd: list(pattern(64, /^(CAP_)?[A-Z][A-Z_]*$/, 'capability'), 64),
    capDrop: list(pattern(64, /^(CAP_)?[A-Z][A-Z_]*$/, 'capability'), 64),
    privileged: z.boolean().default(false),
    securityOpt: list(line(1024).min(1), 32),
    sysctls: textMap(/^[a-z0-9_][a-z0-9_./-]*$/, 'sysctl'),
    ulimits: list(
      z
        .strictObject({
          name: pattern(32, /^[a-z]+$/, 'ulimit'),
          soft: z.number().int().min(-1),
          hard: z.number().int().min(-1),
        })
        .refine((u) => u.hard === -1 || (u.soft !== -1 && u.soft <= u.hard), {
          message: 'soft above hard',
          path: ['soft'],
        }),
      32,
    ),
    groupAdd: list(pattern(64, /^[A-Za-z0-9_.-]+$/, 'group'), 32),
    memLimitBytes: z
      .number()
      .int()
      .min(6 * MIB)
      .nullable()
      .default(null),
    memReservationBytes: z.number().int().min(MIB).nullable().default(null),
    cpus: z.number().min(0.001).max(1024).nullable().default(null),
    cpuShares: z.number().int().min(2).max(262_144).nullable().default(null),
    cpuset: pattern(256, /^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'cpuset')
      .nullable()
      .default(null),
    pidsLimit: z
      .number()
      .int()
      .min(-1)
      .refine((n) => n !== 0, 'pids limit')
      .nullable()
      .default(null),
    shmSizeBytes: z.number().int().min(1).nullable().default(null),
    pid: pattern(138, new RegExp(`^(host|service:${serviceRef}|container:${containerRef})$`), 'pid')
      .nullable()
      .default(null),
    ipc: pattern(
      138,
      new RegExp(`^(host|private|shareable|none|service:${serviceRef}|container:${containerRef})$`),
      'ipc',
    )
      .nullable()
      .default(null),
    runtime: pattern(128, /^[A-Za-z0-9_.-]+$/, 'runtime')
      .nullable()
      .default(null),
    /** null: the engine's default (no init). */
    init: z.boolean().nullable().default(null),
    stopSignal: pattern(16, /^((SIG)?[A-Z][A-Z0-9+-]*|\d{1,2})$/, 'signal')
      .nullable()
      .default(null),
    /** How long a stop waits before SIGKILL (whole seconds on the engine); null: 10 s. */
    stopGracePeriodMs: nonNegativeInt.max(DAY_MS).nullable().default(null),
    restart: z.enum(RESTART_POLICIES),
    /** `on-failure:N`. */
    restartMaxRetries: z.number().int().min(1).max(10_000).nullable().default(null),
    logging: z
      .strictObject({
        driver: pattern(128, /^[A-Za-z0-9_.:/-]+$/, 'log driver'),
        options: textMap(/^[A-Za-z0-9_.-]+$/, 'log option'),
      })
      .nullable()
      .default(null),
    tty: z.boolean().default(false),
    stdinOpen: z.boolean().default(false),
    /** The root filesystem read-only. */
    readOnly: z.boolean().default(false),
  })
  .superRefine((service, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', message, path })
    if (new Set(service.env.map((e) => e.name)).size !== service.env.length) issue(['env'], 'duplicate env')
    if (new Set(service.volumes.map((v) => v.target)).size !== service.volumes.length)
      issue(['volumes'], 'duplicate target')
    if (new Set(service.networks.map((n) => n.network)).size !== service.networks.length)
      issue(['networks'], 'duplicate network')
    if (service.restartMaxRetries !== null && service.restart !== 'on-failure')
      issue(['restartMaxRetries'], 'retries need on-failure')
    if (
      service.memLimitBytes !== null &&
      service.memReservationBytes !== null &&
      service.memReservationBytes > service.memLimitBytes
    )
      issue(['memReservationBytes'], 'reservation above limit')
    const mode = service.networkMode
    if (mode !== null) {
      if (service.networks.length > 0) issue(['networks'], 'networks with a network mode')
      if (mode !== 'bridge' && service.ports.length > 0) issue(['ports'], 'published ports need a network')
      if (mode.includes(':')) {
        for (const field of ['hostname', 'dns', 'extraHosts', 'expose'] as const) {
          const value = service[field]
          if (value !== null && (!Array.isArray(value) || value.length > 0))
            issue([field], "set by the other container's network")
        }
      }
    }
  })

export const networkSpecSchema = z.strictObject({
  name: networkNameSchema,
  /** Must exist already; Slipway never creates or removes it. */
  external: z.boolean().default(false),
  /** null: the engine's default (bridge). */
  driver: pattern(128, /^[A-Za-z0-9_.:/-]+$/, 'driver')
    .nullable()
    .default(null),
  driverOpts: textMap(/^[A-Za-z0-9_.-]+$/, 'option'),
  internal: z.boolean().default(false),
  attachable: z.boolean().default(false),
  enableIpv6: z.boolean().default(false),
  ipam: z
    .strictObject({
      driver: pattern(128, /^[A-Za-z0-9_.:/-]+$/, 'driver')
        .nullable()
        .default(null),
      config: list(
        z.strictObject({
          subnet: cidrSchema,
          ipRange: cidrSchema.nullable().default(null),
          gateway: ipSchema.nullable().default(null),
        }),
        8,
      ),
      options: textMap(/^[A-Za-z0-9_.-]+$/, 'option'),
    })
    .nullable()
    .default(null),
  labels: textMap(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'label'),
})

export const volumeSpecSchema = z.strictObject({
  name: volumeNameSchema,
  external: z.boolean().default(false),
  driver: pattern(128, /^[A-Za-z0-9_.:/-]+$/, 'driver')
    .nullable()
    .default(null),
  driverOpts: textMap(/^[A-Za-z0-9_.-]+$/, 'option'),
  labels: textMap(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'label'),
})

export type EnvVar = z.output<typeof envVarSchema>
export type EnvFile = z.output<typeof envFileSchema>
export type PortMapping = z.output<typeof portSpecSchema>
export type BindMount = z.output<typeof bindMountSchema>
export type NamedVolumeMount = z.output<typeof volumeMountSchema>
export type TmpfsMount = z.output<typeof tmpfsMountSchema>
export type VolumeMount = z.output<typeof mountSchema>
/** The mounts whose data lives on the host: what snapshots capture and restores replace. */
export type DataMount = BindMount | NamedVolumeMount
export type Healthcheck = z.output<typeof healthcheckSchema>
export type Dependency = z.output<typeof dependencySchema>
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number]
export type ServiceNetwork = z.output<typeof serviceNetworkSchema>
export type RestartPolicy = (typeof RESTART_POLICIES)[number]
export type ServiceSpec = z.output<typeof serviceSpecSchema>
export type NetworkSpec = z.output<typeof networkSpecSchema>
export type VolumeSpec = z.output<typeof volumeSpecSchema>

export function isDataMount(mount: VolumeMount): mount is DataMount {
  return mount.kind !== 'tmpfs'
}

/** The network Slipway makes for a workload of more than one service whose services name none. */
export function defaultNetworkName(workloadName: string): string {
  return `${workloadName}_default`
}

/** The service another one's network, pid or ipc namespace is taken from (`service:db`), if any. */
export function namespaceSource(value: string | null): string | null {
  return value?.startsWith('service:') === true ? value.slice('service:'.length) : null
}

/** Every service a service needs started first: its `dependsOn` and the services whose namespaces it joins. */
export function prerequisites(service: Pick<ServiceSpec, 'dependsOn' | 'networkMode' | 'pid' | 'ipc'>): string[] {
  const joined = [service.networkMode, service.pid, service.ipc].map(namespaceSource).filter((s) => s !== null)
  return [...new Set([...service.dependsOn.map((d) => d.service), ...joined])]
}

/**
 * The services in start order: every service after the ones it needs, ties kept in the order
 * given. null when they need each other in a circle (the spec is refused before that).
 */
export function startOrder<T extends Pick<ServiceSpec, 'name' | 'dependsOn' | 'networkMode' | 'pid' | 'ipc'>>(
  services: readonly T[],
): T[] | null {
  const byName = new Map(services.map((s) => [s.name, s]))
  const state = new Map<string, 'visiting' | 'done'>()
  const order: T[] = []
  const visit = (service: T): boolean => {
    const seen = state.get(service.name)
    if (seen === 'done') return true
    if (seen === 'visiting') return false
    state.set(service.name, 'visiting')
    for (const name of prerequisites(service)) {
      const needed = byName.get(name)
      if (needed !== undefined && !visit(needed)) return false
    }
    state.set(service.name, 'done')
    order.push(service)
    return true
  }
  for (const service of services) if (!visit(service)) return null
  return order
}

export interface SpecIssue {
  readonly path: readonly (string | number)[]
  readonly message: string
}

/** What only the whole workload can tell: references between services, to networks, and cycles. */
export function workloadSpecIssues(workload: {
  readonly name: string
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}): SpecIssue[] {
  const issues: SpecIssue[] = []
  const names = new Set(workload.services.map((s) => s.name))
  const networks = new Map(workload.networks.map((n) => [n.name, n]))
  if (names.size !== workload.services.length) issues.push({ path: ['services'], message: 'duplicate service' })
  if (networks.size !== workload.networks.length) issues.push({ path: ['networks'], message: 'duplicate network' })
  if (new Set(workload.volumes.map((v) => v.name)).size !== workload.volumes.length)
    issues.push({ path: ['volumes'], message: 'duplicate volume' })
  const implicit = defaultNetworkName(workload.name)

  workload.services.forEach((service, i) => {
    service.dependsOn.forEach((dependency, j) => {
      if (dependency.service === service.name || !names.has(dependency.service))
        issues.push({ path: ['services', i, 'dependsOn', j, 'service'], message: 'unknown service' })
    })
    for (const field of ['networkMode', 'pid', 'ipc'] as const) {
      const source = namespaceSource(service[field])
      if (source !== null && (source === service.name || !names.has(source)))
        issues.push({ path: ['services', i, field], message: 'unknown service' })
    }
    service.networks.forEach((attachment, j) => {
      const declared = networks.get(attachment.network)
      if (declared === undefined && attachment.network !== implicit) {
        issues.push({ path: ['services', i, 'networks', j, 'network'], message: 'undeclared network' })
        return
      }
      const fixed = attachment.ipv4Address !== null || attachment.ipv6Address !== null
      if (fixed && declared?.external !== true && (declared?.ipam?.config.length ?? 0) === 0)
        issues.push({
          path: ['services', i, 'networks', j, attachment.ipv4Address !== null ? 'ipv4Address' : 'ipv6Address'],
          message: 'a fixed address needs a subnet on the network',
        })
    })
  })
  const cyclic = workload.services.findIndex((s) => onCycle(workload.services, s))
  if (cyclic >= 0) issues.push({ path: ['services', cyclic, 'dependsOn'], message: 'dependency cycle' })
  return issues
}

/** Whether the service needs, through any chain of prerequisites, itself. */
function onCycle(services: readonly ServiceSpec[], service: ServiceSpec): boolean {
  const byName = new Map(services.map((s) => [s.name, s]))
  const seen = new Set<string>()
  const pending = prerequisites(service)
  while (pending.length > 0) {
    const name = pending.pop() ?? ''
    if (name === service.name) return true
    if (seen.has(name)) continue
    seen.add(name)
    const next = byName.get(name)
    if (next !== undefined) pending.push(...prerequisites(next))
  }
  return false
}
