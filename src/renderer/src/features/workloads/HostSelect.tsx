import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { HostView } from '../../../../shared/types/hosts'
import { hostDisplayName } from '../hosts/hostText'

interface HostSelectProps {
  readonly hosts: readonly HostView[] | undefined
  readonly hostId: string
  readonly onChange: (hostId: string) => void
}

/** Which host's workloads the page shows. */
export function HostSelect({ hosts, hostId, onChange }: HostSelectProps): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const known = hosts?.some((host) => host.id === hostId) === true
  return (
    <div className="inline-field">
      <label htmlFor={id}>{t('workloads.host')}</label>
      <select
        id={id}
        data-testid="workload-host-select"
        value={hostId}
        onChange={(event) => onChange(event.target.value)}
      >
        {!known && <option value={hostId}>{hosts === undefined ? t('common.loading') : hostId}</option>}
        {hosts?.map((host) => (
          <option key={host.id} value={host.id}>
            {host.status === 'offline' && host.kind !== 'local'
              ? t('workloads.hostOffline', { name: hostDisplayName(t, host) })
              : hostDisplayName(t, host)}
          </option>
        ))}
      </select>
    </div>
  )
}
