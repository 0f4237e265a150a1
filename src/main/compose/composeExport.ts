/**
 * A workload written out as a compose file and its `.env`: what `docker-compose config` accepts and
 * what `readCompose` reads back into the same spec. Secret values never appear in the file: each is
 * a `${NAME}` reference, and `.env` names it, empty unless the caller asks for the values.
 */
import { stringify } from 'yaml'
import type { ComposeExport } from '../../shared/types/compose'
import type { NetworkSpec, PortMapping, ServiceSpec, VolumeMount, VolumeSpec } from '../../shared/types/workloads'

export interface ExportSource {
  readonly name: string
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

type Doc = Record<string, unknown>

/** `secretValue` gives a secret's value only when the user asked to include secrets. */
export function exportCompose(
  workload: ExportSource,
  secretValue: (service: string, name: string) => string | null,
): ComposeExport {
  const project = workload.name
  const networkKey = keyFor(project, workload.networks)
  const volumeKey = keyFor(project, workload.volumes)
  const env: string[] = []
  const services: Doc = {}
  for (const service of workload.services) {
    services[service.name] = serviceDoc(service, networkKey, volumeKey, (name) => {
      // One variable per service and name, so two services' secrets of the same name stay apart.
      const variable =
        workload.services.filter((s) => s.env.some((e) => e.secret && e.name === name)).length > 1
          ? `${service.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${name}`
          : name
      if (!env.some((line) => line.startsWith(`${variable}=`)))
        env.push(`${variable}=${dotenvValue(secretValue(service.name, name))}`)
      return `\${${variable}}`
    })
  }
  // No top-level `name`: the project is named where it is brought up (compose v1 refuses the key).
  const doc: Doc = { services }
  const networks = Object.fromEntries(
    workload.networks.map((n) => [networkKey(n.name), networkDoc(project, networkKey(n.name), n)]),
  )
  if (Object.keys(networks).length > 0) doc['networks'] = networks
  const volumes = Object.fromEntries(
    workload.volumes.map((v) => [volumeKey(v.name), volumeDoc(project, volumeKey(v.name), v)]),
  )
  // A named volume mounted but not declared is declared plainly, under its full name.
  for (const service of workload.services)
    for (const mount of service.volumes)
      if (mount.kind === 'volume' && volumes[volumeKey(mount.source)] === undefined)
        volumes[volumeKey(mount.source)] =
          volumeKey(mount.source) === mount.source && !mount.source.startsWith(`${project}_`)
            ? { name: mount.source }
            : {}
  if (Object.keys(volumes).length > 0) doc['volumes'] = volumes
  // YAML 1.1 quoting, so `restart: "no"` stays a string for compose v1, which reads YAML 1.1.
  return {
    compose: stringify(doc, { lineWidth: 0, version: '1.1' }),
    env: env.length === 0 ? '' : `${env.join('\n')}\n`,
  }
}

/** A value in `.env` quoted so that it reads back exactly (compose's `.env` is not interpolated inside '…'). */
function dotenvValue(value: string | null): string {
  if (value === null || value === '') return ''
  return value.includes("'") || value.includes('\n') ? JSON.stringify(value) : `'${value}'`
}

/** The key a network or volume has in the file: its name without the project's prefix, when it carries it. */
function keyFor(project: string, declared: readonly { name: string; external: boolean }[]): (name: string) => string {
  const external = new Set(declared.filter((d) => d.external).map((d) => d.name))
  return (name) => (!external.has(name) && name.startsWith(`${project}_`) ? name.slice(project.length + 1) : name)
}

function serviceDoc(
  s: ServiceSpec,
  networkKey: (name: string) => string,
  volumeKey: (name: string) => string,
  secretRef: (name: string) => string,
): Doc {
  const doc: Doc = { image: s.image }
  const set = (key: string, value: unknown, when: boolean): void => {
    if (when) doc[key] = value
  }
  set('entrypoint', s.entrypoint?.length === 0 ? [''] : s.entrypoint, s.entrypoint !== null)
  set('command', s.command, s.command !== null)
  set('working_dir', s.workingDir, s.workingDir !== null)
  set('user', s.user, s.user !== null)
  set('hostname', s.hostname, s.hostname !== null)
  set('labels', s.labels, Object.keys(s.labels).length > 0)
  set(
    'environment',
    Object.fromEntries(s.env.map((e) => [e.name, e.secret ? secretRef(e.name) : escapeDollars(e.value ?? '')])),
    s.env.length > 0,
  )
  set(
    'env_file',
    // The long form only where it says something (compose v1 reads paths only).
    s.envFiles.map((f) => (f.required ? f.path : { path: f.path, required: false })),
    s.envFiles.length > 0,
  )
  if (s.healthcheck !== null) {
    const h = s.healthcheck
    doc['healthcheck'] =
      h.test[0] === 'NONE'
        ? { disable: true }
        : omitNull({
            test: h.test,
            interval: duration(h.intervalMs),
            timeout: duration(h.timeoutMs),
            start_period: duration(h.startPeriodMs),
            retries: h.retries,
          })
  }
  set(
    'depends_on',
    Object.fromEntries(s.dependsOn.map((d) => [d.service, { condition: d.condition }])),
    s.dependsOn.length > 0,
  )
  set(
    'networks',
    Object.fromEntries(
      s.networks.map((n) => [
        networkKey(n.network),
        omitNull({
          aliases: n.aliases.length > 0 ? n.aliases : null,
          ipv4_address: n.ipv4Address,
          ipv6_address: n.ipv6Address,
        }),
      ]),
    ),
    s.networks.length > 0,
  )
  set('network_mode', s.networkMode, s.networkMode !== null)
  set(
    'extra_hosts',
    s.extraHosts.map((h) => `${h.host}=${h.ip}`),
    s.extraHosts.length > 0,
  )
  set('dns', s.dns, s.dns.length > 0)
  set('dns_search', s.dnsSearch, s.dnsSearch.length > 0)
  set('dns_opt', s.dnsOpt, s.dnsOpt.length > 0)
  set('ports', s.ports.map(portText), s.ports.length > 0)
  set('expose', s.expose, s.expose.length > 0)
  set(
    'volumes',
    s.volumes.map((v) => mountDoc(v, volumeKey)),
    s.volumes.length > 0,
  )
  set(
    'devices',
    s.devices.map((d) => `${d.source}:${d.target}:${d.permissions}`),
    s.devices.length > 0,
  )
  set('cap_add', s.capAdd, s.capAdd.length > 0)
  set('cap_drop', s.capDrop, s.capDrop.length > 0)
  set('privileged', true, s.privileged)
  set('security_opt', s.securityOpt, s.securityOpt.length > 0)
  set('sysctls', s.sysctls, Object.keys(s.sysctls).length > 0)
  set(
    'ulimits',
    Object.fromEntries(s.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }])),
    s.ulimits.length > 0,
  )
  set('group_add', s.groupAdd, s.groupAdd.length > 0)
  set('mem_limit', s.memLimitBytes, s.memLimitBytes !== null)
  set('mem_reservation', s.memReservationBytes, s.memReservationBytes !== null)
  set('cpus', s.cpus, s.cpus !== null)
  set('cpu_shares', s.cpuShares, s.cpuShares !== null)
  set('cpuset', s.cpuset, s.cpuset !== null)
  set('pids_limit', s.pidsLimit, s.pidsLimit !== null)
  set('shm_size', s.shmSizeBytes, s.shmSizeBytes !== null)
  set('pid', s.pid, s.pid !== null)
  set('ipc', s.ipc, s.ipc !== null)
  set('runtime', s.runtime, s.runtime !== null)
  set('init', s.init, s.init !== null)
  set('stop_signal', s.stopSignal, s.stopSignal !== null)
  set('stop_grace_period', duration(s.stopGracePeriodMs), s.stopGracePeriodMs !== null)
  doc['restart'] = s.restartMaxRetries === null ? s.restart : `${s.restart}:${s.restartMaxRetries}`
  set('logging', { driver: s.logging?.driver, options: s.logging?.options }, s.logging !== null)
  set('tty', true, s.tty)
  set('stdin_open', true, s.stdinOpen)
  set('read_only', true, s.readOnly)
  return doc
}

