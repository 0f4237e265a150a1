import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import type { InputOf } from '../../../../shared/contract'
import type { JobProgress } from '../../../../shared/types/jobs'
import type { DeployRecord, WorkloadDetail } from '../../../../shared/types/workloads'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'

export const workloadKeys = {
  all: ['workloads'] as const,
  list: (hostId: string) => ['workloads', 'list', hostId] as const,
  detail: (workloadId: string) => ['workloads', 'detail', workloadId] as const,
  history: (workloadId: string) => ['workloads', 'history', workloadId] as const,
  candidates: (hostId: string) => ['workloads', 'candidates', hostId] as const,
}

/** Container states drift on their own (a crash, a manual `docker stop`): poll gently. */
const POLL_MS = 15_000

/** Something about a workload changed: its detail, its history and every list that shows it. */
function refreshWorkload(client: QueryClient, workloadId: string): void {
  void client.invalidateQueries({ queryKey: workloadKeys.detail(workloadId) })
  void client.invalidateQueries({ queryKey: workloadKeys.history(workloadId) })
  void client.invalidateQueries({ queryKey: ['workloads', 'list'] })
  void client.invalidateQueries({ queryKey: ['workloads', 'candidates'] })
}

export function useWorkloads(hostId: string) {
  return useQuery({
    queryKey: workloadKeys.list(hostId),
    queryFn: () => slipway.workloads.list({ hostId }),
    refetchInterval: POLL_MS,
  })
}

export function useWorkload(workloadId: string) {
  return useQuery({
    queryKey: workloadKeys.detail(workloadId),
    queryFn: () => slipway.workloads.get({ workloadId }),
    refetchInterval: POLL_MS,
  })
}

export function useDeployHistory(workloadId: string) {
  return useQuery({
    queryKey: workloadKeys.history(workloadId),
    queryFn: () => slipway.workloads.history({ workloadId }),
  })
}

export function useAdoptionCandidates(hostId: string) {
  return useQuery({
    queryKey: workloadKeys.candidates(hostId),
    queryFn: () => slipway.workloads.candidates({ hostId }),
  })
}

/** What adopting would record and what it cannot carry over; read fresh each time the dialog opens. */
export function useAdoptionPreview(input: InputOf<'workloads.adoptionPreview'>) {
  return useQuery({
    queryKey: [...workloadKeys.candidates(input.hostId), 'preview', input.kind, input.key],
    queryFn: () => slipway.workloads.adoptionPreview(input),
    staleTime: 0,
    gcTime: 0,
  })
}

export function useImportCompose() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'workloads.importCompose'>) => slipway.workloads.importCompose(input),
    onSuccess: (created) => {
      client.setQueryData(workloadKeys.detail(created.id), created)
      refreshWorkload(client, created.id)
    },
  })
}

export type SaveWorkloadInput =
  | { readonly kind: 'create'; readonly input: InputOf<'workloads.create'> }
  | { readonly kind: 'update'; readonly input: InputOf<'workloads.update'> }

export function useSaveWorkload() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (save: SaveWorkloadInput): Promise<WorkloadDetail> =>
      save.kind === 'create' ? slipway.workloads.create(save.input) : slipway.workloads.update(save.input),
    onSuccess: (saved) => {
      client.setQueryData(workloadKeys.detail(saved.id), saved)
      refreshWorkload(client, saved.id)
    },
  })
}

export type WorkloadAction = 'deploy' | 'redeploy' | 'start' | 'stop'

/** The header's buttons; `variables` tells which one runs. Deploys answer with their history entry. */
export function useWorkloadAction(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (action: WorkloadAction): Promise<DeployRecord | null> => {
      switch (action) {
        case 'deploy':
          return slipway.workloads.deploy({ workloadId })
        case 'redeploy':
          return slipway.workloads.redeploy({ workloadId })
        case 'start':
        case 'stop': {
          const detail =
            action === 'start'
              ? await slipway.workloads.start({ workloadId })
              : await slipway.workloads.stop({ workloadId })
          client.setQueryData(workloadKeys.detail(workloadId), detail)
          return null
        }
      }
    },
    // A failed deploy still writes a history entry, so refresh either way.
    onSettled: () => refreshWorkload(client, workloadId),
  })
}

export function useRollback(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (deploymentId: string) => slipway.workloads.rollback({ workloadId, deploymentId }),
    onSettled: () => refreshWorkload(client, workloadId),
  })
}

export function useDeleteWorkload(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (keepVolumes: boolean) => slipway.workloads.delete({ workloadId, keepVolumes }),
    onSuccess: () => {
      client.removeQueries({ queryKey: workloadKeys.detail(workloadId) })
      client.removeQueries({ queryKey: workloadKeys.history(workloadId) })
      void client.invalidateQueries({ queryKey: ['workloads', 'list'] })
      void client.invalidateQueries({ queryKey: ['workloads', 'candidates'] })
    },
  })
}

export function useAdopt() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'workloads.adopt'>) => slipway.workloads.adopt(input),
    onSuccess: (adopted) => {
      client.setQueryData(workloadKeys.detail(adopted.id), adopted)
      refreshWorkload(client, adopted.id)
    },
  })
}

/**
 * The running jobs of one workload, newest last, from `jobs.progress`. A job that appears refreshes
 * the history (its entry shows as running); a job that ends refreshes everything it may have changed.
 */
export function useWorkloadJobs(workloadId: string): readonly JobProgress[] {
  const client = useQueryClient()
  const [jobs, setJobs] = useState<readonly JobProgress[]>([])
  const seen = useRef(new Set<string>())
  useTopic('jobs.progress', {}, (event) => {
    if (event.subject !== workloadId) return
    const running = event.state === 'running'
    const isNew = !seen.current.has(event.jobId)
    seen.current.add(event.jobId)
    setJobs((before) => {
      const known = before.some((job) => job.jobId === event.jobId)
      if (!running) return known ? before.filter((job) => job.jobId !== event.jobId) : before
      return known ? before.map((job) => (job.jobId === event.jobId ? event : job)) : [...before, event]
    })
    if (!running) refreshWorkload(client, workloadId)
    else if (isNew) void client.invalidateQueries({ queryKey: workloadKeys.history(workloadId) })
  })
  return jobs
}
