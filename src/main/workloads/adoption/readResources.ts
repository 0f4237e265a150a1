/**
 * The networks and volumes adopted services use, read back as the workload's declarations. One
 * that the compose project (or Slipway) made is the workload's own: made again should it go
 * missing. Any other is external: it must exist, and Slipway never makes or removes it.
 */
import type { NetworkSpec, ServiceSpec, UnsupportedSetting, VolumeSpec } from '../../../shared/types/workloads'
import { plainNetwork } from '../../../shared/workloadNetworks'
import type { EngineInspector, NetworkDetails, VolumeDetails } from '../../docker/engine'
import { COMPOSE_LABEL_PREFIX, COMPOSE_PROJECT, LABELS } from '../dispatch/labels'

const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/

export interface ReadResources {
  readonly networks: NetworkSpec[]
  readonly volumes: VolumeSpec[]
  readonly unsupported: UnsupportedSetting[]
}

export async function readResources(
  inspector: EngineInspector,
  services: readonly ServiceSpec[],
  project: string | null,
): Promise<ReadResources> {
  const unsupported: UnsupportedSetting[] = []
  const owned = (labels: Record<string, string> | undefined): boolean =>
    (project !== null && labels?.[COMPOSE_PROJECT] === project) || labels?.[LABELS.workload] !== undefined

  const networks: NetworkSpec[] = []
  for (const name of new Set(services.flatMap((s) => s.networks.map((n) => n.network)))) {
    const info = await inspector.inspectNetwork(name)
    if (info === null) continue
    const fixedAddress = services.some((s) =>
      s.networks.some((n) => n.network === name && (n.ipv4Address !== null || n.ipv6Address !== null)),
    )
    networks.push(owned(info.Labels) ? networkOf(info, fixedAddress) : plainNetwork(name, true))
    if (info.Scope !== 'local')
      unsupported.push({ service: '', setting: `networks.${name}.Scope`, value: JSON.stringify(info.Scope) })
  }

  const volumes: VolumeSpec[] = []
  const names = services.flatMap((s) => s.volumes.flatMap((v) => (v.kind === 'volume' ? [v.source] : [])))
  for (const name of new Set(names)) {
    if (ANONYMOUS_VOLUME.test(name)) continue
    const info = await inspector.inspectVolume(name)
    if (info === null) continue
    const volume = volumeOf(info, owned(info.Labels))
    // A plain local volume of the project needs no declaration: the engine makes one like it.
    const plain =
      !volume.external &&
      volume.driver === null &&
      Object.keys(volume.driverOpts).length === 0 &&
      Object.keys(volume.labels).length === 0
    if (!plain) volumes.push(volume)
  }
  return { networks, volumes, unsupported }
}

function appLabels(labels: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(
      ([key]) => !key.startsWith(COMPOSE_LABEL_PREFIX) && !key.startsWith('io.slipway.'),
    ),
  )
}

/**
 * The engine shows a subnet it picked itself just like one that was asked for: the subnet is
 * recorded only when a service has a fixed address on the network (which needs one), or the
 * address management is not the engine's default.
 */
function networkOf(info: NetworkDetails, fixedAddress: boolean): NetworkSpec {
  const ipam = info.IPAM as
    | {
        Driver?: string
        Config?: { Subnet?: string; IPRange?: string; Gateway?: string }[]
        Options?: Record<string, string> | null
      }
    | undefined
  const customIpam = (ipam?.Driver ?? 'default') !== 'default' || Object.keys(ipam?.Options ?? {}).length > 0
  return {
    name: info.Name,
    external: false,
    driver: info.Driver === 'bridge' ? null : info.Driver,
    driverOpts: { ...(info.Options ?? {}) },
    internal: info.Internal,
    attachable: info.Attachable,
    enableIpv6: info.EnableIPv6,
    ipam:
      fixedAddress || customIpam
        ? {
            driver: (ipam?.Driver ?? 'default') === 'default' ? null : (ipam?.Driver ?? null),
            config: (ipam?.Config ?? []).flatMap((c) =>
              c.Subnet === undefined
                ? []
                : [{ subnet: c.Subnet, ipRange: c.IPRange ?? null, gateway: c.Gateway ?? null }],
            ),
            options: { ...(ipam?.Options ?? {}) },
          }
        : null,
    labels: appLabels(info.Labels),
  }
}

function volumeOf(info: VolumeDetails, owned: boolean): VolumeSpec {
  if (!owned) return { name: info.Name, external: true, driver: null, driverOpts: {}, labels: {} }
  return {
    name: info.Name,
    external: false,
    driver: info.Driver === 'local' ? null : info.Driver,
    driverOpts: { ...((info.Options ?? {}) as Record<string, string>) },
    labels: appLabels(info.Labels),
  }
}