/** A literal `$` in a value must not be read as a variable when the file is read again. */
const escapeDollars = (value: string): string => value.replaceAll('$', '$$$$')

function omitNull(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null && v !== undefined))
}

function duration(ms: number | null): string | null {
  if (ms === null) return null
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

function portText(p: PortMapping): string {
  const range = (start: number, end: number | null | undefined): string =>
    end === null || end === undefined ? String(start) : `${start}-${end}`
  const container = `${range(p.containerPort, p.containerPortEnd)}/${p.protocol}`
  if (p.hostPort === null) return p.hostIp === null ? container : `${hostIp(p.hostIp)}::${container}`
  const host = range(p.hostPort, p.hostPortEnd)
  return p.hostIp === null ? `${host}:${container}` : `${hostIp(p.hostIp)}:${host}:${container}`
}

const hostIp = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip)

function mountDoc(v: VolumeMount, volumeKey: (name: string) => string): Doc | string {
  switch (v.kind) {
    case 'bind':
      // The short syntax is the one that makes a missing host folder (and the only form compose v1 reads so).
      if (v.createHostPath && !v.excludeFromSnapshots) {
        const options = [v.readOnly ? 'ro' : null, v.propagation].filter((o) => o !== null)
        return [v.source, v.target, ...(options.length > 0 ? [options.join(',')] : [])].join(':')
      }
      return omitNull({
        type: 'bind',
        source: v.source,
        target: v.target,
        read_only: v.readOnly ? true : null,
        bind: omitNull({ propagation: v.propagation, create_host_path: v.createHostPath ? true : null }),
        'x-slipway-exclude-from-snapshots': v.excludeFromSnapshots ? true : null,
      })
    case 'volume':
      return omitNull({
        type: 'volume',
        source: volumeKey(v.source),
        target: v.target,
        read_only: v.readOnly ? true : null,
        volume: v.noCopy ? { nocopy: true } : null,
        'x-slipway-exclude-from-snapshots': v.excludeFromSnapshots ? true : null,
      })
    case 'tmpfs':
      return omitNull({
        type: 'tmpfs',
        target: v.target,
        read_only: v.readOnly ? true : null,
        tmpfs: v.sizeBytes === null && v.mode === null ? null : omitNull({ size: v.sizeBytes, mode: v.mode }),
      })
  }
}

