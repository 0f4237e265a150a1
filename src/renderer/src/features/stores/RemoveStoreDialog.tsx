import { useTranslation } from 'react-i18next'
import type { StoreSummary } from '../../../../shared/types/stores'
import { Dialog } from '../../components/Dialog'
import { useRemoveStore } from './queries'
import { StoreError } from './StoreError'

/** Slipway stops using the store; the repository and every snapshot in it stay where they are. */
export function RemoveStoreDialog({ store, onClose }: { store: StoreSummary; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const remove = useRemoveStore()
  return (
    <Dialog
      title={t('stores.remove.title', { name: store.name })}
      onClose={onClose}
      busy={remove.isPending}
      tone="danger"
      testId="remove-store-dialog"
    >
      <p className="mono">{store.display}</p>
      <p>{t('stores.remove.body')}</p>
      <p className="hint">{t('stores.remove.onlyThere')}</p>
      <p className="hint">{t('stores.remove.again')}</p>
      {remove.isError && <StoreError error={remove.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={remove.isPending} data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(store.id, { onSuccess: onClose })}
          data-testid="confirm-remove-store"
        >
          {remove.isPending ? t('stores.remove.running') : t('stores.remove.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
