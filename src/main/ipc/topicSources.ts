import type { EventBus } from '../events'
import type { TopicSources } from './router'

export function topicSources(bus: EventBus): TopicSources {
  return {
    'hosts.status': (_input, emit) => bus.on('hosts.status', emit),
    'jobs.progress': ({ jobId }, emit) =>
      bus.on('jobs.progress', (event) => {
        if (jobId === undefined || event.jobId === jobId) emit(event)
      }),
  }
}
