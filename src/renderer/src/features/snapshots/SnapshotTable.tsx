import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { formatBytes, formatDateTime, formatDuration, formatNumber, formatRelative } from '../../components/format'
import { HookRunsDetails, HooksBadge } from './HookRuns'
import { IndexButton } from './IndexButton'
import { snapshotHash } from './links'
import { PinToggle } from './PinToggle'
import { PlacesBadges } from './PlacesBadges'
import { captureModeLabel, originLabel } from './snapshotText'
import { StoreVerifyButton } from './StoreVerifyButton'
import { VerifyButton } from './VerifyButton'

export interface SnapshotTableProps {
  readonly snapshots: readonly SnapshotSummary[]
  readonly onDelete: (snapshot: SnapshotSummary) => void
  /** More actions per snapshot (e.g. Restore), placed before Delete. */
  readonly rowActions?: ((snapshot: SnapshotSummary) => ReactNode) | undefined
}

/** Every column of a row: the hook runs' details span them all. */
const COLUMNS = 8

/** A workload's snapshots, newest first, with what can be done to each. */
export function SnapshotTable({ snapshots, onDelete, rowActions }: SnapshotTableProps): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="table-wrap">
      <table className="table snapshot-table" data-testid="snapshot-table">
        <thead>
          <tr>
            <th scope="col">{t('snapshots.columns.time')}</th>
            <th scope="col">{t('snapshots.columns.label')}</th>
            <th scope="col">{t('snapshots.columns.origin')}</th>
            <th scope="col">{t('stores.places.column')}</th>
            <th scope="col">{t('snapshots.columns.size')}</th>
            <th scope="col">{t('snapshots.columns.volumes')}</th>
            <th scope="col">{t('snapshots.columns.pinned')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('snapshots.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((snapshot) => (
            <SnapshotRow
              key={snapshot.id}
              snapshot={snapshot}
              onDelete={() => onDelete(snapshot)}
              extra={rowActions?.(snapshot)}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function SnapshotRow({
  snapshot,
  onDelete,
  extra,
}: {
  snapshot: SnapshotSummary
  onDelete: () => void
  extra: ReactNode
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const [runsOpen, setRunsOpen] = useState(false)
  const runsId = useId()
  return (
    <>
      <tr
        data-testid={`snapshot-row-${snapshot.id}`}
        data-origin={snapshot.origin}
        data-pinned={String(snapshot.pinned)}
        data-local={String(snapshot.places.local)}
        data-indexed={String(snapshot.indexed)}
      >
        <td>
          <time dateTime={snapshot.createdAt} title={formatRelative(language, snapshot.createdAt)}>
            {formatDateTime(language, snapshot.createdAt)}
          </time>
          <div className="hint">
            {captureModeLabel(t, snapshot.mode)}
            {snapshot.consistency.pausedMs !== null &&
              ` ${t('snapshots.pausedFor', { time: formatDuration(language, snapshot.consistency.pausedMs) })}`}
          </div>
          {snapshot.consistency.mayBeInconsistent && (
            <span
              className="badge badge-warn"
              data-testid="may-be-inconsistent"
              title={t('snapshots.mayBeInconsistentHint')}
            >
              {t('snapshots.mayBeInconsistent')}
            </span>
          )}
          {snapshot.hooks.ran > 0 && (
            <div className="hook-summary">
              <HooksBadge hooks={snapshot.hooks} />
              <button
                type="button"
                className="small"
                aria-expanded={runsOpen}
                aria-controls={runsOpen ? runsId : undefined}
                onClick={() => setRunsOpen(!runsOpen)}
                data-testid={`hook-runs-toggle-${snapshot.id}`}
              >
                {runsOpen ? t('snapshots.hooks.hideRuns') : t('snapshots.hooks.showRuns')}
              </button>
            </div>
          )}
        </td>
        <td className="snapshot-label">{snapshot.label ?? <span className="muted">—</span>}</td>
        <td>
          <span className={`badge origin-${snapshot.origin}`}>{originLabel(t, snapshot.origin)}</span>
        </td>
        <td>
          <PlacesBadges places={snapshot.places} />
        </td>
        <td className="nowrap">
          <div>{formatBytes(language, snapshot.bytes)}</div>
          {snapshot.places.local && (
            <div className="hint">
              {t('snapshots.archiveSize', { size: formatBytes(language, snapshot.archiveBytes) })}
            </div>
          )}
        </td>
        <td>{formatNumber(language, snapshot.volumes.length)}</td>
        <td>
          <PinToggle snapshot={snapshot} />
        </td>
        <td>
          <div className="row-actions">
            <VerifyButton snapshotId={snapshot.id} local={snapshot.places.local} />
            {snapshot.places.stores.map((store) => (
              <StoreVerifyButton key={store.storeId} snapshotId={snapshot.id} store={store} />
            ))}
            {snapshot.indexed ? (
              <a className="button-link small" href={snapshotHash(snapshot.id)} data-testid={`browse-${snapshot.id}`}>
                {t('snapshots.browse')}
              </a>
            ) : (
              <IndexButton snapshot={snapshot} />
            )}
            {extra}
            <button
              type="button"
              className="small danger-text"
              disabled={snapshot.pinned}
              title={snapshot.pinned ? t('snapshots.delete.pinnedHint') : undefined}
              onClick={onDelete}
              data-testid={`delete-snapshot-${snapshot.id}`}
            >
              {t('snapshots.delete.button')}
            </button>
          </div>
        </td>
      </tr>
      {runsOpen && (
        <tr className="hook-runs-row">
          <td colSpan={COLUMNS}>
            <HookRunsDetails snapshotId={snapshot.id} id={runsId} />
          </td>
        </tr>
      )}
    </>
  )
}
