import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { formatDateTime } from '../../components/format'

interface RestoreButtonProps {
  readonly snapshot: SnapshotSummary
  /** A restore of this workload runs: no other may start. */
  readonly busy: boolean
  readonly onClick: () => void
}

/** A snapshot row's Restore button: it only opens the confirmation dialog. */
export function RestoreButton({ snapshot, busy, onClick }: RestoreButtonProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <button
      type="button"
      className="small danger-text"
      disabled={busy}
      title={busy ? t('restore.busyHint') : t('restore.buttonHint')}
      aria-label={t('restore.buttonLabel', { date: formatDateTime(i18n.language, snapshot.createdAt) })}
      onClick={onClick}
      data-testid={`restore-${snapshot.id}`}
    >
      {t('restore.button')}
    </button>
  )
}
