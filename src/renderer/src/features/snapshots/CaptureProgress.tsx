import { useTranslation } from 'react-i18next'
import { ProgressBar } from '../../components/ProgressBar'
import { formatBytes, formatDuration, formatNumber, formatPercent } from '../../components/format'
import type { CaptureJob } from './queries'
import { capturePhaseLabel } from './snapshotText'

interface CaptureProgressProps {
  /** null: the capture was asked for and its first progress event has not come yet. */
  readonly job: CaptureJob | null
  readonly onCancel: ((jobId: string) => void) | null
  readonly cancelling: boolean
}

/** One running capture: bytes, files, rate, time left when the total is known, and Cancel. */
export function CaptureProgress({ job, onCancel, cancelling }: CaptureProgressProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  if (job === null) {
    return (
      <div className="capture-progress" data-testid="capture-progress" data-done={0} data-items={0}>
        <ProgressBar label={t('snapshots.phase.starting')} fraction={null} />
      </div>
    )
  }
  const { progress, bytesPerSecond } = job
  const total = progress.total !== null && progress.total > 0 ? progress.total : null
  // The total is an estimate: never let the bar or the text run past it.
  const fraction = total === null ? null : Math.min(1, progress.done / total)
  const detail =
    total === null
      ? formatBytes(language, progress.done)
      : t('snapshots.capture.ofTotal', {
          done: formatBytes(language, progress.done),
          total: formatBytes(language, Math.max(total, progress.done)),
          percent: formatPercent(language, fraction ?? 0),
        })
  const secondsLeft =
    total !== null && bytesPerSecond !== null && bytesPerSecond > 0 && total > progress.done
      ? (total - progress.done) / bytesPerSecond
      : null

  return (
    <div
      className="capture-progress"
      data-testid="capture-progress"
      data-job-id={progress.jobId}
      data-phase={progress.phase}
      data-done={progress.done}
      data-items={progress.items ?? 0}
    >
      <ProgressBar label={capturePhaseLabel(t, progress.phase)} fraction={fraction} detail={detail} />
      <div className="capture-stats">
        <span>{t('snapshots.capture.files', { n: formatNumber(language, progress.items ?? 0) })}</span>
        {bytesPerSecond !== null && (
          <span data-testid="capture-rate">
            {t('snapshots.capture.rate', { rate: formatBytes(language, bytesPerSecond) })}
          </span>
        )}
        {secondsLeft !== null && (
          <span data-testid="capture-eta">
            {t('snapshots.capture.timeLeft', { time: formatDuration(language, secondsLeft * 1000) })}
          </span>
        )}
        {onCancel !== null && (
          <button
            type="button"
            className="small danger-text"
            disabled={cancelling}
            onClick={() => onCancel(progress.jobId)}
            data-testid="cancel-capture"
          >
            {cancelling ? t('snapshots.capture.cancelling') : t('snapshots.capture.cancel')}
          </button>
        )}
      </div>
    </div>
  )
}
