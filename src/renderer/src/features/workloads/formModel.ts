/**
 * The workload form's model: what the inputs hold (text as typed), how it becomes the contract's
 * input, and how the contract's validation issues land on fields named by their dotted path
 * (`services.0.volumes.1.source`), the same path a BAD_INPUT from main names in `details.field`.
 */
import type { TFunction } from 'i18next'
import type { z } from 'zod'
import { workloadInput, workloadUpdateInput } from '../../../../shared/contract'
import { SlipwayError } from '../../../../shared/errors'
import type {
  DependencyCondition,
  NetworkSpec,
  RestartPolicy,
  ServiceSpec,
  VolumeMount,
  VolumeSpec,
  WorkloadDetail,
} from '../../../../shared/types/workloads'
import { formatNumber } from '../../components/format'
import { joinCommand, splitCommand } from '../../../../shared/commandLine'

export const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'always', 'unless-stopped', 'on-failure']

let lastRowKey = 0
/** A stable React key for a row the user adds or removes. */
const rowKey = (): number => (lastRowKey += 1)

export interface EnvRow {
  readonly key: number
  readonly name: string
  readonly value: string
  readonly secret: boolean
  /** The name of a secret whose value main keeps: left empty (under that name), it stays as is. */
  readonly storedSecret: string | null
}

export interface PortRow {
  readonly key: number
  readonly hostIp: string
  /** `8080` or a range `8000-8010`; empty: any free port. */
  readonly hostPort: string
  readonly containerPort: string
  readonly protocol: 'tcp' | 'udp' | 'sctp'
}

export interface VolumeRow {
  readonly key: number
  readonly kind: 'bind' | 'volume' | 'tmpfs'
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
  readonly excludeFromSnapshots: boolean
  /** The saved mount: its settings the form does not edit (propagation, size…) are kept while the kind is. */
  readonly base: VolumeMount | null
}

export type HealthcheckMode = 'image' | 'shell' | 'exec' | 'disabled'

/** The settings the form edits beyond image, command, env, ports and mounts, as typed. */
export interface RuntimeValues {
  /** A command line; empty: the image's entrypoint (or none, when the saved spec had none). */
  readonly entrypoint: string
  readonly user: string
  readonly healthcheck: HealthcheckMode
  /** The shell line (`shell`) or the command line (`exec`). */
  readonly healthTest: string
  /** Seconds, as typed; empty: the engine's default. */
  readonly healthInterval: string
  readonly healthTimeout: string
  readonly healthStartPeriod: string
  readonly healthRetries: string
  /** MiB, as typed. */
  readonly memLimit: string
  readonly cpus: string
  readonly pidsLimit: string
  /** The networks the service joins, comma-separated; empty: the workload's default one. */
  readonly networks: string
  /** By service name: the condition it waits for; a service not listed is not waited on. */
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>
}

export interface ServiceValues {
  readonly key: number
  readonly name: string
  readonly image: string
  readonly command: string
  readonly env: readonly EnvRow[]
  readonly ports: readonly PortRow[]
  readonly volumes: readonly VolumeRow[]
  readonly restart: RestartPolicy
  readonly runtime: RuntimeValues
  /** The saved spec: every setting the form does not edit goes back to main exactly as it came. */
  readonly base: ServiceSpec | null
}

