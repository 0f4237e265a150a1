import type { Envelope } from '../../src/shared/errors'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import type { Instance } from './slipwayInstance'

export function value<T>(result: Envelope<unknown>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

export interface VolumeSpec {
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly target: string
  readonly excludeFromSnapshots?: boolean
}

export interface WorkloadOptions {
  readonly image?: string
  /** Replaces the image's command (busybox sh is there). */
  readonly command?: readonly string[]
}

/** Creates and deploys a one-service workload running the test image with these volumes. */
export async function deployedWorkload(
  instance: Instance,
  hostId: string,
  name: string,
  volumes: readonly VolumeSpec[],
  { image = 'slipway-test/app:a', command }: WorkloadOptions = {},
): Promise<WorkloadDetail> {
  const { router } = instance.slipway
  const w = value<WorkloadDetail>(
    await router.invoke('workloads.create', {
      hostId,
      name,
      snapshotBeforeDeploy: false,
      services: [
        {
          name: 'app',
          image,
          command: command === undefined ? null : [...command],
          env: [],
          ports: [],
          volumes: volumes.map((v) => ({
            ...v,
            readOnly: false,
            excludeFromSnapshots: v.excludeFromSnapshots ?? false,
          })),
          restart: 'no',
        },
      ],
    }),
  )
  value(await router.invoke('workloads.deploy', { workloadId: w.id }))
  return value<WorkloadDetail>(await router.invoke('workloads.get', { workloadId: w.id }))
}
