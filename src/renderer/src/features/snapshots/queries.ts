import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import type { InputOf } from '../../../../shared/contract'
import type { JobProgress } from '../../../../shared/types/jobs'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import type { CaptureMode } from '../../../../shared/types/snapshots'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'

export const snapshotKeys = {
  all: ['snapshots'] as const,
  lists: ['snapshots', 'list'] as const,
  list: (filter: { hostId?: string; workloadId?: string }) =>
    ['snapshots', 'list', filter.hostId ?? null, filter.workloadId ?? null] as const,
  detail: (snapshotId: string) => ['snapshots', 'detail', snapshotId] as const,
  browse: (snapshotId: string, volume: number, dir: string) =>
    ['snapshots', 'browse', snapshotId, volume, dir] as const,
  preview: (snapshotId: string, volume: number, path: string) =>
    ['snapshots', 'preview', snapshotId, volume, path] as const,
  policy: (workloadId: string) => ['snapshots', 'policy', workloadId] as const,
  hooks: (workloadId: string) => ['snapshots', 'hooks', workloadId] as const,
  hookRuns: (snapshotId: string) => ['snapshots', 'hookRuns', snapshotId] as const,
}

/** One page of a directory listing: enough to scroll, small enough to render at once. */
export const PAGE_SIZE = 500

/** Snapshots appeared, changed or went away: every list and the one detail shown. */
function refreshSnapshots(client: QueryClient, snapshotId?: string): void {
  void client.invalidateQueries({ queryKey: snapshotKeys.lists })
  // Each store's count of the snapshots it holds follows them (storeKeys.all; stores/ imports this module).
  void client.invalidateQueries({ queryKey: ['stores'], exact: true })
  if (snapshotId !== undefined) void client.invalidateQueries({ queryKey: snapshotKeys.detail(snapshotId) })
}

/** Newest first, whatever order main answers in. */
export const newestFirst = (list: readonly SnapshotSummary[]): SnapshotSummary[] =>
  [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))

export function useSnapshots(filter: { hostId?: string; workloadId?: string }) {
  return useQuery({
    queryKey: snapshotKeys.list(filter),
    queryFn: async () => newestFirst(await slipway.snapshots.list(filter)),
  })
}

export function useSnapshot(snapshotId: string) {
  return useQuery({
    queryKey: snapshotKeys.detail(snapshotId),
    queryFn: () => slipway.snapshots.get({ snapshotId }),
  })
}

export function useCapture(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { mode: CaptureMode; label: string | null; acknowledgeInconsistent: boolean }) =>
      slipway.snapshots.capture({ workloadId, ...input }),
    onSettled: () => refreshSnapshots(client),
  })
}

/** A running capture and how fast it goes, measured over the last few progress events. */
export interface CaptureJob {
  readonly progress: JobProgress
  /** null until two events a moment apart have arrived. */
  readonly bytesPerSecond: number | null
}

/** How far back the rate looks: long enough to smooth bursts, short enough to follow changes. */
const RATE_WINDOW_MS = 5_000

interface Sample {
  readonly at: number
  readonly done: number
}

function measure(samples: Sample[], done: number, at: number): number | null {
  const last = samples.at(-1)
  if (last !== undefined && done < last.done) samples.length = 0
  samples.push({ at, done })
  while (samples.length > 2 && at - (samples[1]?.at ?? at) >= RATE_WINDOW_MS) samples.shift()
  const first = samples[0]
  if (first === undefined || at - first.at < 250) return null
  return ((done - first.done) * 1000) / (at - first.at)
}

/**
 * The running captures of one workload (from the panel, the schedule or a pre-deploy step), from
 * `jobs.progress`. A capture that ends refreshes the lists, whoever started it.
 */
export function useCaptureJobs(workloadId: string): readonly CaptureJob[] {
  const client = useQueryClient()
  const [jobs, setJobs] = useState<readonly CaptureJob[]>([])
  const samples = useRef(new Map<string, Sample[]>())
  useTopic('jobs.progress', {}, (event) => {
    if (event.kind !== 'capture' || event.subject !== workloadId) return
    if (event.state !== 'running') {
      samples.current.delete(event.jobId)
      setJobs((before) => before.filter((job) => job.progress.jobId !== event.jobId))
      refreshSnapshots(client)
      return
    }
    let list = samples.current.get(event.jobId)
    if (list === undefined) {
      list = []
      samples.current.set(event.jobId, list)
    }
    const job: CaptureJob = { progress: event, bytesPerSecond: measure(list, event.done, performance.now()) }
    setJobs((before) =>
      before.some((known) => known.progress.jobId === event.jobId)
        ? before.map((known) => (known.progress.jobId === event.jobId ? job : known))
        : [...before, job],
    )
  })
  return jobs
}