export interface WorkloadFormValues {
  readonly name: string
  readonly snapshotBeforeDeploy: boolean
  readonly services: readonly ServiceValues[]
  /** The saved workload-level networks and volumes, kept as they are; a network a service names anew is added. */
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

export const emptyEnv = (): EnvRow => ({ key: rowKey(), name: '', value: '', secret: false, storedSecret: null })

export const emptyPort = (): PortRow => ({
  key: rowKey(),
  hostIp: '',
  hostPort: '',
  containerPort: '',
  protocol: 'tcp',
})

export const emptyVolume = (): VolumeRow => ({
  key: rowKey(),
  kind: 'volume',
  source: '',
  target: '',
  readOnly: false,
  excludeFromSnapshots: false,
  base: null,
})

const emptyRuntime = (): RuntimeValues => ({
  entrypoint: '',
  user: '',
  healthcheck: 'image',
  healthTest: '',
  healthInterval: '',
  healthTimeout: '',
  healthStartPeriod: '',
  healthRetries: '',
  memLimit: '',
  cpus: '',
  pidsLimit: '',
  networks: '',
  dependsOn: {},
})

export const emptyService = (name = ''): ServiceValues => ({
  key: rowKey(),
  name,
  image: '',
  command: '',
  env: [],
  ports: [],
  volumes: [],
  restart: 'unless-stopped',
  runtime: emptyRuntime(),
  base: null,
})

export const emptyWorkloadForm = (): WorkloadFormValues => ({
  name: '',
  snapshotBeforeDeploy: true,
  services: [emptyService('app')],
  networks: [],
  volumes: [],
})

const MIB = 1024 * 1024
const seconds = (ms: number | null): string => (ms === null ? '' : String(ms / 1000))
const range = (start: number, end: number | null | undefined): string =>
  end === null || end === undefined || end === start ? String(start) : `${start}-${end}`

function runtimeValues(spec: ServiceSpec): RuntimeValues {
  const check = spec.healthcheck
  const [kind, ...test] = check?.test ?? []
  return {
    entrypoint: spec.entrypoint === null ? '' : joinCommand(spec.entrypoint),
    user: spec.user ?? '',
    healthcheck: check === null ? 'image' : kind === 'NONE' ? 'disabled' : kind === 'CMD-SHELL' ? 'shell' : 'exec',
    healthTest: kind === 'CMD-SHELL' ? (test[0] ?? '') : kind === 'CMD' ? joinCommand(test) : '',
    healthInterval: seconds(check?.intervalMs ?? null),
    healthTimeout: seconds(check?.timeoutMs ?? null),
    healthStartPeriod: seconds(check?.startPeriodMs ?? null),
    healthRetries: check?.retries === null || check?.retries === undefined ? '' : String(check.retries),
    memLimit: spec.memLimitBytes === null ? '' : String(spec.memLimitBytes / MIB),
    cpus: spec.cpus === null ? '' : String(spec.cpus),
    pidsLimit: spec.pidsLimit === null ? '' : String(spec.pidsLimit),
    networks: spec.networks.map((n) => n.network).join(', '),
    dependsOn: Object.fromEntries(spec.dependsOn.map((d) => [d.service, d.condition])),
  }
}

function serviceValues(spec: ServiceSpec): ServiceValues {
  return {
    key: rowKey(),
    name: spec.name,
    image: spec.image,
    command: joinCommand(spec.command),
    env: spec.env.map((env) => ({
      key: rowKey(),
      name: env.name,
      value: env.secret ? '' : (env.value ?? ''),
      secret: env.secret,
      storedSecret: env.secret ? env.name : null,
    })),
    ports: spec.ports.map((port) => ({
      key: rowKey(),
      hostIp: port.hostIp ?? '',
      hostPort: port.hostPort === null ? '' : range(port.hostPort, port.hostPortEnd),
      containerPort: range(port.containerPort, port.containerPortEnd),
      protocol: port.protocol,
    })),
    volumes: spec.volumes.map((volume) => ({
      key: rowKey(),
      kind: volume.kind,
      source: volume.kind === 'tmpfs' ? '' : volume.source,
      target: volume.target,
      readOnly: volume.readOnly,
      excludeFromSnapshots: volume.kind === 'tmpfs' ? false : volume.excludeFromSnapshots,
      base: volume,
    })),
    restart: spec.restart,
    runtime: runtimeValues(spec),
    base: spec,
  }
}

export function formValuesFromWorkload(workload: WorkloadDetail): WorkloadFormValues {
  return {
    name: workload.name,
    snapshotBeforeDeploy: workload.snapshotBeforeDeploy,
    services: workload.services.map(serviceValues),
    networks: workload.networks,
    volumes: workload.volumes,
  }
}

/** Field errors by dotted path. */
export type FieldErrors = Readonly<Record<string, string>>

type Path = readonly (string | number)[]
const dotted = (path: Path): string => path.map(String).join('.')

const portNumber = (text: string): number => {
  const trimmed = text.trim()
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
}

/** `8000-8010` → start and end; a single port has no end. Anything else is NaN, which the schema refuses. */
function portRange(text: string): { start: number; end: number | null } {
  const [start = '', end, ...rest] = text.split('-')
  if (rest.length > 0) return { start: Number.NaN, end: null }
  return { start: portNumber(start), end: end === undefined ? null : portNumber(end) }
}

/** A number as typed; empty is null (the default); anything unreadable is NaN, which the schema refuses. */
function optionalNumber(text: string, scale = 1): number | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Math.round(Number(trimmed) * scale * 1000) / 1000 : Number.NaN
}

