import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import { ErrorText } from '../../components/ErrorText'
import { deployErrorText, isDeployErrorCode } from './workloadText'

/** An action's error by its code; a failed deploy also says which step failed (`details.reason`). */
export function ActionError({ error }: { error: unknown }): React.JSX.Element {
  const { t } = useTranslation()
  const reason = error instanceof SlipwayError ? error.details?.reason : undefined
  const service = error instanceof SlipwayError ? error.details?.service : undefined
  return (
    <>
      <ErrorText error={error} />
      {reason === 'not_deployed' && (
        <p className="error" data-testid="deploy-error-reason" data-reason={reason}>
          {t('workloads.detail.notDeployed')}
        </p>
      )}
      {isDeployErrorCode(reason) && (
        <p className="error" data-testid="deploy-error-reason" data-reason={reason}>
          {deployErrorText(t, reason, typeof service === 'string' ? service : null)}
        </p>
      )}
    </>
  )
}
