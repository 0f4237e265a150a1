import { isDataMount } from '../../shared/serviceSpec'
import type { WorkloadRecord } from '../workloads/workloadStore'

export interface VolumeToCapture {
  readonly index: number
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly mounts: { service: string; target: string }[]
}

/**
 * The workload's snapshot-able volumes: each bind path or named volume once, unless excluded
 * everywhere. tmpfs mounts live in memory and are never captured.
 */
export function snapshotVolumes(workload: WorkloadRecord): VolumeToCapture[] {
  const byKey = new Map<string, VolumeToCapture>()
  for (const service of workload.services) {
    for (const v of service.volumes.filter(isDataMount)) {
      if (v.excludeFromSnapshots) continue
      const key = `${v.kind}:${v.source}`
      const found = byKey.get(key)
      if (found !== undefined) found.mounts.push({ service: service.name, target: v.target })
      else
        byKey.set(key, {
          index: byKey.size,
          kind: v.kind,
          source: v.source,
          mounts: [{ service: service.name, target: v.target }],
        })
    }
  }
  return [...byKey.values()]
}
