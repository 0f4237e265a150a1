import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError, type ErrorCode, type ErrorDetails } from '../../../../shared/errors'
import type { ConnectionStatus, EngineFacts as Facts, HostView } from '../../../../shared/types/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { ConnectionTestPanel } from './ConnectionTestPanel'
import { HelperImageField } from './HelperImageField'
import { HostKeyChangedBanner } from './HostKeyChangedBanner'
import {
  detailString,
  formatDestination,
  hostDisplayName,
  knownHostsName,
  reasonDetailText,
  reasonText,
  statusLabel,
} from './hostText'
import { useConnectHost, useEngineFacts, useRemoveHost, useTestConnection } from './queries'

interface ShownStatus {
  readonly status: ConnectionStatus
  readonly reason: ErrorCode | null
  readonly details: ErrorDetails | null
}

const BADGE: Record<ConnectionStatus, string> = {
  connected: 'badge-ok',
  connecting: 'badge-pending',
  offline: 'badge-bad',
}

interface HostCardProps {
  readonly host: HostView
  readonly onEdit: (host: HostView) => void
  readonly onHostKeyUnknown: (host: HostView, fingerprint: string) => void
}

export function HostCard({ host, onEdit, onHostKeyUnknown }: HostCardProps): React.JSX.Element {
  const { t } = useTranslation()
  const isLocal = host.kind === 'local'
  // The local engine has no link to watch: its facts query is the probe. SSH hosts report their link.
  const engine = useEngineFacts(host.id, isLocal || host.status === 'connected')
  const connect = useConnectHost(host.id)
  const test = useTestConnection(host.id)
  const [confirmRemove, setConfirmRemove] = useState(false)

  const shown: ShownStatus = isLocal
    ? engine.isSuccess
      ? { status: 'connected', reason: null, details: null }
      : engine.isError
        ? {
            status: 'offline',
            reason: engine.error instanceof SlipwayError ? engine.error.code : 'INTERNAL',
            details: engine.error instanceof SlipwayError ? (engine.error.details ?? null) : null,
          }
        : { status: host.status, reason: host.statusReason, details: host.statusDetails }
    : { status: host.status, reason: host.statusReason, details: host.statusDetails }

  const name = hostDisplayName(t, host)
  const showFacts = shown.status === 'connected' && engine.data !== undefined
  const unknownKey = shown.reason === 'HOST_KEY_UNKNOWN' ? detailString(shown.details, 'fingerprint') : null
  // The last Connect's failure, until the host is connected again.
  const connectError = shown.status !== 'connected' && connect.error instanceof SlipwayError ? connect.error : null
  // A key change reported by the last connect, if the list has not caught up with it yet.
  const keyChanged: ErrorDetails | null | undefined =
    shown.reason === 'HOST_KEY_CHANGED'
      ? shown.details
      : connectError?.code === 'HOST_KEY_CHANGED'
        ? (connectError.details ?? null)
        : undefined
  const showConnectError =
    connect.isError &&
    shown.status !== 'connected' &&
    connectError?.code !== shown.reason &&
    connectError?.code !== 'HOST_KEY_UNKNOWN' &&
    connectError?.code !== 'HOST_KEY_CHANGED'

  const startConnect = (): void =>
    connect.mutate(undefined, {
      onError: (error) => {
        const fingerprint =
          error instanceof SlipwayError && error.code === 'HOST_KEY_UNKNOWN'
            ? detailString(error.details, 'fingerprint')
            : null
        if (fingerprint !== null) onHostKeyUnknown(host, fingerprint)
      },
    })

  return (
    <article className="card" data-testid={`host-${host.id}`} aria-labelledby={`host-title-${host.id}`}>
      <header className="card-header">
        <h2 id={`host-title-${host.id}`}>{name}</h2>
        <span
          className={`badge ${BADGE[shown.status]}`}
          data-testid="engine-status"
          data-status={shown.status}
          role="status"
        >
          {statusLabel(t, shown.status)}
        </span>
      </header>

      {(host.ssh !== null || showFacts) && (
        <dl className="facts">
          {host.ssh !== null && (
            <>
              <dt>{t('hosts.ssh.destination')}</dt>
              <dd data-testid="host-destination" className="mono">
                {formatDestination(host.ssh)}
              </dd>
              {host.ssh.alias !== null && host.ssh.hostname !== null && (
                <>
                  <dt>{t('hosts.ssh.alias')}</dt>
                  <dd className="mono">{host.ssh.alias}</dd>
                </>
              )}
              <dt>{t('hosts.ssh.socket')}</dt>
              <dd data-testid="host-socket" className="mono">
                {host.ssh.socketPath}
              </dd>
            </>
          )}
          {showFacts && <EngineFacts facts={engine.data} />}
        </dl>
      )}
      {shown.status === 'connected' && !isLocal && engine.isError && <ErrorText error={engine.error} />}

      {shown.status === 'offline' && shown.reason !== null && shown.reason !== 'HOST_KEY_CHANGED' && (
        <p className="status-reason" data-testid="status-reason" data-code={shown.reason}>
          {[reasonText(t, shown.reason), reasonDetailText(t, shown.details)].filter((part) => part !== null).join(' ')}
        </p>
      )}
      {keyChanged !== undefined && (
        <HostKeyChangedBanner details={keyChanged} server={host.ssh === null ? name : knownHostsName(host.ssh)} />
      )}
      {showConnectError && <ErrorText error={connect.error} />}

      <div className="card-actions">
        {unknownKey !== null && (
          <button
            type="button"
            className="primary"
            onClick={() => onHostKeyUnknown(host, unknownKey)}
            data-testid="verify-host-key"
          >
            {t('hosts.actions.verifyKey')}
          </button>
        )}
        {!isLocal && shown.status !== 'connected' && unknownKey === null && (
          <button
            type="button"
            onClick={startConnect}
            disabled={connect.isPending || shown.status === 'connecting'}
            data-testid="connect-host"
          >
            {connect.isPending || shown.status === 'connecting'
              ? t('hosts.actions.connecting')
              : t('hosts.actions.connect')}
          </button>
        )}
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending} data-testid="test-connection">
          {test.isPending ? t('hosts.test.running') : t('hosts.test.button')}
        </button>
        {!isLocal && (
          <>
            <button type="button" onClick={() => onEdit(host)} data-testid="edit-host">
              {t('hosts.actions.edit')}
            </button>
            <button
              type="button"
              className="danger-text"
              onClick={() => setConfirmRemove(true)}
              data-testid="remove-host"
            >
              {t('hosts.actions.remove')}
            </button>
          </>
        )}
      </div>
      <ConnectionTestPanel test={test} />
      {shown.status === 'connected' && <HelperImageField host={host} />}

      {confirmRemove && <RemoveHostDialog host={host} name={name} onClose={() => setConfirmRemove(false)} />}
    </article>
  )
}

