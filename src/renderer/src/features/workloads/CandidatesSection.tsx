import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AdoptionCandidate } from '../../../../shared/types/workloads'
import { ErrorText } from '../../components/ErrorText'
import { AdoptDialog } from './AdoptDialog'
import { useAdoptionCandidates } from './queries'
import { containerStateLabel } from './workloadText'

/** Containers and compose projects on the host that Slipway does not manage yet, each adoptable. */
export function CandidatesSection({ hostId }: { hostId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const candidates = useAdoptionCandidates(hostId)
  const [adopting, setAdopting] = useState<AdoptionCandidate | null>(null)

  return (
    <section className="section" aria-labelledby="workloads-candidates" data-testid="candidates">
      <h2 id="workloads-candidates" className="section-title">
        {t('workloads.candidates.title')}
      </h2>
      <p className="hint">{t('workloads.candidates.intro')}</p>
      {candidates.isPending && <p className="muted">{t('common.loading')}</p>}
      {candidates.isError && <ErrorText error={candidates.error} />}
      {candidates.data?.length === 0 && (
        <p className="muted" data-testid="candidates-empty">
          {t('workloads.candidates.empty')}
        </p>
      )}
      {candidates.data !== undefined && candidates.data.length > 0 && (
        <ul className="candidate-list">
          {candidates.data.map((candidate) => (
            <li key={`${candidate.kind}:${candidate.key}`} data-testid={`candidate-${candidate.key}`}>
              <div className="candidate-main">
                <div className="candidate-title">
                  <span className="strong">{candidate.name}</span>
                  <span className="badge badge-muted">
                    {candidate.kind === 'compose'
                      ? t('workloads.candidates.compose')
                      : t('workloads.candidates.container')}
                  </span>
                </div>
                <ul className="plain-list candidate-containers">
                  {candidate.containers.map((container) => (
                    <li key={container.id}>
                      <span className="mono">{container.name}</span>
                      <span className="muted mono">{container.image}</span>
                      <span className="muted">{containerStateLabel(t, container.state)}</span>
                    </li>
                  ))}
                </ul>
              </div>
              <button type="button" onClick={() => setAdopting(candidate)} data-testid={`adopt-${candidate.key}`}>
                {t('workloads.candidates.adopt')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {adopting !== null && <AdoptDialog hostId={hostId} candidate={adopting} onClose={() => setAdopting(null)} />}
    </section>
  )
}
