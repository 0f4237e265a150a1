import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkloadDetail } from '../../../../shared/types/workloads'
import { slipway } from '../../api/client'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'

/** The workload as a compose file and its .env: secrets named, their values only when asked for. */
export function ComposeExportDialog({
  workload,
  onClose,
}: {
  workload: WorkloadDetail
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const [includeSecrets, setIncludeSecrets] = useState(false)
  const exported = useQuery({
    queryKey: ['compose', 'export', workload.id, includeSecrets],
    queryFn: () => slipway.workloads.exportCompose({ workloadId: workload.id, includeSecrets }),
    staleTime: 0,
    gcTime: 0,
  })
  const save = (text: string, file: string): void => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
    const link = document.createElement('a')
    link.href = url
    link.download = file
    link.click()
    URL.revokeObjectURL(url)
  }
  return (
    <Dialog
      title={t('workloads.compose.exportTitle', { name: workload.name })}
      onClose={onClose}
      large
      testId="compose-export"
    >
      <div className="stack">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={includeSecrets}
            data-testid="compose-include-secrets"
            onChange={(event) => setIncludeSecrets(event.target.checked)}
          />
          <span>{t('workloads.compose.includeSecrets')}</span>
        </label>
        {includeSecrets && <p className="error">{t('workloads.compose.secretsWarning')}</p>}
        {exported.isError && <ErrorText error={exported.error} />}
        {exported.data !== undefined && (
          <>
            <label className="form-field">
              <span>{t('workloads.compose.fileName')}</span>
              <textarea
                className="mono code-area"
                rows={18}
                readOnly
                value={exported.data.compose}
                data-testid="compose-exported"
              />
            </label>
            <label className="form-field">
              <span>{t('workloads.compose.envName')}</span>
              <textarea
                className="mono code-area"
                rows={4}
                readOnly
                value={exported.data.env}
                data-testid="compose-exported-env"
              />
            </label>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
          <button
            type="button"
            disabled={exported.data === undefined}
            onClick={() => save(exported.data?.env ?? '', '.env')}
          >
            {t('workloads.compose.saveEnv')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={exported.data === undefined}
            onClick={() => save(exported.data?.compose ?? '', 'compose.yaml')}
          >
            {t('workloads.compose.save')}
          </button>
        </div>
      </div>
    </Dialog>
  )
}