function healthcheckOf(runtime: RuntimeValues): unknown {
  const timing = {
    intervalMs: optionalNumber(runtime.healthInterval, 1000),
    timeoutMs: optionalNumber(runtime.healthTimeout, 1000),
    startPeriodMs: optionalNumber(runtime.healthStartPeriod, 1000),
    retries: optionalNumber(runtime.healthRetries),
  }
  switch (runtime.healthcheck) {
    case 'image':
      return null
    case 'disabled':
      return { test: ['NONE'] }
    case 'shell':
      return { ...timing, test: ['CMD-SHELL', runtime.healthTest] }
    case 'exec': {
      const split = splitCommand(runtime.healthTest)
      return { ...timing, test: ['CMD', ...((split.ok ? split.argv : null) ?? [])] }
    }
  }
}

function networksOf(runtime: RuntimeValues, base: ServiceSpec | null): unknown[] {
  const names = runtime.networks
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  // A network kept by name keeps its aliases and fixed addresses.
  return names.map((name) => base?.networks.find((n) => n.network === name) ?? { network: name })
}

function mountOf(row: VolumeRow): Record<string, unknown> {
  const base = row.base?.kind === row.kind ? row.base : {}
  const common = { ...base, kind: row.kind, target: row.target.trim(), readOnly: row.readOnly }
  if (row.kind === 'tmpfs') return common
  return { ...common, source: row.source.trim(), excludeFromSnapshots: row.excludeFromSnapshots }
}

/** The entrypoint as typed; an empty one stays "none" when the saved spec had none, else is the image's. */
function entrypointOf(text: string, base: ServiceSpec | null): { ok: boolean; value: readonly string[] | null } {
  if (text.trim() === '') return { ok: true, value: base?.entrypoint?.length === 0 ? [] : null }
  const split = splitCommand(text)
  return split.ok ? { ok: true, value: split.argv } : { ok: false, value: null }
}

/** A secret left empty under its stored name keeps the stored value (null); anything else is sent. */
function envValue(row: EnvRow): string | null {
  return row.secret && row.storedSecret === row.name.trim() && row.value === '' ? null : row.value
}

interface Candidate {
  readonly body: Record<string, unknown>
  /** Problems found before the schema runs: a command line with an open quote, by dotted path. */
  readonly commandErrors: readonly string[]
}

