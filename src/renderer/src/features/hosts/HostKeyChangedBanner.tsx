import { useTranslation } from 'react-i18next'
import type { ErrorDetails } from '../../../../shared/errors'
import { HOST_KEY_COMMAND } from './hostKeyCommand'
import { detailString } from './hostText'

interface HostKeyChangedBannerProps {
  /** `fingerprint` (presented now), `expectedFingerprint` (trusted before), `revoked`. */
  readonly details: ErrorDetails | null
  /** The server's name or address, for the `ssh-keygen -R` hint. */
  readonly server: string
}

/** A refused connection because the server's key changed. Deliberately has no "accept" button. */
export function HostKeyChangedBanner({ details, server }: HostKeyChangedBannerProps): React.JSX.Element {
  const { t } = useTranslation()
  const presented = detailString(details, 'fingerprint')
  const expected = detailString(details, 'expectedFingerprint')
  return (
    <div className="banner banner-danger" role="alert" data-testid="host-key-changed">
      <p className="banner-title">{t('hosts.keyChanged.title')}</p>
      <p>{details?.revoked === true ? t('hosts.keyChanged.revoked') : t('hosts.keyChanged.body')}</p>
      <dl className="facts">
        <dt>{t('hosts.keyChanged.presented')}</dt>
        <dd>
          <code className="fingerprint" data-testid="key-presented">
            {presented ?? t('hosts.keyChanged.unknownKey')}
          </code>
        </dd>
        <dt>{t('hosts.keyChanged.expected')}</dt>
        <dd>
          <code className="fingerprint" data-testid="key-expected">
            {expected ?? t('hosts.keyChanged.unknownKey')}
          </code>
        </dd>
      </dl>
      <p className="banner-title">{t('hosts.keyChanged.whatToDo')}</p>
      <ol>
        <li>
          {t('hosts.keyChanged.verify')} <code>{HOST_KEY_COMMAND}</code>
        </li>
        <li>{t('hosts.keyChanged.forget', { host: server })}</li>
        <li>{t('hosts.keyChanged.readd')}</li>
      </ol>
    </div>
  )
}