/** The engine's facts, as rows of the card's list. */
function EngineFacts({ facts }: { facts: Facts }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <>
      <dt>{t('hosts.engine.version')}</dt>
      <dd data-testid="engine-version">{facts.version}</dd>
      <dt>{t('hosts.engine.apiVersion')}</dt>
      <dd data-testid="engine-api-version">{facts.apiVersion}</dd>
      <dt>{t('hosts.engine.platform')}</dt>
      <dd data-testid="engine-platform">{t('hosts.engine.osArch', { os: facts.os, arch: facts.arch })}</dd>
      <dt>{t('hosts.engine.containers')}</dt>
      <dd data-testid="engine-containers">
        {t('hosts.engine.containersValue', {
          total: number.format(facts.containers),
          running: number.format(facts.containersRunning),
        })}
      </dd>
      <dt>{t('hosts.engine.images')}</dt>
      <dd data-testid="engine-images">{number.format(facts.images)}</dd>
    </>
  )
}

function RemoveHostDialog({ host, name, onClose }: { host: HostView; name: string; onClose: () => void }) {
  const { t } = useTranslation()
  const remove = useRemoveHost(host.id)
  return (
    <Dialog
      title={t('hosts.remove.title', { name })}
      onClose={onClose}
      busy={remove.isPending}
      tone="danger"
      testId="remove-dialog"
    >
      <p>{t('hosts.remove.body')}</p>
      {remove.isError && <ErrorText error={remove.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={remove.isPending} data-testid="cancel-remove" data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined, { onSuccess: onClose })}
          data-testid="confirm-remove"
        >
          {remove.isPending ? t('hosts.remove.removing') : t('hosts.remove.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
