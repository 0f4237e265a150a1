/** A service spec as the Engine API's create body, plus the networks joined after create. */
import { namespaceSource } from '../../../shared/serviceSpec'
import type { PortMapping, ServiceSpec, VolumeMount } from '../../../shared/types/workloads'
import type { EndpointSpec } from '../../docker/containerLifecycle'
import type { ContainerCreateSpec } from '../../docker/engine'

/** A `Mounts` entry as the Engine API takes it (dockerode's typing wants fields the API leaves optional). */
interface MountSettings {
  readonly Type: 'bind' | 'volume' | 'tmpfs'
  readonly Source?: string
  readonly Target: string
  readonly ReadOnly: boolean
  readonly BindOptions?: { readonly Propagation: string }
  readonly VolumeOptions?: { readonly NoCopy: boolean }
  readonly TmpfsOptions?: { readonly SizeBytes?: number; readonly Mode?: number }
}
type EngineMounts = NonNullable<NonNullable<ContainerCreateSpec['HostConfig']>['Mounts']>
import { LABELS } from './labels'
import { aliasesOn, attachmentsOf } from './workloadResources'

const NS_PER_MS = 1_000_000

export function containerName(workloadName: string, service: string): string {
  return `${workloadName}-${service}`
}

export interface CreatePlan {
  readonly spec: ContainerCreateSpec
  /**
   * Networks beyond the first, joined after create and before start: engines before API 1.44 take
   * one network in the create body.
   */
  readonly connects: readonly { readonly network: string; readonly endpoint: EndpointSpec }[]
}

export interface CreateInput {
  readonly workload: { readonly id: string; readonly name: string; readonly services: readonly ServiceSpec[] }
  readonly deployId: string
  readonly service: ServiceSpec
  readonly imageId: string
  readonly env: readonly { readonly name: string; readonly value: string }[]
  /** The new container of another service of this deploy, for `service:<name>` namespaces. */
  readonly containerOf: (service: string) => string
}

/** Docker create options for one service, pinned to an image id. */
export function createPlan(input: CreateInput): CreatePlan {
  const { service } = input
  const endpoints = attachmentsOf(input.workload, service).map((attachment) => ({
    network: attachment.network,
    endpoint: endpointOf(service, attachment),
  }))
  const first = endpoints[0]
  const { exposed, bindings } = publishedPorts(service.ports, service.expose)
  const mounts = mountsOf(service.volumes)
  const spec: ContainerCreateSpec = {
    name: `${containerName(input.workload.name, service.name)}-${input.deployId.slice(0, 8)}`,
    Image: input.imageId,
    ...(service.entrypoint === null
      ? {}
      : { Entrypoint: service.entrypoint.length === 0 ? [''] : [...service.entrypoint] }),
    ...(service.command === null ? {} : { Cmd: [...service.command] }),
    ...(service.workingDir === null ? {} : { WorkingDir: service.workingDir }),
    ...(service.user === null ? {} : { User: service.user }),
    ...(service.hostname === null ? {} : { Hostname: service.hostname }),
    Env: input.env.map((e) => `${e.name}=${e.value}`),
    Labels: {
      ...service.labels,
      [LABELS.workload]: input.workload.id,
      [LABELS.service]: service.name,
      [LABELS.deploy]: input.deployId,
      ...dependencyLabel(service),
    },
    ...(service.healthcheck === null ? {} : { Healthcheck: healthcheckOf(service.healthcheck) }),
    ExposedPorts: exposed,
    Tty: service.tty,
    OpenStdin: service.stdinOpen,
    ...(service.stopSignal === null ? {} : { StopSignal: service.stopSignal }),
    ...(service.stopGracePeriodMs === null ? {} : { StopTimeout: Math.ceil(service.stopGracePeriodMs / 1000) }),
    HostConfig: {
      NetworkMode: networkModeOf(service, first?.network, input.containerOf),
      PortBindings: bindings,
      Binds: mounts.binds,
      Mounts: mounts.mounts as EngineMounts,
      RestartPolicy: {
        Name: service.restart === 'no' ? '' : service.restart,
        MaximumRetryCount: service.restartMaxRetries ?? 0,
      },
      Devices: service.devices.map((d) => ({
        PathOnHost: d.source,
        PathInContainer: d.target,
        CgroupPermissions: d.permissions,
      })),
      CapAdd: [...service.capAdd],
      CapDrop: [...service.capDrop],
      Privileged: service.privileged,
      SecurityOpt: [...service.securityOpt],
      Sysctls: { ...service.sysctls },
      Ulimits: service.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      GroupAdd: [...service.groupAdd],
      ExtraHosts: service.extraHosts.map((h) => `${h.host}:${h.ip}`),
      Dns: [...service.dns],
      DnsSearch: [...service.dnsSearch],
      DnsOptions: [...service.dnsOpt],
      ReadonlyRootfs: service.readOnly,
      ...(service.memLimitBytes === null ? {} : { Memory: service.memLimitBytes }),
      ...(service.memReservationBytes === null ? {} : { MemoryReservation: service.memReservationBytes }),
      ...(service.cpus === null ? {} : { NanoCpus: Math.round(service.cpus * 1e9) }),
      ...(service.cpuShares === null ? {} : { CpuShares: service.cpuShares }),
      ...(service.cpuset === null ? {} : { CpusetCpus: service.cpuset }),
      ...(service.pidsLimit === null ? {} : { PidsLimit: service.pidsLimit }),
      ...(service.shmSizeBytes === null ? {} : { ShmSize: service.shmSizeBytes }),
      ...(service.pid === null ? {} : { PidMode: namespaceOf(service.pid, input.containerOf) }),
      ...(service.ipc === null ? {} : { IpcMode: namespaceOf(service.ipc, input.containerOf) }),
      ...(service.runtime === null ? {} : { Runtime: service.runtime }),
      ...(service.init === null ? {} : { Init: service.init }),
      ...(service.logging === null
        ? {}
        : { LogConfig: { Type: service.logging.driver, Config: { ...service.logging.options } } }),
    },
    ...(first === undefined ? {} : { NetworkingConfig: { EndpointsConfig: { [first.network]: first.endpoint } } }),
  }
  return { spec, connects: endpoints.slice(1) }
}