/** The object the contract's schema judges; the schema, not this function, decides what is valid. */
function toCandidate(values: WorkloadFormValues): Candidate {
  const commandErrors: string[] = []
  const services = values.services.map((service, index) => {
    const at = `services.${index}`
    const { base, runtime } = service
    const split = splitCommand(service.command)
    if (!split.ok) commandErrors.push(`${at}.command`)
    const entrypoint = entrypointOf(runtime.entrypoint, base)
    if (!entrypoint.ok) commandErrors.push(`${at}.entrypoint`)
    if (runtime.healthcheck === 'exec' && !splitCommand(runtime.healthTest).ok)
      commandErrors.push(`${at}.healthcheck.test`)
    return {
      ...base,
      name: service.name.trim(),
      image: service.image,
      entrypoint: entrypoint.value,
      command: split.ok ? split.argv : null,
      user: runtime.user.trim() === '' ? null : runtime.user.trim(),
      env: service.env.map((row) => ({ name: row.name.trim(), value: envValue(row), secret: row.secret })),
      healthcheck: healthcheckOf(runtime),
      dependsOn: Object.entries(runtime.dependsOn).map(([name, condition]) => ({ service: name, condition })),
      networks: networksOf(runtime, base),
      ports: service.ports.map((row) => {
        const host = row.hostPort.trim() === '' ? null : portRange(row.hostPort)
        const container = portRange(row.containerPort)
        return {
          hostIp: row.hostIp.trim() === '' ? null : row.hostIp.trim(),
          hostPort: host?.start ?? null,
          hostPortEnd: host?.end ?? null,
          containerPort: container.start,
          containerPortEnd: container.end,
          protocol: row.protocol,
        }
      }),
      volumes: service.volumes.map(mountOf),
      memLimitBytes: optionalNumber(runtime.memLimit, MIB),
      cpus: optionalNumber(runtime.cpus),
      pidsLimit: optionalNumber(runtime.pidsLimit),
      restart: service.restart,
      restartMaxRetries: service.restart === 'on-failure' ? (base?.restartMaxRetries ?? null) : null,
    }
  })
  return {
    body: {
      name: values.name.trim(),
      snapshotBeforeDeploy: values.snapshotBeforeDeploy,
      services,
      networks: withNamedNetworks(values.networks, services),
      volumes: values.volumes,
    },
    commandErrors,
  }
}

/** The saved networks, plus a plain bridge network for every name a service joins that none declares. */
function withNamedNetworks(
  declared: readonly NetworkSpec[],
  services: readonly { networks: readonly unknown[] }[],
): unknown[] {
  const known = new Set(declared.map((n) => n.name))
  const added = new Set<string>()
  for (const service of services)
    for (const attachment of service.networks as { network: string }[])
      if (!known.has(attachment.network)) added.add(attachment.network)
  return [...declared, ...[...added].map((name) => ({ name }))]
}

/** Every path the form shows an error at; an issue deeper than these lands on its nearest ancestor. */
export function fieldPaths(values: WorkloadFormValues): ReadonlySet<string> {
  const paths = ['name', 'snapshotBeforeDeploy', 'services']
  values.services.forEach((service, i) => {
    const at = `services.${i}`
    // A setting the form does not show lands on the service itself.
    paths.push(at)
    paths.push(`${at}.name`, `${at}.image`, `${at}.command`, `${at}.restart`, `${at}.env`, `${at}.ports`)
    paths.push(`${at}.volumes`, `${at}.entrypoint`, `${at}.user`, `${at}.healthcheck`, `${at}.healthcheck.test`)
    paths.push(`${at}.healthcheck.intervalMs`, `${at}.healthcheck.timeoutMs`, `${at}.healthcheck.startPeriodMs`)
    paths.push(`${at}.healthcheck.retries`, `${at}.memLimitBytes`, `${at}.cpus`, `${at}.pidsLimit`)
    paths.push(`${at}.networks`, `${at}.dependsOn`, `${at}.networkMode`)
    service.env.forEach((_row, j) => paths.push(`${at}.env.${j}.name`, `${at}.env.${j}.value`, `${at}.env.${j}.secret`))
    service.ports.forEach((_row, j) =>
      paths.push(
        `${at}.ports.${j}.hostIp`,
        `${at}.ports.${j}.hostPort`,
        `${at}.ports.${j}.containerPort`,
        `${at}.ports.${j}.protocol`,
      ),
    )
    service.volumes.forEach((_row, j) =>
      paths.push(
        `${at}.volumes.${j}.kind`,
        `${at}.volumes.${j}.source`,
        `${at}.volumes.${j}.target`,
        `${at}.volumes.${j}.readOnly`,
        `${at}.volumes.${j}.excludeFromSnapshots`,
      ),
    )
  })
  return new Set(paths)
}

