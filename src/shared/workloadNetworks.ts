/** The networks and volumes a workload's services use: what the dispatch point creates and the workload page shows. */
import {
  defaultNetworkName,
  networkSpecSchema,
  type NetworkSpec,
  type ServiceNetwork,
  type ServiceSpec,
  type VolumeSpec,
} from './serviceSpec'

interface Workload {
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
      used.set(attachment.network, declared.get(attachment.network) ?? plainNetwork(attachment.network))
    }
  }
  return [...used.values()]
}

/** Declared volumes some service mounts. Undeclared named volumes are made by the engine as the container is created. */
export function volumesInUse(workload: Pick<Workload, 'services' | 'volumes'>): VolumeSpec[] {
  const mounted = new Set(
    workload.services.flatMap((s) => s.volumes.flatMap((v) => (v.kind === 'volume' ? [v.source] : []))),
  )
  return workload.volumes.filter((v) => mounted.has(v.name))
}

/** A network with the engine's defaults for everything but its name (and whether someone else owns it). */
export function plainNetwork(name: string, external = false): NetworkSpec {
  return networkSpecSchema.parse({ name, external })
}
