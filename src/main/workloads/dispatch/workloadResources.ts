/** How Slipway creates the networks and volumes it owns for a workload. */
import type { NetworkSpec, VolumeSpec } from '../../../shared/types/workloads'
import type { NetworkCreateSpec, VolumeCreateSpec } from '../../docker/containerLifecycle'
import { LABELS } from './labels'

export { aliasesOn, attachmentsOf, networksInUse, volumesInUse } from '../../../shared/workloadNetworks'

/** A network Slipway makes carries the workload's label: that is how it knows, later, that it may remove it. */
export function networkCreateSpec(workload: { readonly id: string }, network: NetworkSpec): NetworkCreateSpec {
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

export function volumeCreateSpec(workload: { readonly id: string }, volume: VolumeSpec): VolumeCreateSpec {
  return {
    Name: volume.name,
    ...(volume.driver === null ? {} : { Driver: volume.driver }),
    DriverOpts: { ...volume.driverOpts },
    Labels: { ...volume.labels, [LABELS.workload]: workload.id },
  }
}
