import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { usePin } from './queries'

/** Pinned snapshots are kept whatever the retention rules say, and cannot be deleted. */
export function PinToggle({ snapshot }: { snapshot: SnapshotSummary }): React.JSX.Element {
  const { t } = useTranslation()
  const pin = usePin()
  const pinned = pin.isPending ? pin.variables.pinned : snapshot.pinned
  return (
    <span className="pin-toggle">
      <button
        type="button"
        className={`small${pinned ? ' pinned' : ''}`}
        aria-pressed={pinned}
        disabled={pin.isPending}
        title={t('snapshots.pin.hint')}
        onClick={() => pin.mutate({ snapshotId: snapshot.id, pinned: !snapshot.pinned })}
        data-testid={`pin-${snapshot.id}`}
        data-pinned={String(snapshot.pinned)}
      >
        {pinned ? t('snapshots.pin.pinned') : t('snapshots.pin.pin')}
      </button>
      {pin.isError && <ErrorText error={pin.error} />}
    </span>
  )
}
