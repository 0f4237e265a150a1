import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CatalogResult, StoreStats, StoreSummary } from '../../../../shared/types/stores'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatNumber } from '../../components/format'
import { AddStoreDialog } from './AddStoreDialog'
import { useCatalog, useStores, useStoreStats } from './queries'
import { RemoveStoreDialog } from './RemoveStoreDialog'
import { StoreError } from './StoreError'
import { storeKindLabel } from './storeText'

type Overlay = { readonly kind: 'add' } | { readonly kind: 'remove'; readonly store: StoreSummary } | null

/**
 * Snapshot stores: restic repositories (a folder, an SSH host, a REST server, S3) that snapshots can
 * go to besides this computer, deduplicated and encrypted. Adding one creates or attaches a
 * repository; removing one only makes Slipway stop using it.
 */
export function StoresSection(): React.JSX.Element {
  const { t } = useTranslation()
  const stores = useStores()
  const [overlay, setOverlay] = useState<Overlay>(null)
  return (
    <section className="stack stores-section" aria-labelledby="stores-title" data-testid="stores-section">
      <div className="section-header">
        <h2 id="stores-title">{t('stores.title')}</h2>
        <button
          type="button"
          className="small primary"
          onClick={() => setOverlay({ kind: 'add' })}
          data-testid="add-store"
        >
          {t('stores.add.button')}
        </button>
      </div>
      <p className="muted">{t('stores.intro')}</p>
      {stores.isPending && <p className="muted">{t('common.loading')}</p>}
      {stores.isError && <ErrorText error={stores.error} />}
      {stores.isSuccess && stores.data.length === 0 && (
        <p className="muted" data-testid="stores-empty">
          {t('stores.empty')}
        </p>
      )}
      {stores.isSuccess && stores.data.length > 0 && (
        <ul className="plain-list store-list">
          {stores.data.map((store) => (
            <StoreItem key={store.id} store={store} onRemove={() => setOverlay({ kind: 'remove', store })} />
          ))}
        </ul>
      )}
      {overlay?.kind === 'add' && <AddStoreDialog onClose={() => setOverlay(null)} />}
      {overlay?.kind === 'remove' && <RemoveStoreDialog store={overlay.store} onClose={() => setOverlay(null)} />}
    </section>
  )
}

function StoreItem({ store, onRemove }: { store: StoreSummary; onRemove: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const stats = useStoreStats(store.id)
  const catalog = useCatalog(store.id)
  return (
    <li className="store-item" data-testid={`store-${store.id}`} data-store-name={store.name}>
      <div className="store-head">
        <div className="store-title">
          <span className="strong" data-testid="store-name">
            {store.name}
          </span>
          <span className="badge badge-muted">{storeKindLabel(t, store.location.kind)}</span>
        </div>
        <div className="row-actions">
          <button
            type="button"
            className="small"
            disabled={stats.isPending}
            title={t('stores.stats.hint')}
            onClick={() => stats.mutate()}
            data-testid={`store-stats-${store.id}`}
          >
            {stats.isPending ? t('stores.stats.running') : t('stores.stats.button')}
          </button>
          <button
            type="button"
            className="small"
            disabled={catalog.isPending}
            title={t('stores.catalog.hint')}
            onClick={() => catalog.mutate()}
            data-testid={`store-catalog-${store.id}`}
          >
            {catalog.isPending ? t('stores.catalog.running') : t('stores.catalog.button')}
          </button>
          <button
            type="button"
            className="small danger-text"
            onClick={onRemove}
            data-testid={`remove-store-${store.id}`}
          >
            {t('stores.remove.button')}
          </button>
        </div>
      </div>
      <p className="mono store-display" data-testid="store-display">
        {store.display}
      </p>
      <p className="hint" data-testid="store-count">
        {t('stores.snapshotCount', { n: formatNumber(i18n.language, store.snapshots) })}
      </p>
      <div aria-live="polite">
        {stats.isSuccess && <StatsResult stats={stats.data} storeId={store.id} />}
        {catalog.isSuccess && <CatalogOutcome result={catalog.data} storeId={store.id} />}
      </div>
      {stats.isError && <StoreError error={stats.error} storeId={store.id} storeName={store.name} />}
      {catalog.isError && <StoreError error={catalog.error} storeId={store.id} storeName={store.name} />}
    </li>
  )
}

function StatsResult({ stats, storeId }: { stats: StoreStats; storeId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  // How many times more a restore of everything writes than the repository occupies.
  const ratio = stats.storedBytes > 0 ? stats.restoreBytes / stats.storedBytes : null
  return (
    <dl className="facts store-stats" data-testid={`store-stats-result-${storeId}`}>
      <dt>{t('stores.stats.stored')}</dt>
      <dd data-testid="stats-stored">{formatBytes(language, stats.storedBytes)}</dd>
      <dt>{t('stores.stats.restore')}</dt>
      <dd data-testid="stats-restore">{formatBytes(language, stats.restoreBytes)}</dd>
      <dt>{t('stores.stats.ratio')}</dt>
      <dd data-testid="stats-ratio">
        {ratio === null ? '—' : t('stores.stats.ratioValue', { ratio: formatNumber(language, ratio, 1) })}
      </dd>
      <dt>{t('stores.stats.resticSnapshots')}</dt>
      <dd data-testid="stats-restic-snapshots">{formatNumber(language, stats.resticSnapshots)}</dd>
    </dl>
  )
}

function CatalogOutcome({ result, storeId }: { result: CatalogResult; storeId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const n = (value: number): string => formatNumber(i18n.language, value)
  return (
    <div className="ok-text" role="status" data-testid={`store-catalog-result-${storeId}`}>
      <p>{t('stores.catalog.done', { added: n(result.added), known: n(result.known), skipped: n(result.skipped) })}</p>
      {result.skipped > 0 && <p className="warning-text">{t('stores.catalog.skippedHint')}</p>}
      {result.added > 0 && <p className="hint">{t('stores.catalog.addedHint')}</p>}
    </div>
  )
}
