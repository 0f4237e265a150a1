/**
 * Every setting of a service that differs from the engine's default, as label/value rows for the
 * read-only configuration view: what the next deploy runs, in full. Secret values never appear.
 */
import type { TFunction } from 'i18next'
import { joinCommand } from '../../../../shared/commandLine'
import type {
  DependencyCondition,
  Healthcheck,
  ServiceNetwork,
  ServiceSpec,
  VolumeMount,
} from '../../../../shared/types/workloads'
import { formatBytes, formatDuration, formatNumber } from '../../components/format'
import { formatPort, restartLabel } from './workloadText'

export interface SettingRow {
  /** The spec field the row shows (a stable test hook). */
  readonly field: string
  readonly label: string
  /** One line per value. */
  readonly lines: readonly string[]
  /** Technical text (paths, names, command lines) set in the monospace face. */
  readonly mono: boolean
}

const pairs = (map: Readonly<Record<string, string>>): string[] =>
  Object.entries(map).map(([key, value]) => `${key}=${value}`)

export function serviceSettings(t: TFunction, language: string, service: ServiceSpec): SettingRow[] {
  const rows: SettingRow[] = []
  const add = (field: string, label: string, lines: readonly string[], mono = true): void => {
    if (lines.length > 0) rows.push({ field, label, lines, mono })
  }
  const text = (field: string, label: string, value: string | null): void =>
    add(field, label, value === null ? [] : [value])
  const flag = (field: string, label: string, on: boolean): void =>
    add(field, label, on ? [t('common.yes')] : [], false)
  const bytes = (value: number | null): string | null => (value === null ? null : formatBytes(language, value))

  text('image', t('workloads.form.image'), service.image)
  add(
    'entrypoint',
    t('workloads.setting.entrypoint'),
    entrypointLines(t, service.entrypoint),
    service.entrypoint !== null && service.entrypoint.length > 0,
  )
  add(
    'command',
    t('workloads.form.command'),
    [service.command === null ? t('workloads.config.defaultCommand') : joinCommand(service.command)],
    service.command !== null,
  )
  text('workingDir', t('workloads.setting.workingDir'), service.workingDir)
  text('user', t('workloads.setting.user'), service.user)
  text('hostname', t('workloads.setting.hostname'), service.hostname)
  add(
    'restart',
    t('workloads.form.restart'),
    [
      service.restartMaxRetries === null
        ? restartLabel(t, service.restart)
        : t('workloads.setting.restartRetries', {
            policy: restartLabel(t, service.restart),
            retries: formatNumber(language, service.restartMaxRetries),
          }),
    ],
    false,
  )
  add('ports', t('workloads.form.ports.title'), service.ports.map(formatPort))
  add('expose', t('workloads.setting.expose'), service.expose)
  add(
    'env',
    t('workloads.form.env.title'),
    service.env.map((env) =>
      env.secret ? t('workloads.config.secretEnv', { name: env.name }) : `${env.name}=${env.value ?? ''}`,
    ),
  )
  add(
    'envFiles',
    t('workloads.setting.envFiles'),
    service.envFiles.map((file) =>
      file.required ? file.path : t('workloads.setting.optionalFile', { path: file.path }),
    ),
  )
  add('labels', t('workloads.setting.labels'), pairs(service.labels))
  add('healthcheck', t('workloads.setting.healthcheck'), healthcheckLines(t, language, service.healthcheck))
  add(
    'dependsOn',
    t('workloads.setting.dependsOn'),
    service.dependsOn.map((d) => `${d.service} — ${conditionLabel(t, d.condition)}`),
  )
  add('networks', t('workloads.setting.networks'), service.networks.map(networkLine))
  text('networkMode', t('workloads.setting.networkMode'), service.networkMode)
  add(
    'extraHosts',
    t('workloads.setting.extraHosts'),
    service.extraHosts.map((h) => `${h.host} → ${h.ip}`),
  )
  add('dns', t('workloads.setting.dns'), [
    ...service.dns,
    ...service.dnsSearch.map((d) => `search ${d}`),
    ...service.dnsOpt.map((o) => `options ${o}`),
  ])
  add(
    'volumes',
    t('workloads.form.volumes.title'),
    service.volumes.map((v) => mountLine(t, language, v)),
  )
  add(
    'devices',
    t('workloads.setting.devices'),
    service.devices.map((d) => `${d.source} → ${d.target} (${d.permissions})`),
  )
  add('capAdd', t('workloads.setting.capAdd'), service.capAdd)
  add('capDrop', t('workloads.setting.capDrop'), service.capDrop)
  flag('privileged', t('workloads.setting.privileged'), service.privileged)
  add('securityOpt', t('workloads.setting.securityOpt'), service.securityOpt)
  add('sysctls', t('workloads.setting.sysctls'), pairs(service.sysctls))
  add(
    'ulimits',
    t('workloads.setting.ulimits'),
    service.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`),
  )
  add('groupAdd', t('workloads.setting.groupAdd'), service.groupAdd)
  text('memLimitBytes', t('workloads.setting.memLimit'), bytes(service.memLimitBytes))
  text('memReservationBytes', t('workloads.setting.memReservation'), bytes(service.memReservationBytes))
  text('cpus', t('workloads.setting.cpus'), service.cpus === null ? null : formatNumber(language, service.cpus))
  text('cpuShares', t('workloads.setting.cpuShares'), service.cpuShares === null ? null : String(service.cpuShares))
  text('cpuset', t('workloads.setting.cpuset'), service.cpuset)
  text('pidsLimit', t('workloads.setting.pidsLimit'), service.pidsLimit === null ? null : String(service.pidsLimit))
  text('shmSizeBytes', t('workloads.setting.shmSize'), bytes(service.shmSizeBytes))
  text('pid', t('workloads.setting.pid'), service.pid)
  text('ipc', t('workloads.setting.ipc'), service.ipc)
  text('runtime', t('workloads.setting.runtime'), service.runtime)
  add(
    'init',
    t('workloads.setting.init'),
    service.init === null ? [] : [service.init ? t('common.yes') : t('common.no')],
    false,
  )
  text('stopSignal', t('workloads.setting.stopSignal'), service.stopSignal)
  add(
    'stopGracePeriodMs',
    t('workloads.setting.stopGracePeriod'),
    service.stopGracePeriodMs === null ? [] : [formatDuration(language, service.stopGracePeriodMs)],
    false,
  )
  add(
    'logging',
    t('workloads.setting.logging'),
    service.logging === null ? [] : [service.logging.driver, ...pairs(service.logging.options)],
  )
  flag('tty', t('workloads.setting.tty'), service.tty)
  flag('stdinOpen', t('workloads.setting.stdinOpen'), service.stdinOpen)
  flag('readOnly', t('workloads.setting.readOnlyRoot'), service.readOnly)
  return rows
}

function entrypointLines(t: TFunction, entrypoint: readonly string[] | null): string[] {
  if (entrypoint === null) return []
  return [entrypoint.length === 0 ? t('workloads.setting.noEntrypoint') : joinCommand(entrypoint)]
}

function healthcheckLines(t: TFunction, language: string, check: Healthcheck | null): string[] {
  if (check === null) return []
  const [kind, ...rest] = check.test
  if (kind === 'NONE') return [t('workloads.setting.healthcheckDisabled')]
  const lines = [kind === 'CMD-SHELL' ? (rest[0] ?? '') : joinCommand(rest)]
  const duration = (ms: number | null): string | null => (ms === null ? null : formatDuration(language, ms))
  const timing = [
    duration(check.intervalMs) === null ? null : t('workloads.setting.every', { duration: duration(check.intervalMs) }),
    duration(check.timeoutMs) === null ? null : t('workloads.setting.timeout', { duration: duration(check.timeoutMs) }),
    duration(check.startPeriodMs) === null
      ? null
      : t('workloads.setting.startPeriod', { duration: duration(check.startPeriodMs) }),
    check.retries === null ? null : t('workloads.setting.retries', { retries: formatNumber(language, check.retries) }),
  ].filter((part) => part !== null)
  if (timing.length > 0) lines.push(timing.join(', '))
  return lines
}

export function conditionLabel(t: TFunction, condition: DependencyCondition): string {
  switch (condition) {
    case 'service_started':
      return t('workloads.condition.started')
    case 'service_healthy':
      return t('workloads.condition.healthy')
    case 'service_completed_successfully':
      return t('workloads.condition.completed')
  }
}

function networkLine(network: ServiceNetwork): string {
  const extras = [...network.aliases, network.ipv4Address, network.ipv6Address].filter((x) => x !== null)
  return extras.length === 0 ? network.network : `${network.network} (${extras.join(', ')})`
}

export function mountLine(t: TFunction, language: string, mount: VolumeMount): string {
  const notes: string[] = []
  if (mount.readOnly) notes.push(t('workloads.form.volumes.readOnly'))
  switch (mount.kind) {
    case 'tmpfs':
      if (mount.sizeBytes !== null) notes.push(formatBytes(language, mount.sizeBytes))
      if (mount.mode !== null) notes.push(`mode ${mount.mode.toString(8).padStart(4, '0')}`)
      notes.push(t('workloads.config.tmpfsNeverCaptured'))
      return `tmpfs → ${mount.target} (${notes.join(', ')})`
    case 'bind':
      notes.unshift(t('workloads.config.bind'))
      if (mount.createHostPath) notes.push(t('workloads.config.createHostPath'))
      if (mount.propagation !== null) notes.push(mount.propagation)
      if (mount.excludeFromSnapshots) notes.push(t('workloads.config.notSnapshotted'))
      return `${mount.source} → ${mount.target} (${notes.join(', ')})`
    case 'volume':
      notes.unshift(t('workloads.config.volume'))
      if (mount.noCopy) notes.push(t('workloads.config.noCopy'))
      if (mount.excludeFromSnapshots) notes.push(t('workloads.config.notSnapshotted'))
      return `${mount.source} → ${mount.target} (${notes.join(', ')})`
  }
}
