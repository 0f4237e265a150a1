import { useTranslation } from 'react-i18next'
import { ArchiveRefusal } from '../snapshots/ArchiveRefusal'
import { SlipwayError } from '../../../../shared/errors'
import type { RestoreRecord } from '../../../../shared/types/restore'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes } from '../../components/format'
import { reachedStop, stepPosition } from './restoreSteps'
import { isRestoreReason, reasonText } from './restoreText'
import { VolumeStates } from './VolumeStates'

interface RestoreErrorProps {
  readonly error: unknown
  /** The audit record the attempt left, when it got that far. */
  readonly record: RestoreRecord | null
  /** The furthest step the progress events reached; null when none came. */
  readonly position: number | null
}

/**
 * Why a restore failed, with what main said about it, and what is live now: nothing was touched
 * before the app was stopped; after that the app was restarted on whatever data each volume holds.
 */
export function RestoreError({ error, record, position }: RestoreErrorProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const code = error instanceof SlipwayError ? error.code : 'INTERNAL'
  const details = error instanceof SlipwayError ? error.details : undefined
  const reason = typeof details?.reason === 'string' ? details.reason : undefined
  const target = typeof details?.target === 'string' && details.target !== '' ? details.target : null
  const needed = typeof details?.needed === 'number' ? details.needed : null
  const available = typeof details?.available === 'number' ? details.available : null
  const recordPosition = record === null ? null : stepPosition(record.step)
  const stopped = reachedStop(position) || reachedStop(recordPosition)

  const explanation =
    code === 'BUSY'
      ? t('restore.error.busy')
      : code === 'BAD_INPUT' && details?.field === 'confirm'
        ? t('restore.error.confirm')
        : code === 'BAD_INPUT' && details?.field === 'snapshotId'
          ? t('restore.error.otherWorkload')
          : code === 'NOT_FOUND'
            ? t('restore.error.notFound')
            : reason === 'config_drift'
              ? target === null
                ? reasonText(t, 'config_drift')
                : t('restore.error.configDrift', { target })
              : isRestoreReason(reason)
                ? reasonText(t, reason)
                : reason !== undefined
                  ? t('restore.reason.other', { code: reason })
                  : null

  const afterwards = !stopped
    ? t('restore.error.untouched')
    : code === 'UNAVAILABLE'
      ? t('restore.error.disconnected')
      : t('restore.error.restarted')

  return (
    <div
      className="restore-error"
      data-testid="restore-error"
      data-code={code}
      data-reason={reason ?? (typeof details?.rule === 'string' ? details.rule : undefined)}
    >
      {code === 'BUSY' ? (
        <p className="error" role="alert" data-code={code}>
          {t('restore.busy')}
        </p>
      ) : (
        <ErrorText error={error} />
      )}
      {explanation !== null && code !== 'BUSY' && (
        <p className="error" data-testid="restore-error-reason">
          {explanation}
        </p>
      )}
      {target !== null && reason !== 'config_drift' && (
        <p className="error small-text" data-testid="restore-error-target">
          {t('restore.error.target')} <span className="mono">{target}</span>
        </p>
      )}
      {needed !== null && available !== null && (
        <p className="error small-text" data-testid="restore-error-space">
          {t('restore.error.diskSpace', {
            needed: formatBytes(i18n.language, needed),
            available: formatBytes(i18n.language, available),
          })}
        </p>
      )}
      <ArchiveRefusal details={details} />
      {code !== 'BUSY' && (
        <p className="restore-afterwards" data-testid="restore-afterwards" data-stopped={String(stopped)}>
          {afterwards}
        </p>
      )}
      {record?.outcome === 'running' && (
        <p className="hint" data-testid="restore-unsettled">
          {t('restore.error.unsettled')}
        </p>
      )}
      {record !== null && record.outcome !== 'running' && record.volumes.length > 0 && (
        <div className="restore-volume-report">
          <p className="strong">{t('restore.error.volumesNow')}</p>
          <VolumeStates volumes={record.volumes} testId="restore-volume-states" />
        </div>
      )}
    </div>
  )
}
