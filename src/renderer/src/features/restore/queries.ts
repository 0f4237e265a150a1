import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback, useRef, useState } from 'react'
import type { JobProgress } from '../../../../shared/types/jobs'
import type { RestoreRecord } from '../../../../shared/types/restore'
import { SlipwayError } from '../../../../shared/errors'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'
import { snapshotKeys } from '../snapshots/queries'
import { workloadKeys } from '../workloads/queries'
import { advance } from './restoreSteps'

export const restoreKeys = {
  all: ['restores'] as const,
  list: (workloadId: string) => ['restores', 'list', workloadId] as const,
}

/**
 * A restore changes nearly everything about a workload: its data, its containers (a redeploy), its
 * snapshots (a pinned pre-restore one) and its restore records.
 */
export function refreshAfterRestore(client: QueryClient, workloadId?: string): void {
  void client.invalidateQueries({ queryKey: workloadId === undefined ? restoreKeys.all : restoreKeys.list(workloadId) })
  void client.invalidateQueries({ queryKey: snapshotKeys.all })
  if (workloadId === undefined) {
    void client.invalidateQueries({ queryKey: workloadKeys.all })
    return
  }
  void client.invalidateQueries({ queryKey: workloadKeys.detail(workloadId) })
  void client.invalidateQueries({ queryKey: workloadKeys.history(workloadId) })
  void client.invalidateQueries({ queryKey: ['workloads', 'list'] })
}

/** The workload's restores, newest first, whatever order main answers in. */
export function useRestores(workloadId: string) {
  return useQuery({
    queryKey: restoreKeys.list(workloadId),
    queryFn: async () =>
      [...(await slipway.restore.list({ workloadId }))].sort(
        (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt),
      ),
  })
}

/** How one attempt ended: the record main answered with, or the error and whatever record it left. */
export type RestoreAttempt =
  | { readonly ok: true; readonly record: RestoreRecord }
  | { readonly ok: false; readonly error: unknown; readonly record: RestoreRecord | null }

async function listOrEmpty(workloadId: string): Promise<readonly RestoreRecord[]> {
  try {
    return await slipway.restore.list({ workloadId })
  } catch {
    return []
  }
}

/**
 * Starts a restore and waits for it to finish. It never rejects: a failure answers with the error
 * and the audit record the attempt left (the error names it), so the dialog can say what each
 * volume holds now.
 */
export function useStartRestore(workloadId: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (input: {
      snapshotId: string
      confirm: string
      keepSetid: boolean
      fromDump: boolean
    }): Promise<RestoreAttempt> => {
      try {
        return { ok: true, record: await slipway.restore.start({ workloadId, ...input }) }
      } catch (error) {
        const id = error instanceof SlipwayError ? error.details?.['restoreId'] : undefined
        const left =
          typeof id === 'string' ? (await listOrEmpty(workloadId)).find((record) => record.id === id) : undefined
        return { ok: false, error, record: left ?? null }
      }
    },
    onSettled: () => refreshAfterRestore(client, workloadId),
  })
}

/** The latest restore job of a workload as `jobs.progress` tells it, and how far it got. */
export interface RestoreJob {
  readonly progress: JobProgress
  /** The furthest step reached (see `stepPosition`); null before the first known phase. */
  readonly position: number | null
}

/**
 * Follows the restore jobs of one workload, whoever started them. Each new step refreshes the
 * restore records (and, when it ends, what the restore changed). `forget` drops the
 * last job, before a new restore starts.
 */
export function useRestoreJob(workloadId: string): { job: RestoreJob | null; forget: () => void } {
  const client = useQueryClient()
  const [job, setJob] = useState<RestoreJob | null>(null)
  const last = useRef<{ jobId: string; phase: string } | null>(null)
  useTopic('jobs.progress', {}, (event) => {
    if (event.kind !== 'restore' || event.subject !== workloadId) return
    // The audit record appears once the checks pass and its step moves on: refetch at each new step.
    const moved = last.current?.jobId !== event.jobId || last.current.phase !== event.phase
    last.current = { jobId: event.jobId, phase: event.phase }
    setJob((before) => {
      const from = before === null || before.progress.jobId !== event.jobId ? null : before.position
      return { progress: event, position: advance(from, event) }
    })
    if (event.state !== 'running') refreshAfterRestore(client, workloadId)
    else if (moved) void client.invalidateQueries({ queryKey: restoreKeys.list(workloadId) })
  })
  const forget = useCallback(() => {
    last.current = null
    setJob(null)
  }, [])
  return { job, forget }
}