/** A range's end is typed in the same input as its start (`8000-8010`). */
const ON_INPUT: Readonly<Record<string, string>> = {
  hostPortEnd: 'hostPort',
  containerPortEnd: 'containerPort',
  // The reservation is kept from the saved spec; what the user changes is the limit.
  memReservationBytes: 'memLimitBytes',
}
const onInput = (path: Path): Path => path.map((part) => (typeof part === 'string' ? (ON_INPUT[part] ?? part) : part))

/** The nearest path the form shows, or null when the issue is about the form as a whole. */
export function nearestField(known: ReadonlySet<string>, path: Path): string | null {
  for (let length = path.length; length > 0; length -= 1) {
    const candidate = dotted(path.slice(0, length))
    if (known.has(candidate)) return candidate
  }
  return null
}

type Issue = z.core.$ZodIssue

/** The translated message for a field; the issue (when there is one) refines it. */
export function fieldMessage(
  t: TFunction,
  language: string,
  values: WorkloadFormValues,
  field: string,
  issue?: Issue,
): string {
  const parts = field.split('.')
  const last = parts[parts.length - 1]
  const depth = parts.length
  if (issue?.code === 'too_big' && issue.origin === 'string') {
    return t('workloads.form.errors.tooLong', { max: formatNumber(language, Number(issue.maximum)) })
  }
  if (field === 'name') return t('workloads.form.errors.workloadName')
  if (field === 'services') {
    if (issue?.code === 'too_small') return t('workloads.form.errors.noServices')
    if (issue?.code === 'too_big') {
      return t('workloads.form.errors.tooManyServices', { max: formatNumber(language, Number(issue.maximum)) })
    }
    return t('workloads.form.errors.duplicateService')
  }
  if (depth === 2) return t('workloads.form.errors.hiddenSetting', { setting: String(issue?.path[2] ?? '') })
  if (depth === 3) {
    switch (last) {
      case 'name':
        return t('workloads.form.errors.serviceName')
      case 'image':
        return t('workloads.form.errors.image')
      case 'command':
        return t('workloads.form.errors.command')
      case 'env':
        return t('workloads.form.errors.duplicateEnv')
      case 'volumes':
        return t('workloads.form.errors.duplicateTarget')
      case 'ports':
        return t('workloads.form.errors.tooManyRows')
      case 'entrypoint':
        return t('workloads.form.errors.command')
      case 'user':
        return t('workloads.form.errors.user')
      case 'networks':
      case 'networkMode':
        return t('workloads.form.errors.networks')
      case 'dependsOn':
        return t('workloads.form.errors.dependsOn')
      case 'memLimitBytes':
        return t('workloads.form.errors.memLimit')
      case 'cpus':
      case 'pidsLimit':
        return t('workloads.form.errors.number')
      case 'healthcheck':
        return t('workloads.form.errors.healthcheck')
      default:
        return t('workloads.form.errors.invalid')
    }
  }
  if (parts[2] === 'healthcheck')
    return last === 'test' ? t('workloads.form.errors.healthcheck') : t('workloads.form.errors.seconds')
  switch (last) {
    case 'name':
      return t('workloads.form.errors.envName')
    case 'value':
      return t('workloads.form.errors.envValue')
    case 'hostIp':
      return t('workloads.form.errors.hostIp')
    case 'hostPort':
    case 'containerPort':
      return t('workloads.form.errors.port')
    case 'source': {
      const service = values.services[Number(parts[1])]
      const volume = service?.volumes[Number(parts[3])]
      return volume?.kind === 'bind' ? t('workloads.form.errors.bindSource') : t('workloads.form.errors.volumeSource')
    }
    case 'target':
      return t('workloads.form.errors.target')
    default:
      return t('workloads.form.errors.invalid')
  }
}

