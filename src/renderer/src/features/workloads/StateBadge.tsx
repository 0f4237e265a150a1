import { useTranslation } from 'react-i18next'
import type { WorkloadState } from '../../../../shared/types/workloads'
import { STATE_BADGE, stateLabel } from './workloadText'

export function StateBadge({ state }: { state: WorkloadState }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <span className={`badge ${STATE_BADGE[state]}`} data-testid="workload-state" data-state={state}>
      {stateLabel(t, state)}
    </span>
  )
}
