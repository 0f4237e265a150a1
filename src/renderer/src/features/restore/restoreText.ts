import type { TFunction } from 'i18next'
import { isErrorCode } from '../../../../shared/errors'
import type { RestoreOutcome, RestoreVolumeReport, VolumeState } from '../../../../shared/types/restore'
import type { RestoreStep } from './restoreSteps'

export const OUTCOME_BADGE: Record<RestoreOutcome, string> = {
  running: 'badge-pending',
  restored: 'badge-ok',
  restored_not_running: 'badge-bad',
  restored_unhealthy: 'badge-bad',
  reverted: 'badge-pending',
  failed: 'badge-bad',
}

export const VOLUME_STATE_BADGE: Record<VolumeState, string> = {
  old: 'badge-muted',
  new: 'badge-ok',
  unknown: 'badge-bad',
}

export function outcomeLabel(t: TFunction, outcome: RestoreOutcome): string {
  switch (outcome) {
    case 'running':
      return t('restore.outcome.running')
    case 'restored':
      return t('restore.outcome.restored')
    case 'restored_not_running':
      return t('restore.outcome.restored_not_running')
    case 'restored_unhealthy':
      return t('restore.outcome.restored_unhealthy')
    case 'reverted':
      return t('restore.outcome.reverted')
    case 'failed':
      return t('restore.outcome.failed')
  }
}

export function volumeStateLabel(t: TFunction, state: VolumeState): string {
  switch (state) {
    case 'old':
      return t('restore.volumeState.old')
    case 'new':
      return t('restore.volumeState.new')
    case 'unknown':
      return t('restore.volumeState.unknown')
  }
}

export function stepLabel(t: TFunction, step: RestoreStep): string {
  switch (step) {
    case 'verify':
      return t('restore.step.verify')
    case 'preflight':
      return t('restore.step.preflight')
    case 'stage':
      return t('restore.step.stage')
    case 'load':
      return t('restore.step.load')
    case 'stop':
      return t('restore.step.stop')
    case 'swap':
      return t('restore.step.swap')
    case 'deploy':
      return t('restore.step.deploy')
    case 'preserve':
      return t('restore.step.preserve')
    case 'cleanup':
      return t('restore.step.cleanup')
    case 'verify_app':
      return t('restore.step.verify_app')
  }
}

/** Why main refused or stopped a restore (`details.reason` of a CONFLICT, or a record's error code). */
const REASONS = [
  'config_drift',
  'unsupported_volume',
  'mount_point',
  'not_a_directory',
  'disk_space',
  'hash_mismatch',
  'cross_device',
  'no_volumes',
  'busy_target',
  'no_helper_image',
  'interrupted',
  'internal',
  'redeploy_failed',
  'app_not_running',
  'start_failed',
  'create_failed',
  'image_gone',
  'engine_unavailable',
  'unhealthy',
  'exited',
  'dump_missing',
  'dump_service_not_running',
  'dump_not_in_data_volume',
  'dump_server_exited',
  'dump_server_not_ready',
  'dump_load_failed',
  'dump_load_timeout',
  'dump_server_shutdown',
] as const

export function isRestoreReason(value: unknown): value is (typeof REASONS)[number] {
  return typeof value === 'string' && (REASONS as readonly string[]).includes(value)
}

export function reasonText(t: TFunction, reason: (typeof REASONS)[number]): string {
  return t(`restore.reason.${reason}`)
}

/** A record's error code, translated: a restore reason, an archive rule or an error code. */
export function recordErrorText(t: TFunction, code: string): string {
  if (isRestoreReason(code)) return reasonText(t, code)
  if (isErrorCode(code)) return t(`errors.${code}`)
  // An untrusted archive was refused: the code is the rule it broke.
  const rule = code === 'other' ? '' : t(`snapshots.rule.${code}`, { defaultValue: '' })
  return rule === '' ? t('restore.reason.other', { code }) : t('restore.reason.refused', { reason: rule })
}

/** `app:/data`: where a volume is mounted. */
export function volumeName(volume: Pick<RestoreVolumeReport, 'service' | 'target'>): string {
  return `${volume.service}:${volume.target}`
}

/** Ids are long: the first characters tell them apart in a table. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id
}