/** Calls `report` with the index of every item whose key an earlier item already had. */
function repeated<T>(items: readonly T[], keyOf: (item: T) => string, report: (index: number) => void): void {
  const seen = new Set<string>()
  items.forEach((item, index) => {
    const key = keyOf(item)
    if (key !== '' && seen.has(key)) report(index)
    seen.add(key)
  })
}

/**
 * What the schema only says once every field is fine (its refinements run last), found at once and
 * pinned on the repeated row: a second service, variable or mount target with the same name.
 */
function duplicates(t: TFunction, body: Record<string, unknown>): Record<string, string> {
  const found: Record<string, string> = {}
  const services = body.services as readonly {
    name: string
    env: readonly { name: string }[]
    volumes: readonly { target: string }[]
  }[]
  repeated(
    services,
    (service) => service.name,
    (i) => (found[`services.${i}.name`] = t('workloads.form.errors.duplicateService')),
  )
  services.forEach((service, i) => {
    repeated(
      service.env,
      (env) => env.name,
      (j) => (found[`services.${i}.env.${j}.name`] = t('workloads.form.errors.duplicateEnv')),
    )
    repeated(
      service.volumes,
      (volume) => volume.target,
      (j) => (found[`services.${i}.volumes.${j}.target`] = t('workloads.form.errors.duplicateTarget')),
    )
  })
  return found
}

export type Validation =
  | { readonly ok: true; readonly input: z.output<typeof workloadInput> | z.output<typeof workloadUpdateInput> }
  | { readonly ok: false; readonly errors: FieldErrors; readonly formError: boolean }

/** Validates with the contract's own schema (create: with hostId; edit: with workloadId). */
export function validate(
  t: TFunction,
  language: string,
  values: WorkloadFormValues,
  target: { readonly hostId: string } | { readonly workloadId: string },
): Validation {
  const { body, commandErrors } = toCandidate(values)
  const candidate = { ...target, ...body }
  const parsed = 'hostId' in target ? workloadInput.safeParse(candidate) : workloadUpdateInput.safeParse(candidate)
  const known = fieldPaths(values)
  const errors: Record<string, string> = {}
  let formError = false
  for (const field of commandErrors) errors[field] = t('workloads.form.errors.unterminated')
  const repeats = duplicates(t, body)
  // A list-level "duplicate" issue is already pinned on the repeated row: say it once, there.
  const pinned = (field: string): boolean =>
    Object.keys(repeats).some((row) =>
      field === 'services' ? /^services\.\d+\.name$/.test(row) : row.startsWith(`${field}.`),
    )
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = nearestField(known, onInput(issue.path as Path))
      if (field === null) formError = true
      else if (!(issue.code === 'custom' && pinned(field))) {
        errors[field] ??= fieldMessage(t, language, values, field, issue)
      }
    }
  }
  for (const [field, message] of Object.entries(repeats)) errors[field] ??= message
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data }
  return { ok: false, errors, formError }
}

/** An error main pinned on one field: BAD_INPUT names it in `details.field`, as does a taken name. */
export interface ServerFieldError {
  readonly field: string
  readonly taken: boolean
}

export function serverFieldError(values: WorkloadFormValues, error: unknown): ServerFieldError | null {
  if (!(error instanceof SlipwayError)) return null
  const field = error.details?.field
  if (typeof field !== 'string' || field === '') return null
  if (error.code === 'CONFLICT' && field === 'name') return { field, taken: true }
  if (error.code !== 'BAD_INPUT') return null
  const known = nearestField(fieldPaths(values), field.split('.'))
  return known === null ? null : { field: known, taken: false }
}

/** A DOM id for the input at a dotted path. */
export const inputIdFor = (formId: string, field: string): string => `${formId}-${field.replaceAll('.', '-')}`
