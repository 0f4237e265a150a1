import type { EventBus } from '../events'
import type { WorkloadService } from '../workloads/workloadService'
import { heldUntilSubscribed } from './heldUntilSubscribed'
import type { TopicSources } from './router'

export function topicSources(bus: EventBus, workloads: Pick<WorkloadService, 'followLogs'>): TopicSources {
  const restoreNotices = heldUntilSubscribed(bus, 'restore.notices')
  return {
    'workloads.logs': ({ workloadId, tail }, emit) => workloads.followLogs(workloadId, tail, emit),
    'hosts.status': (_input, emit) => bus.on('hosts.status', emit),
    'restore.notices': (_input, emit) => restoreNotices(emit),
    'jobs.progress': ({ jobId }, emit) =>
      bus.on('jobs.progress', (event) => {
        if (jobId === undefined || event.jobId === jobId) emit(event)
      }),
  }
}
