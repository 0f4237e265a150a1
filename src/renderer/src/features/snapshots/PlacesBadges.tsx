import { useTranslation } from 'react-i18next'
import type { SnapshotPlaces } from '../../../../shared/types/stores'

/** Where a snapshot's data is: "This computer" and/or the stores holding a copy. */
export function PlacesBadges({ places }: { places: SnapshotPlaces }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <span
      className="places"
      aria-label={t('stores.places.label')}
      data-testid="snapshot-places"
      data-local={String(places.local)}
    >
      {places.local && (
        <span className="badge badge-muted place-local" data-testid="place-local">
          {t('stores.places.local')}
        </span>
      )}
      {places.stores.map((store) => (
        <span
          key={store.storeId}
          className="badge place-store"
          title={t('stores.places.storeHint', { name: store.name })}
          data-testid={`place-store-${store.storeId}`}
          data-store-name={store.name}
        >
          {store.name}
        </span>
      ))}
    </span>
  )
}
