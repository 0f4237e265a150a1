import { useTranslation } from 'react-i18next'
import type { HookRun, SnapshotSummary } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { formatDateTime, formatDuration, formatNumber } from '../../components/format'
import { useHookRuns } from './queries'
import { hookOutcomeText, hookPhaseLabel } from './snapshotText'

/** "hook failed" when any of the snapshot's hooks failed, else how many ran; nothing when none did. */
export function HooksBadge({ hooks }: { hooks: SnapshotSummary['hooks'] }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  if (hooks.failed > 0) {
    return (
      <span
        className="badge badge-bad"
        title={t('snapshots.hooks.badgeFailedHint', {
          failed: formatNumber(i18n.language, hooks.failed),
          ran: formatNumber(i18n.language, hooks.ran),
        })}
        data-testid="hooks-badge"
        data-failed={hooks.failed}
        data-ran={hooks.ran}
      >
        {t('snapshots.hooks.badgeFailed')}
      </span>
    )
  }
  if (hooks.ran === 0) return null
  return (
    <span className="badge badge-muted" data-testid="hooks-badge" data-failed={0} data-ran={hooks.ran}>
      {t('snapshots.hooks.badgeRan', { ran: formatNumber(i18n.language, hooks.ran) })}
    </span>
  )
}

/** What each of a snapshot's hooks did, read from main when shown. */
export function HookRunsDetails({ snapshotId, id }: { snapshotId: string; id: string }): React.JSX.Element {
  const { t } = useTranslation()
  const runs = useHookRuns(snapshotId, true)
  return (
    <div className="hook-runs" id={id} data-testid={`hook-runs-${snapshotId}`}>
      <h4 className="subsection-title">{t('snapshots.hooks.runsTitle')}</h4>
      {runs.isPending && <p className="muted">{t('common.loading')}</p>}
      {runs.isError && <ErrorText error={runs.error} />}
      {runs.data?.length === 0 && <p className="muted">{t('snapshots.hooks.noRuns')}</p>}
      {runs.data !== undefined && runs.data.length > 0 && (
        <ol className="plain-list hook-run-list">
          {runs.data.map((run, index) => (
            <HookRunItem key={`${run.startedAt}-${index}`} run={run} index={index} />
          ))}
        </ol>
      )}
    </div>
  )
}

function HookRunItem({ run, index }: { run: HookRun; index: number }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const ok = run.outcome === 'ok'
  return (
    <li className="hook-run" data-testid={`hook-run-${index}`} data-outcome={run.outcome} data-phase={run.phase}>
      <div className="hook-run-head">
        <span className="badge badge-muted">{hookPhaseLabel(t, run.phase)}</span>
        <span className="strong" data-testid="hook-run-service">
          {run.service}
        </span>
        <span className={ok ? 'ok-text' : 'error'} data-testid="hook-run-outcome">
          {hookOutcomeText(t, run.outcome, run.exitCode)}
        </span>
      </div>
      <dl className="facts hook-run-facts">
        <div className="fact">
          <dt>{t('snapshots.hooks.command')}</dt>
          <dd>
            <pre className="command" data-testid="hook-run-command">
              {run.command}
            </pre>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('snapshots.hooks.exitCode')}</dt>
          <dd data-testid="hook-run-exit-code">{run.exitCode === null ? '—' : formatNumber(language, run.exitCode)}</dd>
        </div>
        <div className="fact">
          <dt>{t('snapshots.hooks.started')}</dt>
          <dd>
            <time dateTime={run.startedAt}>{formatDateTime(language, run.startedAt)}</time>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('snapshots.hooks.duration')}</dt>
          <dd>{formatDuration(language, run.durationMs)}</dd>
        </div>
      </dl>
      {run.output === '' ? (
        <p className="muted">{t('snapshots.hooks.noOutput')}</p>
      ) : (
        <>
          <p className="hint">{t('snapshots.hooks.output')}</p>
          <pre className="hook-output" data-testid="hook-run-output">
            {run.output}
          </pre>
        </>
      )}
      {run.truncated && (
        <p className="hint" data-testid="hook-run-truncated">
          {t('snapshots.hooks.truncated')}
        </p>
      )}
    </li>
  )
}
