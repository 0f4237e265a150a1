import { useTranslation } from 'react-i18next'
import type { JobProgress } from '../../../../shared/types/jobs'
import { ProgressBar } from '../../components/ProgressBar'
import { phaseLabel, progressDetail } from './workloadText'

/** A bar per running job of the workload (a deploy, a snapshot…), with its current step. */
export function JobProgressList({ jobs }: { jobs: readonly JobProgress[] }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  if (jobs.length === 0) return null
  return (
    <div className="job-progress-list" aria-live="polite">
      {jobs.map((job) => (
        <ProgressBar
          key={job.jobId}
          data-testid="job-progress"
          data-phase={job.phase}
          data-job-id={job.jobId}
          label={phaseLabel(t, job.phase)}
          fraction={job.total === null || job.total <= 0 ? null : job.done / job.total}
          detail={progressDetail(t, i18n.language, job)}
        />
      ))}
    </div>
  )
}
