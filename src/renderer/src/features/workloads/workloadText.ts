import type { TFunction } from 'i18next'
import type { JobProgress } from '../../../../shared/types/jobs'
import type {
  DeployErrorCode,
  DeployReason,
  DeployStatus,
  PortMapping,
  PreDeploySnapshot,
  RestartPolicy,
  WorkloadState,
} from '../../../../shared/types/workloads'
import { formatBytes, formatNumber, formatPercent } from '../../components/format'

export const STATE_BADGE: Record<WorkloadState, string> = {
  running: 'badge-ok',
  partial: 'badge-pending',
  stopped: 'badge-muted',
  missing: 'badge-bad',
  unknown: 'badge-muted',
}

export const STATUS_BADGE: Record<DeployStatus, string> = {
  running: 'badge-pending',
  success: 'badge-ok',
  failure: 'badge-bad',
}

export function stateLabel(t: TFunction, state: WorkloadState): string {
  switch (state) {
    case 'running':
      return t('workloads.state.running')
    case 'partial':
      return t('workloads.state.partial')
    case 'stopped':
      return t('workloads.state.stopped')
    case 'missing':
      return t('workloads.state.missing')
    case 'unknown':
      return t('workloads.state.unknown')
  }
}

export function reasonLabel(t: TFunction, reason: DeployReason): string {
  switch (reason) {
    case 'deploy':
      return t('workloads.reason.deploy')
    case 'redeploy':
      return t('workloads.reason.redeploy')
    case 'rollback':
      return t('workloads.reason.rollback')
    case 'adopt':
      return t('workloads.reason.adopt')
    case 'restore':
      return t('workloads.reason.restore')
  }
}

export function statusLabel(t: TFunction, status: DeployStatus): string {
  switch (status) {
    case 'running':
      return t('workloads.status.running')
    case 'success':
      return t('workloads.status.success')
    case 'failure':
      return t('workloads.status.failure')
  }
}

/** Why a deploy failed; the service it failed on, when the history names one, is part of the sentence. */
export function deployErrorText(t: TFunction, code: DeployErrorCode, service: string | null = null): string {
  const text = deployErrorSentence(t, code, service ?? '')
  if (service === null || code === 'unhealthy' || code === 'dependency_failed') return text
  return t('workloads.deployError.inService', { reason: text, service })
}

function deployErrorSentence(t: TFunction, code: DeployErrorCode, service: string): string {
  switch (code) {
    case 'image_missing':
      return t('workloads.deployError.image_missing')
    case 'pull_failed':
      return t('workloads.deployError.pull_failed')
    case 'image_gone':
      return t('workloads.deployError.image_gone')
    case 'create_failed':
      return t('workloads.deployError.create_failed')
    case 'start_failed':
      return t('workloads.deployError.start_failed')
    case 'unhealthy':
      return t('workloads.deployError.unhealthy', { service })
    case 'dependency_failed':
      return t('workloads.deployError.dependency_failed', { service })
    case 'engine_unavailable':
      return t('workloads.deployError.engine_unavailable')
    case 'interrupted':
      return t('workloads.deployError.interrupted')
    case 'internal':
      return t('workloads.deployError.internal')
  }
}

const DEPLOY_ERROR_CODES: readonly string[] = [
  'image_missing',
  'pull_failed',
  'image_gone',
  'create_failed',
  'start_failed',
  'unhealthy',
  'dependency_failed',
  'engine_unavailable',
  'interrupted',
  'internal',
] satisfies readonly DeployErrorCode[]

export function isDeployErrorCode(value: unknown): value is DeployErrorCode {
  return typeof value === 'string' && DEPLOY_ERROR_CODES.includes(value)
}

export function snapshotLabel(t: TFunction, snapshot: PreDeploySnapshot): string {
  switch (snapshot) {
    case 'skipped':
      return t('workloads.preSnapshot.skipped')
    case 'taken':
      return t('workloads.preSnapshot.taken')
    case 'failed':
      return t('workloads.preSnapshot.failed')
  }
}

export function restartLabel(t: TFunction, policy: RestartPolicy): string {
  switch (policy) {
    case 'no':
      return t('workloads.restart.no')
    case 'always':
      return t('workloads.restart.always')
    case 'unless-stopped':
      return t('workloads.restart.unlessStopped')
    case 'on-failure':
      return t('workloads.restart.onFailure')
  }
}

/** A job step; steps this version does not know yet get a generic label. */
export function phaseLabel(t: TFunction, phase: string): string {
  switch (phase) {
    case 'pull':
      return t('workloads.phase.pull')
    case 'create':
      return t('workloads.phase.create')
    case 'snapshot':
      return t('workloads.phase.snapshot')
    case 'stop':
      return t('workloads.phase.stop')
    case 'start':
      return t('workloads.phase.start')
    case 'cleanup':
      return t('workloads.phase.cleanup')
    default:
      return t('workloads.phase.other')
  }
}

/** "42 %" plus the amount in the job's unit, or only the amount when the total is unknown. */
export function progressDetail(t: TFunction, language: string, job: JobProgress): string | undefined {
  const amount = (value: number): string =>
    job.unit === 'bytes' ? formatBytes(language, value) : formatNumber(language, value)
  if (job.total === null || job.total <= 0) {
    if (job.done <= 0) return undefined
    return job.unit === 'files'
      ? t('workloads.progress.files', { done: amount(job.done) })
      : job.unit === 'bytes'
        ? amount(job.done)
        : undefined
  }
  return t('workloads.progress.ofTotal', {
    percent: formatPercent(language, job.done / job.total),
    done: amount(job.done),
    total: amount(job.total),
  })
}

/** `sha256:0123…` → the 12 hex digits docker shows. */
export function shortImageId(imageId: string): string {
  return imageId.replace(/^sha256:/, '').slice(0, 12)
}

/** `127.0.0.1:8080→80/tcp`, IPv6 addresses in brackets. */
export function formatPort(port: PortMapping): string {
  const ip = port.hostIp === null ? '' : port.hostIp.includes(':') ? `[${port.hostIp}]:` : `${port.hostIp}:`
  return `${ip}${port.hostPort}→${port.containerPort}/${port.protocol}`
}

/** The engine's container states; one this version does not know shows as the engine says it. */
export function containerStateLabel(t: TFunction, state: string): string {
  switch (state) {
    case 'created':
      return t('workloads.containerState.created')
    case 'running':
      return t('workloads.containerState.running')
    case 'paused':
      return t('workloads.containerState.paused')
    case 'restarting':
      return t('workloads.containerState.restarting')
    case 'removing':
      return t('workloads.containerState.removing')
    case 'exited':
      return t('workloads.containerState.exited')
    case 'dead':
      return t('workloads.containerState.dead')
    default:
      return state
  }
}
