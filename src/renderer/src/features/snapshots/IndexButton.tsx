import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { useIndexSnapshot } from '../stores/queries'
import { StoreError } from '../stores/StoreError'

/**
 * A snapshot listed from a store's catalog has no browse index on this computer until asked:
 * this reads every volume back from the store once and indexes it.
 */
export function IndexButton({
  snapshot,
  small = true,
}: {
  snapshot: SnapshotSummary
  /** The compact size for table rows; a page toolbar wants the normal one. */
  small?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const index = useIndexSnapshot(snapshot.id)
  return (
    <span className="verify">
      <button
        type="button"
        className={small ? 'small' : undefined}
        disabled={index.isPending}
        title={t('stores.index.hint')}
        onClick={() => index.mutate()}
        data-testid={`index-${snapshot.id}`}
      >
        {index.isPending ? t('stores.index.running') : t('stores.index.button')}
      </button>
      {index.isError && <StoreError error={index.error} />}
    </span>
  )
}
