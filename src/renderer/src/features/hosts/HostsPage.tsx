import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import type { DockerContextCandidate, HostView } from '../../../../shared/types/hosts'
import { ErrorText } from '../../components/ErrorText'
import { FingerprintDialog } from './FingerprintDialog'
import { HostCard } from './HostCard'
import { emptyHostForm, formValuesFromHost, HostForm, type HostFormValues } from './HostForm'
import { detailString, hostDisplayName } from './hostText'
import { ImportContextsDialog } from './ImportContextsDialog'
import { useHosts, type SaveHostResult } from './queries'

/** The one modal the page shows at a time. */
type Overlay =
  | { readonly kind: 'form'; readonly host: HostView | null; readonly initial: HostFormValues }
  | { readonly kind: 'import' }
  | { readonly kind: 'trust'; readonly hostId: string; readonly hostName: string; readonly fingerprint: string }
  | null

function fromContext(candidate: DockerContextCandidate): HostFormValues {
  return {
    ...emptyHostForm,
    name: candidate.name,
    hostname: candidate.hostname,
    port: candidate.port === null ? '' : String(candidate.port),
    user: candidate.user ?? '',
  }
}

export function HostsPage(): React.JSX.Element {
  const { t } = useTranslation()
  const hosts = useHosts()
  const [overlay, setOverlay] = useState<Overlay>(null)
  const close = (): void => setOverlay(null)

  const askTrust = (host: HostView, fingerprint: string): void =>
    setOverlay({ kind: 'trust', hostId: host.id, hostName: hostDisplayName(t, host), fingerprint })

  const onSaved = (result: SaveHostResult, name: string): void => {
    const error = result.connectError
    const fingerprint =
      error instanceof SlipwayError && error.code === 'HOST_KEY_UNKNOWN'
        ? detailString(error.details, 'fingerprint')
        : null
    // Any other connect failure shows on the host's card, which the list refresh brings up to date.
    setOverlay(fingerprint === null ? null : { kind: 'trust', hostId: result.hostId, hostName: name, fingerprint })
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t('hosts.title')}</h1>
        <div className="toolbar">
          <button type="button" onClick={() => setOverlay({ kind: 'import' })} data-testid="import-contexts">
            {t('hosts.import.button')}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => setOverlay({ kind: 'form', host: null, initial: emptyHostForm })}
            data-testid="add-host"
          >
            {t('hosts.add')}
          </button>
        </div>
      </header>
      {hosts.isPending && <p className="muted">{t('common.loading')}</p>}
      {hosts.isError && <ErrorText error={hosts.error} />}
      <div className="cards">
        {hosts.data?.map((host) => (
          <HostCard
            key={host.id}
            host={host}
            onEdit={(edited) => setOverlay({ kind: 'form', host: edited, initial: formValuesFromHost(edited) })}
            onHostKeyUnknown={askTrust}
          />
        ))}
      </div>
      {hosts.data?.every((host) => host.kind === 'local') === true && (
        <p className="muted hint-block">{t('hosts.onlyLocal')}</p>
      )}

      {overlay?.kind === 'form' && (
        <HostForm host={overlay.host} initial={overlay.initial} onCancel={close} onSaved={onSaved} />
      )}
      {overlay?.kind === 'import' && (
        <ImportContextsDialog
          onClose={close}
          onPick={(candidate) => setOverlay({ kind: 'form', host: null, initial: fromContext(candidate) })}
        />
      )}
      {overlay?.kind === 'trust' && (
        <FingerprintDialog
          hostId={overlay.hostId}
          hostName={overlay.hostName}
          fingerprint={overlay.fingerprint}
          onClose={close}
        />
      )}
    </section>
  )
}
