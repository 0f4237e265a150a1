/** The networks and volumes a workload's services use, and how Slipway creates the ones it owns. */
import { defaultNetworkName } from '../../../shared/serviceSpec'
import type { NetworkSpec, ServiceNetwork, ServiceSpec, VolumeSpec } from '../../../shared/types/workloads'
import type { NetworkCreateSpec, VolumeCreateSpec } from '../../docker/containerLifecycle'
import { LABELS } from './labels'

type Workload = {
  readonly id: string
  readonly name: string
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

/**
 * The networks a service joins: the ones it lists; with none listed, the workload's default
 * network when the workload has more than one service (so each reaches the others by name), else
 * the engine's default, as `docker run` does. A network mode (`host`, `service:db`…) joins none.
 */
export function attachmentsOf(workload: Pick<Workload, 'name' | 'services'>, service: ServiceSpec): ServiceNetwork[] {
  if (service.networkMode !== null) return []
  if (service.networks.length > 0) return [...service.networks]
  if (workload.services.length < 2) return []
  return [{ network: defaultNetworkName(workload.name), aliases: [], ipv4Address: null, ipv6Address: null }]
}

/** The aliases a service answers to on a network: its service name first, then the ones it lists. */
export function aliasesOn(service: ServiceSpec, attachment: ServiceNetwork): string[] {
  return [...new Set([service.name, ...attachment.aliases])]
}

/** Every network some service joins, declared or the implicit default one, in first-use order. */
export function networksInUse(workload: Workload): NetworkSpec[] {
  const declared = new Map(workload.networks.map((n) => [n.name, n]))
  const used = new Map<string, NetworkSpec>()
  for (const service of workload.services) {
    for (const attachment of attachmentsOf(workload, service)) {
      if (used.has(attachment.network)) continue
      used.set(attachment.network, declared.get(attachment.network) ?? implicitNetwork(attachment.network))
    }
  }
  return [...used.values()]
}

/** Declared volumes some service mounts. Undeclared named volumes are made by the engine as the container is created. */
export function volumesInUse(workload: Workload): VolumeSpec[] {
  const mounted = new Set(
    workload.services.flatMap((s) => s.volumes.flatMap((v) => (v.kind === 'volume' ? [v.source] : []))),
  )
  return workload.volumes.filter((v) => mounted.has(v.name))
}

function implicitNetwork(name: string): NetworkSpec {
  return {
    name,
    external: false,
    driver: null,
    driverOpts: {},
    internal: false,
    attachable: false,
    enableIpv6: false,
    ipam: null,
    labels: {},
  }
}

/** A network Slipway makes carries the workload's label: that is how it knows, later, that it may remove it. */
export function networkCreateSpec(workload: Pick<Workload, 'id'>, network: NetworkSpec): NetworkCreateSpec {
  const ipam = network.ipam
  return {
    Name: network.name,
    ...(network.driver === null ? {} : { Driver: network.driver }),
    Options: { ...network.driverOpts },
    Internal: network.internal,
    Attachable: network.attachable,
    EnableIPv6: network.enableIpv6,
    ...(ipam === null
      ? {}
      : {
          IPAM: {
            Driver: ipam.driver ?? 'default',
            Config: ipam.config.map((c) => ({
              Subnet: c.subnet,
              ...(c.ipRange === null ? {} : { IPRange: c.ipRange }),
              ...(c.gateway === null ? {} : { Gateway: c.gateway }),
            })),
            Options: { ...ipam.options },
          },
        }),
    Labels: { ...network.labels, [LABELS.workload]: workload.id },
  }
}

export function volumeCreateSpec(workload: Pick<Workload, 'id'>, volume: VolumeSpec): VolumeCreateSpec {
  return {
    Name: volume.name,
    ...(volume.driver === null ? {} : { Driver: volume.driver }),
    DriverOpts: { ...volume.driverOpts },
    Labels: { ...volume.labels, [LABELS.workload]: workload.id },
  }
}
