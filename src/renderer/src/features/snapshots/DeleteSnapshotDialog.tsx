import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatDateTime } from '../../components/format'
import { StoreError } from '../stores/StoreError'
import { errorReason } from '../stores/storeText'
import { useDeleteSnapshot } from './queries'

interface DeleteSnapshotDialogProps {
  readonly snapshot: SnapshotSummary
  readonly onClose: () => void
  readonly onDeleted?: () => void
}

/** Deleting a snapshot removes its archives from this computer for good. */
export function DeleteSnapshotDialog({ snapshot, onClose, onDeleted }: DeleteSnapshotDialogProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const remove = useDeleteSnapshot()
  return (
    <Dialog
      title={t('snapshots.delete.title')}
      onClose={onClose}
      busy={remove.isPending}
      tone="danger"
      testId="delete-snapshot-dialog"
    >
      <p>
        {t('snapshots.delete.body', {
          name: snapshot.workloadName,
          date: formatDateTime(i18n.language, snapshot.createdAt),
          size: formatBytes(i18n.language, snapshot.archiveBytes),
        })}
      </p>
      {snapshot.label !== null && <p className="strong">{snapshot.label}</p>}
      {snapshot.places.stores.length > 0 && (
        <p data-testid="delete-store-copies">
          {t('stores.deleteCopies', { stores: snapshot.places.stores.map((store) => store.name).join(', ') })}
        </p>
      )}
      <p className="hint">{t('snapshots.delete.note')}</p>
      {snapshot.pinned && <p className="error">{t('snapshots.delete.pinned')}</p>}
      {remove.isError &&
        (errorReason(remove.error) !== null && errorReason(remove.error) !== 'pinned' ? (
          <StoreError error={remove.error} />
        ) : remove.error instanceof SlipwayError && remove.error.code === 'CONFLICT' ? (
          <p className="error" role="alert" data-code="CONFLICT">
            {t('snapshots.delete.pinned')}
          </p>
        ) : (
          <ErrorText error={remove.error} />
        ))}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={remove.isPending} data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending || snapshot.pinned}
          onClick={() =>
            remove.mutate(snapshot.id, {
              onSuccess: () => {
                onClose()
                onDeleted?.()
              },
            })
          }
          data-testid="confirm-delete-snapshot"
        >
          {remove.isPending ? t('snapshots.delete.deleting') : t('snapshots.delete.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
