/**
 * The workload form's model: what the inputs hold (text as typed), how it becomes the contract's
 * input, and how the contract's validation issues land on fields named by their dotted path
 * (`services.0.volumes.1.source`), the same path a BAD_INPUT from main names in `details.field`.
 */
import type { TFunction } from 'i18next'
import type { z } from 'zod'
import { workloadInput, workloadUpdateInput } from '../../../../shared/contract'
import { SlipwayError } from '../../../../shared/errors'
import type { RestartPolicy, ServiceSpec, WorkloadDetail } from '../../../../shared/types/workloads'
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
  readonly hostPort: string
  readonly containerPort: string
  readonly protocol: 'tcp' | 'udp'
}

export interface VolumeRow {
  readonly key: number
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
  readonly excludeFromSnapshots: boolean
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
}

export interface WorkloadFormValues {
  readonly name: string
  readonly snapshotBeforeDeploy: boolean
  readonly services: readonly ServiceValues[]
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
})

export const emptyWorkloadForm = (): WorkloadFormValues => ({
  name: '',
  snapshotBeforeDeploy: true,
  services: [emptyService('app')],
})

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
      hostPort: String(port.hostPort),
      containerPort: String(port.containerPort),
      protocol: port.protocol,
    })),
    volumes: spec.volumes.map((volume) => ({ key: rowKey(), ...volume })),
    restart: spec.restart,
  }
}

export function formValuesFromWorkload(workload: WorkloadDetail): WorkloadFormValues {
  return {
    name: workload.name,
    snapshotBeforeDeploy: workload.snapshotBeforeDeploy,
    services: workload.services.map(serviceValues),
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

/** A secret left empty under its stored name keeps the stored value (null); anything else is sent. */
function envValue(row: EnvRow): string | null {
  return row.secret && row.storedSecret === row.name.trim() && row.value === '' ? null : row.value
}

interface Candidate {
  readonly body: Record<string, unknown>
  /** Problems found before the schema runs: a command line with an open quote. */
  readonly commandErrors: readonly number[]
}

/** The object the contract's schema judges; the schema, not this function, decides what is valid. */
function toCandidate(values: WorkloadFormValues): Candidate {
  const commandErrors: number[] = []
  const services = values.services.map((service, index) => {
    const split = splitCommand(service.command)
    if (!split.ok) commandErrors.push(index)
    return {
      name: service.name.trim(),
      image: service.image,
      command: split.ok ? split.argv : null,
      env: service.env.map((row) => ({ name: row.name.trim(), value: envValue(row), secret: row.secret })),
      ports: service.ports.map((row) => ({
        hostIp: row.hostIp.trim() === '' ? null : row.hostIp.trim(),
        hostPort: portNumber(row.hostPort),
        containerPort: portNumber(row.containerPort),
        protocol: row.protocol,
      })),
      volumes: service.volumes.map((row) => ({
        kind: row.kind,
        source: row.source.trim(),
        target: row.target.trim(),
        readOnly: row.readOnly,
        excludeFromSnapshots: row.excludeFromSnapshots,
      })),
      restart: service.restart,
    }
  })
  return {
    body: { name: values.name.trim(), snapshotBeforeDeploy: values.snapshotBeforeDeploy, services },
    commandErrors,
  }
}

/** Every path the form shows an error at; an issue deeper than these lands on its nearest ancestor. */
export function fieldPaths(values: WorkloadFormValues): ReadonlySet<string> {
  const paths = ['name', 'snapshotBeforeDeploy', 'services']
  values.services.forEach((service, i) => {
    const at = `services.${i}`
    paths.push(`${at}.name`, `${at}.image`, `${at}.command`, `${at}.restart`, `${at}.env`, `${at}.ports`)
    paths.push(`${at}.volumes`)
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
      default:
        return t('workloads.form.errors.invalid')
    }
  }
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
  for (const index of commandErrors) errors[`services.${index}.command`] = t('workloads.form.errors.unterminated')
  const repeats = duplicates(t, body)
  // A list-level "duplicate" issue is already pinned on the repeated row: say it once, there.
  const pinned = (field: string): boolean =>
    Object.keys(repeats).some((row) =>
      field === 'services' ? /^services\.\d+\.name$/.test(row) : row.startsWith(`${field}.`),
    )
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = nearestField(known, issue.path as Path)
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
