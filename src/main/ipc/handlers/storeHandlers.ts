import type { SnapshotStore } from '../../snapshots/snapshotStore'
import type { StoreService } from '../../stores/storeService'
import type { WorkloadStore } from '../../workloads/workloadStore'
import type { Handlers } from '../router'

type StoreChannels = Extract<
  keyof Handlers,
  `stores.${string}` | 'snapshots.destinations' | 'snapshots.setDestinations' | 'snapshots.index'
>

export function storeHandlers(
  stores: StoreService,
  snapshots: SnapshotStore,
  workloads: WorkloadStore,
): Pick<Handlers, StoreChannels> {
  return {
    'stores.list': () => stores.list(),
    'stores.add': (input) => stores.add(input),
    'stores.remove': async ({ storeId }) => {
      await stores.remove(storeId)
      return null
    },
    'stores.stats': ({ storeId }) => stores.stats(storeId),
    'stores.unlock': async ({ storeId, all }) => {
      await stores.unlock(storeId, all)
      return null
    },
    'stores.catalog': ({ storeId }) => stores.catalog(storeId, (id) => workloads.find(id) !== undefined),
    'stores.verify': ({ storeId, snapshotId, readDataPercent }) => stores.verify(snapshotId, storeId, readDataPercent),
    'snapshots.destinations': ({ workloadId }) => {
      workloads.require(workloadId)
      return stores.destinations(workloadId)
    },
    'snapshots.setDestinations': ({ workloadId, ...destinations }) => {
      workloads.require(workloadId)
      return stores.setDestinations(workloadId, destinations)
    },
    'snapshots.index': async ({ snapshotId }) => {
      await stores.buildIndex(snapshotId)
      return snapshots.require(snapshotId)
    },
  }
}