function endpointOf(service: ServiceSpec, attachment: ServiceSpec['networks'][number]): EndpointSpec {
  const fixed = {
    ...(attachment.ipv4Address === null ? {} : { IPv4Address: attachment.ipv4Address }),
    ...(attachment.ipv6Address === null ? {} : { IPv6Address: attachment.ipv6Address }),
  }
  return {
    Aliases: aliasesOn(service, attachment),
    ...(Object.keys(fixed).length === 0 ? {} : { IPAMConfig: fixed }),
  }
}

/** `service:db` joins the new db container's namespace; the engine spells it `container:<id>`. */
function namespaceOf(value: string, containerOf: (service: string) => string): string {
  const source = namespaceSource(value)
  return source === null ? value : `container:${containerOf(source)}`
}

function networkModeOf(
  service: ServiceSpec,
  firstNetwork: string | undefined,
  containerOf: (service: string) => string,
): string {
  if (service.networkMode !== null) return namespaceOf(service.networkMode, containerOf)
  return firstNetwork ?? 'default'
}

/**
 * `dependsOn` in compose's label format (`db:service_healthy:false,…`), so that what the engine
 * holds tells the whole spec: reading the container back gives the spec it was made from.
 */
function dependencyLabel(service: ServiceSpec): Record<string, string> {
  if (service.dependsOn.length === 0) return {}
  return { [LABELS.dependsOn]: service.dependsOn.map((d) => `${d.service}:${d.condition}:false`).join(',') }
}

function healthcheckOf(check: NonNullable<ServiceSpec['healthcheck']>): Record<string, unknown> {
  const ns = (ms: number | null): number => (ms === null ? 0 : ms * NS_PER_MS)
  return {
    Test: [...check.test],
    Interval: ns(check.intervalMs),
    Timeout: ns(check.timeoutMs),
    StartPeriod: ns(check.startPeriodMs),
    Retries: check.retries ?? 0,
  }
}

/** Every port of a range is its own binding (`8000-8002:9000-9002` is three). */
function publishedPorts(
  ports: readonly PortMapping[],
  expose: readonly string[],
): { exposed: Record<string, object>; bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const exposed: Record<string, object> = {}
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const port of ports) {
    const span = (port.containerPortEnd ?? port.containerPort) - port.containerPort
    for (let i = 0; i <= span; i += 1) {
      const key = `${port.containerPort + i}/${port.protocol}`
      exposed[key] = {}
      ;(bindings[key] ??= []).push({
        HostIp: port.hostIp ?? '',
        HostPort: port.hostPort === null ? '' : String(port.hostPort + i),
      })
    }
  }
  for (const entry of expose) {
    const [range = '', protocol = 'tcp'] = entry.split('/')
    const [from = 0, to = from] = range.split('-').map(Number)
    for (let port = from; port <= to; port += 1) exposed[`${port}/${protocol}`] = {}
  }
  return { exposed, bindings }
}

/**
 * A bind that may make its missing source folder goes as a `Binds` entry (the engine creates the
 * folder, as `docker run -v` does); every other mount as a `Mounts` entry, which refuses a missing one.
 */
function mountsOf(volumes: readonly VolumeMount[]): { binds: string[]; mounts: MountSettings[] } {
  const binds: string[] = []
  const mounts: MountSettings[] = []
  for (const v of volumes) {
    if (v.kind === 'bind' && v.createHostPath) {
      const options = [v.readOnly ? 'ro' : 'rw', ...(v.propagation === null ? [] : [v.propagation])]
      binds.push(`${v.source}:${v.target}:${options.join(',')}`)
    } else if (v.kind === 'bind') {
      mounts.push({
        Type: 'bind',
        Source: v.source,
        Target: v.target,
        ReadOnly: v.readOnly,
        ...(v.propagation === null ? {} : { BindOptions: { Propagation: v.propagation } }),
      })
    } else if (v.kind === 'volume') {
      mounts.push({
        Type: 'volume',
        Source: v.source,
        Target: v.target,
        ReadOnly: v.readOnly,
        ...(v.noCopy ? { VolumeOptions: { NoCopy: true } } : {}),
      })
    } else {
      const tmpfs = {
        ...(v.sizeBytes === null ? {} : { SizeBytes: v.sizeBytes }),
        ...(v.mode === null ? {} : { Mode: v.mode }),
      }
      mounts.push({
        Type: 'tmpfs',
        Target: v.target,
        ReadOnly: v.readOnly,
        ...(Object.keys(tmpfs).length === 0 ? {} : { TmpfsOptions: tmpfs }),
      })
    }
  }
  return { binds, mounts }
}
