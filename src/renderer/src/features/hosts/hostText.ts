import type { TFunction } from 'i18next'
import type { ErrorCode, ErrorDetails } from '../../../../shared/errors'
import type { ConnectionStatus, HostView, SshSettings } from '../../../../shared/types/hosts'

/** `user@host:port`, leaving out what ~/.ssh/config (or the default) supplies. */
export function formatDestination(ssh: Pick<SshSettings, 'alias' | 'hostname' | 'port' | 'user'>): string {
  const host = ssh.hostname ?? ssh.alias ?? ''
  const shownHost = ssh.port !== null && host.includes(':') ? `[${host}]` : host
  return `${ssh.user === null ? '' : `${ssh.user}@`}${shownHost}${ssh.port === null ? '' : `:${ssh.port}`}`
}

/** How known_hosts names the server (`host`, or `[host]:port` off port 22), for `ssh-keygen -R`. */
export function knownHostsName(ssh: Pick<SshSettings, 'alias' | 'hostname' | 'port'>): string {
  const host = ssh.hostname ?? ssh.alias ?? ''
  return ssh.port === null || ssh.port === 22 ? host : `[${host}]:${ssh.port}`
}

export function hostDisplayName(t: TFunction, host: HostView): string {
  return host.kind === 'local' ? t('hosts.localName') : host.name
}

export function statusLabel(t: TFunction, status: ConnectionStatus): string {
  switch (status) {
    case 'connected':
      return t('hosts.status.reachable')
    case 'connecting':
      return t('hosts.status.connecting')
    case 'offline':
      return t('hosts.status.offline')
  }
}

/** Why a host is offline, in words meant for a host (falls back to the generic error text). */
export function reasonText(t: TFunction, reason: ErrorCode): string {
  switch (reason) {
    case 'UNAVAILABLE':
      return t('hosts.reason.UNAVAILABLE')
    case 'AUTH_FAILED':
      return t('hosts.reason.AUTH_FAILED')
    case 'HOST_KEY_UNKNOWN':
      return t('hosts.reason.HOST_KEY_UNKNOWN')
    case 'HOST_KEY_CHANGED':
      return t('hosts.reason.HOST_KEY_CHANGED')
    default:
      return t(`errors.${reason}`)
  }
}

/** A finer cause main may add as `details.reason`; unknown values are not shown. */
export function reasonDetailText(t: TFunction, details: ErrorDetails | null | undefined): string | null {
  switch (details?.reason) {
    case 'socket':
      return t('hosts.reasonDetail.socket')
    case 'passphrase':
      return t('hosts.reasonDetail.passphrase')
    case 'key':
      return t('hosts.reasonDetail.key')
    case 'no-method':
      return t('hosts.reasonDetail.noMethod')
    default:
      return null
  }
}

/** A string detail (e.g. a fingerprint), or null when absent or of another type. */
export function detailString(details: ErrorDetails | null | undefined, name: string): string | null {
  const value = details?.[name]
  return typeof value === 'string' && value !== '' ? value : null
}