export function useCancelJob() {
  return useMutation({ mutationFn: (jobId: string) => slipway.jobs.cancel({ jobId }) })
}

export function usePin() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: { snapshotId: string; pinned: boolean }) => slipway.snapshots.pin(input),
    onSuccess: (saved) => {
      client.setQueryData(snapshotKeys.detail(saved.id), saved)
      refreshSnapshots(client)
    },
  })
}

export function useDeleteSnapshot() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (snapshotId: string) => slipway.snapshots.delete({ snapshotId }),
    onSuccess: (_result, snapshotId) => {
      client.removeQueries({ queryKey: snapshotKeys.detail(snapshotId) })
      refreshSnapshots(client)
    },
  })
}

export function useVerify(snapshotId: string) {
  return useMutation({ mutationFn: () => slipway.snapshots.verify({ snapshotId }) })
}

export function usePolicy(workloadId: string) {
  return useQuery({
    queryKey: snapshotKeys.policy(workloadId),
    queryFn: () => slipway.snapshots.policy({ workloadId }),
  })
}

export function useSetPolicy(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'snapshots.setPolicy'>) => slipway.snapshots.setPolicy(input),
    onSuccess: (saved) => {
      client.setQueryData(snapshotKeys.policy(workloadId), saved)
      // Tighter retention may prune at once.
      refreshSnapshots(client)
    },
  })
}

export function useCaptureHooks(workloadId: string) {
  return useQuery({
    queryKey: snapshotKeys.hooks(workloadId),
    queryFn: () => slipway.snapshots.hooks({ workloadId }),
  })
}

export function useSetCaptureHooks(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'snapshots.setHooks'>) => slipway.snapshots.setHooks(input),
    onSuccess: (saved) => client.setQueryData(snapshotKeys.hooks(workloadId), saved),
  })
}

/** What a snapshot's hooks did: read only when asked (`enabled`), and never changes afterwards. */
export function useHookRuns(snapshotId: string, enabled: boolean) {
  return useQuery({
    queryKey: snapshotKeys.hookRuns(snapshotId),
    queryFn: () => slipway.snapshots.hookRuns({ snapshotId }),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  })
}

export function useImportSnapshot() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (path: string) => slipway.snapshots.import({ path }),
    onSuccess: (imported) => {
      client.setQueryData(snapshotKeys.detail(imported.id), imported)
      refreshSnapshots(client)
    },
  })
}

export function useExportSnapshot(snapshotId: string) {
  return useMutation({
    mutationFn: (destination: string) => slipway.snapshots.export({ snapshotId, destination }),
  })
}

export function useExtract(snapshotId: string) {
  return useMutation({
    mutationFn: (input: { volume: number; path: string; destination: string }) =>
      slipway.snapshots.extract({ snapshotId, ...input }),
  })
}

/** A directory, a page at a time: `fetchNextPage` asks for the next PAGE_SIZE entries. */
export function useDirectory(snapshotId: string, volume: number, dir: string) {
  return useInfiniteQuery({
    queryKey: snapshotKeys.browse(snapshotId, volume, dir),
    queryFn: ({ pageParam }) =>
      slipway.snapshots.browse({ snapshotId, volume, dir, offset: pageParam, limit: PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.entries.length, 0)
      return loaded < last.total && last.entries.length > 0 ? loaded : undefined
    },
    // A snapshot never changes: what was read stays true.
    staleTime: Number.POSITIVE_INFINITY,
  })
}

export function usePreview(snapshotId: string, volume: number, path: string | null) {
  return useQuery({
    queryKey: snapshotKeys.preview(snapshotId, volume, path ?? ''),
    queryFn: () => slipway.snapshots.preview({ snapshotId, volume, path: path ?? '' }),
    enabled: path !== null,
    staleTime: Number.POSITIVE_INFINITY,
  })
}
