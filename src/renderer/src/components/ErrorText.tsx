import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../shared/errors'

/** Shows an error by its code, translated; never the raw message of an unexpected error. */
export function ErrorText({ error }: { error: unknown }): React.JSX.Element {
  const { t } = useTranslation()
  const code = error instanceof SlipwayError ? error.code : 'INTERNAL'
  // A cause every form can meet, said where it happens.
  const weakSecrets = error instanceof SlipwayError && error.details?.['reason'] === 'weak_secret_storage'
  return (
    <p className="error" role="alert" data-code={code}>
      {t(`errors.${code}`)}
      {weakSecrets && ` ${t('errors.weakSecretStorage')}`}
    </p>
  )
}
