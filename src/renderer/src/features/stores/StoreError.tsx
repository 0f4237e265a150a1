import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useUnlockStore } from './queries'
import { errorReason, lockOf, storeReasonText } from './storeText'

interface StoreErrorProps {
  readonly error: unknown
  /** The store the failed action was on: a locked repository can then be unlocked from here. */
  readonly storeId?: string | undefined
  readonly storeName?: string | undefined
}

/**
 * A snapshot store's failure in words: why restic refused (`details.reason`), and, for a locked
 * repository, who holds the lock and the explicit way to remove it.
 */
export function StoreError({ error, storeId, storeName }: StoreErrorProps): React.JSX.Element {
  const { t } = useTranslation()
  const details = error instanceof SlipwayError ? error.details : undefined
  const reason = errorReason(error)
  const text = storeReasonText(t, reason, details)
  return (
    <div className="store-error" data-testid="store-error" data-reason={reason ?? undefined}>
      {text === null ? (
        <ErrorText error={error} />
      ) : (
        <p
          className="error"
          role="alert"
          data-code={error instanceof SlipwayError ? error.code : 'INTERNAL'}
          data-testid="store-error-text"
        >
          {text}
        </p>
      )}
      {reason === 'store_locked' && <LockHolder details={details} />}
      {reason === 'store_locked' &&
        (storeId === undefined ? (
          <p className="hint">{t('stores.unlock.fromSettings')}</p>
        ) : (
          <UnlockOffer storeId={storeId} storeName={storeName} details={details} />
        ))}
    </div>
  )
}

function LockHolder({ details }: { details: SlipwayError['details'] }): React.JSX.Element {
  const { t } = useTranslation()
  const lock = lockOf(details)
  const unknown = t('stores.unlock.unknown')
  return (
    <dl className="facts lock-holder" data-testid="lock-holder">
      <dt>{t('stores.unlock.pid')}</dt>
      <dd className="mono" data-testid="lock-pid">
        {lock.pid === null ? unknown : String(lock.pid)}
      </dd>
      <dt>{t('stores.unlock.host')}</dt>
      <dd className="mono" data-testid="lock-host">
        {lock.host ?? unknown}
      </dd>
      <dt>{t('stores.unlock.createdAt')}</dt>
      <dd className="mono" data-testid="lock-created">
        {lock.createdAt ?? unknown}
      </dd>
    </dl>
  )
}

function UnlockOffer({
  storeId,
  storeName,
  details,
}: {
  storeId: string
  storeName: string | undefined
  details: SlipwayError['details']
}): React.JSX.Element {
  const { t } = useTranslation()
  const unlock = useUnlockStore(storeId)
  const [confirming, setConfirming] = useState(false)
  const [all, setAll] = useState(false)
  return (
    <div className="unlock-offer">
      {unlock.isSuccess ? (
        <p className="ok-text" role="status" data-testid="unlock-done">
          {t('stores.unlock.done')}
        </p>
      ) : (
        <button
          type="button"
          className="small"
          onClick={() => {
            unlock.reset()
            setAll(false)
            setConfirming(true)
          }}
          data-testid={`unlock-${storeId}`}
        >
          {t('stores.unlock.button')}
        </button>
      )}
      {confirming && (
        <Dialog
          title={storeName === undefined ? t('stores.unlock.title') : t('stores.unlock.titleFor', { name: storeName })}
          onClose={() => setConfirming(false)}
          busy={unlock.isPending}
          tone="danger"
          testId="unlock-dialog"
        >
          <p>{t('stores.unlock.body')}</p>
          <LockHolder details={details} />
          <p className="hint strong">{t('stores.unlock.warning')}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={all}
              disabled={unlock.isPending}
              onChange={(event) => setAll(event.target.checked)}
              data-testid="unlock-all"
            />
            <span>{t('stores.unlock.all')}</span>
          </label>
          {unlock.isError && <StoreError error={unlock.error} />}
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirming(false)} disabled={unlock.isPending} data-autofocus>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={unlock.isPending}
              onClick={() => unlock.mutate(all, { onSuccess: () => setConfirming(false) })}
              data-testid="confirm-unlock"
            >
              {unlock.isPending ? t('stores.unlock.running') : t('stores.unlock.confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  )
}
