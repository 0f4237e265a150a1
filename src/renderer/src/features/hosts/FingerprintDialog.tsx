import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { HOST_KEY_COMMAND } from './hostKeyCommand'
import { useTrustHost } from './queries'

/** Codes that mean the key was stored and only the connection after it failed: the card shows why. */
const TRUSTED_THEN_FAILED = new Set(['AUTH_FAILED', 'UNAVAILABLE'])

interface FingerprintDialogProps {
  readonly hostId: string
  readonly hostName: string
  readonly fingerprint: string
  readonly onClose: () => void
}

/** Asks the user to confirm a host key the server presented for the first time. */
export function FingerprintDialog({
  hostId,
  hostName,
  fingerprint,
  onClose,
}: FingerprintDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const trust = useTrustHost()
  const error = trust.error
  return (
    <Dialog title={t('hosts.trust.title')} onClose={onClose} busy={trust.isPending} testId="fingerprint-dialog">
      <p>{t('hosts.trust.intro', { name: hostName })}</p>
      <p className="strong">{t('hosts.trust.question')}</p>
      <code className="fingerprint" data-testid="fingerprint-value">
        {fingerprint}
      </code>
      <p>{t('hosts.trust.compare')}</p>
      <pre className="command">
        <code>{HOST_KEY_COMMAND}</code>
      </pre>
      <p className="hint">{t('hosts.trust.otherKeys')}</p>
      <p>{t('hosts.trust.warning')}</p>
      {error !== null &&
        (error instanceof SlipwayError && error.code === 'CONFLICT' ? (
          <p className="error" role="alert" data-code="CONFLICT">
            {t('hosts.trust.conflict')}
          </p>
        ) : (
          <ErrorText error={error} />
        ))}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={trust.isPending} data-testid="cancel-trust" data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={trust.isPending}
          data-testid="trust-host"
          onClick={() =>
            trust.mutate(
              { hostId, fingerprint },
              {
                onSuccess: onClose,
                onError: (failure) => {
                  if (failure instanceof SlipwayError && TRUSTED_THEN_FAILED.has(failure.code)) onClose()
                },
              },
            )
          }
        >
          {trust.isPending ? t('hosts.trust.trusting') : t('hosts.trust.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
