import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RestoreRecord } from '../../../../shared/types/restore'
import { slipway } from '../../api/client'
import { useTopic } from '../../api/useTopic'
import { useHosts } from '../hosts/queries'
import { workloadHash } from '../workloads/links'
import { refreshAfterRestore } from './queries'
import { shortId, volumeName, volumeStateLabel } from './restoreText'

/** What brought the sweep that recovered a restore: Slipway starting, or its host coming back. */
type Cause = 'restart' | 'reconnect'

interface Notice {
  readonly record: RestoreRecord
  /** null while it loads, or when the workload is gone. */
  readonly workload: { readonly name: string; readonly hostId: string } | null
  readonly cause: Cause
}

/**
 * The recovery sweep (at start-up, or when a host reconnects) finished or reverted a restore that
 * had been interrupted: a banner per notice, until dismissed, linking to the workload. Mounted
 * once, for the whole app.
 */
export function RecoveryNotices(): React.JSX.Element | null {
  const { t } = useTranslation()
  const client = useQueryClient()
  const hosts = useHosts()
  const [notices, setNotices] = useState<readonly Notice[]>([])
  /** Hosts seen offline in this session: a recovery on such a host came with its reconnection. */
  const seenOffline = useRef(new Set<string>())

  useEffect(() => {
    for (const host of hosts.data ?? []) if (host.status === 'offline') seenOffline.current.add(host.id)
  }, [hosts.data])
  useTopic('hosts.status', {}, (event) => {
    if (event.status === 'offline') seenOffline.current.add(event.hostId)
  })

  useTopic('restore.notices', {}, (record) => {
    refreshAfterRestore(client)
    setNotices((before) => [
      ...before.filter((notice) => notice.record.id !== record.id),
      { record, workload: null, cause: 'restart' },
    ])
    void slipway.workloads
      .get({ workloadId: record.workloadId })
      .then(
        (workload) => ({ name: workload.name, hostId: workload.hostId }),
        () => null,
      )
      .then((workload) => {
        const cause: Cause = workload !== null && seenOffline.current.has(workload.hostId) ? 'reconnect' : 'restart'
        setNotices((before) =>
          before.map((notice) => (notice.record.id === record.id ? { ...notice, workload, cause } : notice)),
        )
      })
  })

  if (notices.length === 0) return null
  return (
    <section className="recovery-notices" aria-label={t('restore.notice.region')}>
      {notices.map((notice) => (
        <RecoveryNotice
          key={notice.record.id}
          notice={notice}
          onDismiss={() => setNotices((before) => before.filter((other) => other.record.id !== notice.record.id))}
        />
      ))}
    </section>
  )
}

function RecoveryNotice({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const { record, workload, cause } = notice
  const name = workload?.name ?? shortId(record.workloadId)
  const message =
    record.outcome === 'restored'
      ? cause === 'reconnect'
        ? t('restore.notice.finishedReconnect', { workload: name })
        : t('restore.notice.finishedRestart', { workload: name })
      : record.outcome === 'reverted'
        ? cause === 'reconnect'
          ? t('restore.notice.revertedReconnect', { workload: name })
          : t('restore.notice.revertedRestart', { workload: name })
        : record.outcome === 'restored_not_running'
          ? t('restore.notice.notRunning', { workload: name })
          : record.outcome === 'restored_unhealthy'
            ? t('restore.notice.unhealthy', { workload: name })
            : t('restore.notice.other', { workload: name })
  const volumes = record.volumes.map((volume) =>
    t('restore.notice.volume', { volume: volumeName(volume), state: volumeStateLabel(t, volume.state) }),
  )
  return (
    <div
      className={`banner recovery-notice recovery-${record.outcome}`}
      role="status"
      data-testid="recovery-notice"
      data-outcome={record.outcome}
      data-restore-id={record.id}
      data-workload-id={record.workloadId}
      data-cause={cause}
    >
      <div className="recovery-notice-text">
        <p className="strong">{message}</p>
        {volumes.length > 0 && <p>{t('restore.notice.volumes', { volumes: volumes.join(', ') })}</p>}
        {workload !== null && (
          <p>
            <a href={workloadHash(workload.hostId, record.workloadId)} data-testid="recovery-notice-link">
              {t('restore.notice.open', { workload: workload.name })}
            </a>
          </p>
        )}
      </div>
      <button
        type="button"
        className="small icon-button"
        aria-label={t('restore.notice.dismiss')}
        title={t('restore.notice.dismiss')}
        onClick={onDismiss}
        data-testid="dismiss-notice"
      >
        ×
      </button>
    </div>
  )
}
