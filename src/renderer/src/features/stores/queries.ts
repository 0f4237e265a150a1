import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../shared/contract'
import { slipway } from '../../api/client'
import { snapshotKeys } from '../snapshots/queries'

export const storeKeys = {
  all: ['stores'] as const,
  destinations: (workloadId: string) => ['stores', 'destinations', workloadId] as const,
}

/** The stores changed (added, removed, a catalog recorded copies): the list and every snapshot list. */
function refreshStores(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: storeKeys.all, exact: true })
  void client.invalidateQueries({ queryKey: snapshotKeys.lists })
}

export function useStores() {
  return useQuery({ queryKey: storeKeys.all, queryFn: () => slipway.stores.list() })
}

export function useAddStore() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'stores.add'>) => slipway.stores.add(input),
    onSuccess: () => refreshStores(client),
  })
}

export function useRemoveStore() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (storeId: string) => slipway.stores.remove({ storeId }),
    // Snapshots that lived only there are no longer listed; destinations naming it went with it.
    onSuccess: () => {
      refreshStores(client)
      void client.invalidateQueries({ queryKey: ['stores', 'destinations'] })
    },
  })
}

/** Asks the repository (restic stats): on demand, as it reads the repository. */
export function useStoreStats(storeId: string) {
  return useMutation({ mutationFn: () => slipway.stores.stats({ storeId }) })
}

/** Lists the Slipway snapshots in the repository and records the ones this computer did not know. */
export function useCatalog(storeId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => slipway.stores.catalog({ storeId }),
    onSuccess: () => refreshStores(client),
  })
}

/** The user's explicit unlock, after seeing who holds the lock. */
export function useUnlockStore(storeId: string) {
  return useMutation({ mutationFn: (all: boolean) => slipway.stores.unlock({ storeId, all }) })
}

/** `restic check` of part of the data, then a restore drill of every volume of one snapshot. */
export function useStoreVerify(snapshotId: string, storeId: string) {
  return useMutation({
    mutationFn: (readDataPercent: number) => slipway.stores.verify({ storeId, snapshotId, readDataPercent }),
  })
}

export function useDestinations(workloadId: string) {
  return useQuery({
    queryKey: storeKeys.destinations(workloadId),
    queryFn: () => slipway.snapshots.destinations({ workloadId }),
  })
}

export function useSetDestinations(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'snapshots.setDestinations'>) => slipway.snapshots.setDestinations(input),
    onSuccess: (saved) => client.setQueryData(storeKeys.destinations(workloadId), saved),
  })
}

/** Reads a snapshot known only from a store back into this computer's browse index. */
export function useIndexSnapshot(snapshotId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => slipway.snapshots.index({ snapshotId }),
    onSuccess: (indexed) => {
      client.setQueryData(snapshotKeys.detail(indexed.id), indexed)
      void client.invalidateQueries({ queryKey: snapshotKeys.lists })
      void client.invalidateQueries({ queryKey: ['snapshots', 'browse', indexed.id] })
    },
  })
}
