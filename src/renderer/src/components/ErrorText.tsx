import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../shared/errors'

/** Shows an error by its code, translated; never the raw message of an unexpected error. */
export function ErrorText({ error }: { error: unknown }): React.JSX.Element {
  const { t } = useTranslation()
  const code = error instanceof SlipwayError ? error.code : 'INTERNAL'
  return (
    <p className="error" role="alert" data-code={code}>
      {t(`errors.${code}`)}
    </p>
  )
}
