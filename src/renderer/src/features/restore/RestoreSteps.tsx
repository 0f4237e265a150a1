import { useTranslation } from 'react-i18next'
import { ProgressBar } from '../../components/ProgressBar'
import { formatNumber, formatPercent } from '../../components/format'
import type { RestoreJob } from './queries'
import { RESTORE_STEPS, shownSteps, stepStates } from './restoreSteps'
import { stepLabel } from './restoreText'

interface RestoreStepsProps {
  /** null: the restore was asked for and no progress has come yet. */
  readonly job: RestoreJob | null
  /** Every step is done. */
  readonly finished: boolean
  /** The restore stopped at its current step. */
  readonly failed: boolean
  /** It loads a database dump: the load is one of its steps. */
  readonly fromDump: boolean
}

/** The restore's steps in order, each done, current or still to come, and a bar for the whole. */
export function RestoreSteps({ job, finished, failed, fromDump }: RestoreStepsProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const position = job?.position ?? null
  const states = stepStates(position, finished)
  const currentIndex = finished ? RESTORE_STEPS.length - 1 : Math.min(position ?? 0, RESTORE_STEPS.length - 1)
  const current = RESTORE_STEPS[currentIndex] ?? 'verify'
  const shown = shownSteps(fromDump)
  const event = job?.progress
  const total =
    event?.total !== undefined && event.total !== null && event.total > 0 ? event.total : RESTORE_STEPS.length
  const reported = event !== undefined && event.total !== null && event.total > 0 ? event.done : (position ?? 0)
  const done = finished ? total : Math.min(total, Math.max(0, reported))
  const fraction = done / total
  const at = {
    n: formatNumber(language, Math.max(0, shown.indexOf(current)) + 1),
    total: formatNumber(language, shown.length),
    step: stepLabel(t, current),
  }
  const label = finished
    ? t('restore.progress.finished')
    : failed
      ? t('restore.progress.stoppedAt', at)
      : t('restore.progress.step', at)

  return (
    <div className={`restore-steps${finished ? ' restore-steps-finished' : failed ? ' restore-steps-failed' : ''}`}>
      <ProgressBar
        label={label}
        fraction={fraction}
        detail={formatPercent(language, fraction)}
        data-testid="restore-progress"
        data-phase={current}
        data-done={done}
        data-total={total}
        data-state={event?.state ?? 'running'}
      />
      <ol className="restore-step-list" aria-label={t('restore.progress.steps')}>
        {shown.map((step) => {
          const state = states[RESTORE_STEPS.indexOf(step)] ?? 'pending'
          const stopped = failed && state === 'current'
          return (
            <li
              key={step}
              className={`restore-step${stopped ? ' restore-step-failed' : ''}`}
              data-testid={`restore-step-${step}`}
              data-state={state}
              data-failed={stopped ? 'true' : undefined}
              aria-current={state === 'current' && !stopped ? 'step' : undefined}
            >
              <span className="restore-step-mark" aria-hidden="true" />
              <span>{stepLabel(t, step)}</span>
              <span className="visually-hidden">
                {stopped
                  ? t('restore.progress.stateFailed')
                  : state === 'done'
                    ? t('restore.progress.stateDone')
                    : state === 'current'
                      ? t('restore.progress.stateCurrent')
                      : t('restore.progress.statePending')}
              </span>
            </li>
          )
        })}
      </ol>
    </div>
  )
}