function networkDoc(project: string, key: string, n: NetworkSpec): Doc {
  if (n.external) return key === n.name ? { external: true } : { external: true, name: n.name }
  return omitNull({
    name: n.name === `${project}_${key}` ? null : n.name,
    driver: n.driver,
    driver_opts: Object.keys(n.driverOpts).length > 0 ? n.driverOpts : null,
    internal: n.internal ? true : null,
    attachable: n.attachable ? true : null,
    enable_ipv6: n.enableIpv6 ? true : null,
    ipam:
      n.ipam === null
        ? null
        : omitNull({
            driver: n.ipam.driver,
            config: n.ipam.config.map((c) => omitNull({ subnet: c.subnet, ip_range: c.ipRange, gateway: c.gateway })),
            options: Object.keys(n.ipam.options).length > 0 ? n.ipam.options : null,
          }),
    labels: userLabels(n.labels),
  })
}

function volumeDoc(project: string, key: string, v: VolumeSpec): Doc {
  if (v.external) return key === v.name ? { external: true } : { external: true, name: v.name }
  return omitNull({
    name: v.name === `${project}_${key}` ? null : v.name,
    driver: v.driver,
    driver_opts: Object.keys(v.driverOpts).length > 0 ? v.driverOpts : null,
    labels: userLabels(v.labels),
  })
}

/** Compose sets its own labels when it makes the resource: writing them out would be refused by compose. */
function userLabels(labels: Readonly<Record<string, string>>): Record<string, string> | null {
  const own = Object.fromEntries(Object.entries(labels).filter(([key]) => !key.startsWith('com.docker.compose.')))
  return Object.keys(own).length > 0 ? own : null
}
