import { useTranslation } from 'react-i18next'
import type { StoreVerifyResult } from '../../../../shared/types/stores'
import { formatNumber, formatPercent } from '../../components/format'
import { useStoreVerify } from '../stores/queries'
import { StoreError } from '../stores/StoreError'

/** The share of the repository's pack data `restic check` reads back: enough to catch rot, quick enough to run. */
export const STORE_VERIFY_READ_PERCENT = 5

/**
 * Verifies a snapshot's copy in one store: `restic check` of part of the data, then a restore drill
 * of every volume into a scratch folder, compared with the index.
 */
export function StoreVerifyButton({
  snapshotId,
  store,
  small = true,
}: {
  snapshotId: string
  store: { readonly storeId: string; readonly name: string }
  small?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const verify = useStoreVerify(snapshotId, store.storeId)
  return (
    <span className="verify store-verify">
      <button
        type="button"
        className={small ? 'small' : undefined}
        disabled={verify.isPending}
        title={t('stores.verify.hint')}
        onClick={() => verify.mutate(STORE_VERIFY_READ_PERCENT)}
        data-testid={`store-verify-${snapshotId}-${store.storeId}`}
      >
        {verify.isPending
          ? t('stores.verify.running', { name: store.name })
          : t('stores.verify.button', { name: store.name })}
      </button>
      <span aria-live="polite">
        {verify.isSuccess && (
          <StoreVerifyOutcome snapshotId={snapshotId} storeId={store.storeId} result={verify.data} />
        )}
      </span>
      {verify.isError && <StoreError error={verify.error} storeId={store.storeId} storeName={store.name} />}
    </span>
  )
}

function StoreVerifyOutcome({
  snapshotId,
  storeId,
  result,
}: {
  snapshotId: string
  storeId: string
  result: StoreVerifyResult
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const ok = result.checkOk && result.volumes.every((volume) => volume.ok)
  return (
    <span
      className="store-verify-result"
      role="status"
      data-testid={`store-verify-result-${snapshotId}-${storeId}`}
      data-ok={String(ok)}
    >
      <span
        className={`badge ${result.checkOk ? 'badge-ok' : 'badge-bad'}`}
        data-testid="store-check"
        data-ok={String(result.checkOk)}
      >
        {result.checkOk
          ? t('stores.verify.checkOk', { percent: formatPercent(language, result.readDataPercent / 100) })
          : t('stores.verify.checkFailed', { percent: formatPercent(language, result.readDataPercent / 100) })}
      </span>
      <ul className="plain-list store-drill">
        {result.volumes.map((volume) => (
          <li key={volume.index} data-testid={`store-drill-${volume.index}`} data-ok={String(volume.ok)}>
            <span className={`badge ${volume.ok ? 'badge-ok' : 'badge-bad'}`}>
              {volume.ok
                ? t('stores.verify.volumeOk', {
                    n: formatNumber(language, volume.index + 1),
                    files: formatNumber(language, volume.files),
                  })
                : t('stores.verify.volumeBad', {
                    n: formatNumber(language, volume.index + 1),
                    mismatches: formatNumber(language, volume.mismatches),
                  })}
            </span>
          </li>
        ))}
      </ul>
    </span>
  )
}
