import type { JobRegistry } from '../../jobs/jobRegistry'
import type { Handlers } from '../router'

export function jobHandlers(jobs: JobRegistry): Pick<Handlers, 'jobs.cancel'> {
  return {
    'jobs.cancel': ({ jobId }) => {
      jobs.cancel(jobId)
      return null
    },
  }
}
