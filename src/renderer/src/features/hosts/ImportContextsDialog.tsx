import { useTranslation } from 'react-i18next'
import type { DockerContextCandidate } from '../../../../shared/types/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { formatDestination } from './hostText'
import { useDockerContexts } from './queries'

interface ImportContextsDialogProps {
  readonly onPick: (candidate: DockerContextCandidate) => void
  readonly onClose: () => void
}

/** The SSH endpoints of `docker context`s, each a shortcut to a prefilled add-host form. */
export function ImportContextsDialog({ onPick, onClose }: ImportContextsDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const contexts = useDockerContexts()
  return (
    <Dialog title={t('hosts.import.title')} onClose={onClose} testId="import-dialog">
      <p className="hint">{t('hosts.import.intro')}</p>
      {contexts.isPending && <p className="muted">{t('common.loading')}</p>}
      {contexts.isError && <ErrorText error={contexts.error} />}
      {contexts.data?.length === 0 && <p className="muted">{t('hosts.import.empty')}</p>}
      {contexts.data !== undefined && contexts.data.length > 0 && (
        <ul className="context-list">
          {contexts.data.map((candidate) => (
            <li key={candidate.name} data-testid={`context-${candidate.name}`}>
              <div>
                <div className="strong">{candidate.name}</div>
                <div className="mono muted">
                  {formatDestination({
                    alias: null,
                    hostname: candidate.hostname,
                    port: candidate.port,
                    user: candidate.user,
                  })}
                </div>
              </div>
              {candidate.alreadyAdded && <span className="badge badge-muted">{t('hosts.import.alreadyAdded')}</span>}
              <button
                type="button"
                disabled={candidate.alreadyAdded}
                onClick={() => onPick(candidate)}
                data-testid="import-context"
              >
                {t('hosts.import.use')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-testid="close-import">
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  )
}
