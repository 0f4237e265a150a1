import type { TFunction } from 'i18next'
import { ARCHIVE_RULES } from '../../../../shared/archiveRules'
import type { ErrorDetails } from '../../../../shared/errors'
import type { HookPresetId } from '../../../../shared/hookPresets'
import type {
  CaptureMode,
  FileType,
  HookOutcome,
  HookPhase,
  SnapshotOrigin,
  SnapshotSummary,
  SnapshotVolume,
} from '../../../../shared/types/snapshots'
import { LOCAL_HOST_ID } from '../workloads/links'

export function originLabel(t: TFunction, origin: SnapshotOrigin): string {
  switch (origin) {
    case 'manual':
      return t('snapshots.origin.manual')
    case 'schedule':
      return t('snapshots.origin.schedule')
    case 'pre-deploy':
      return t('snapshots.origin.preDeploy')
    case 'pre-restore':
      return t('snapshots.origin.preRestore')
    case 'import':
      return t('snapshots.origin.import')
  }
}

export function captureModeLabel(t: TFunction, mode: CaptureMode): string {
  return mode === 'stop'
    ? t('snapshots.mode.stop')
    : mode === 'pause'
      ? t('snapshots.mode.pause')
      : t('snapshots.mode.live')
}

export function fileTypeLabel(t: TFunction, type: FileType): string {
  switch (type) {
    case 'file':
      return t('snapshots.fileType.file')
    case 'directory':
      return t('snapshots.fileType.directory')
    case 'symlink':
      return t('snapshots.fileType.symlink')
    case 'hardlink':
      return t('snapshots.fileType.hardlink')
  }
}

/** A capture step; steps this version does not know yet get a generic label. */
export function capturePhaseLabel(t: TFunction, phase: string): string {
  switch (phase) {
    case 'prepare':
      return t('snapshots.phase.prepare')
    case 'hooks':
      return t('snapshots.phase.hooks')
    case 'stop':
      return t('snapshots.phase.stop')
    case 'archive':
    case 'capture':
    case 'copy':
    case 'read':
      return t('snapshots.phase.archive')
    case 'start':
    case 'restart':
      return t('snapshots.phase.start')
    case 'verify':
      return t('snapshots.phase.verify')
    case 'finish':
    case 'commit':
      return t('snapshots.phase.finish')
    default:
      return t('snapshots.phase.other')
  }
}

export function hookPhaseLabel(t: TFunction, phase: HookPhase): string {
  return phase === 'pre' ? t('snapshots.hooks.phasePre') : t('snapshots.hooks.phasePost')
}

/** The dump tool a preset runs, by name. */
export function hookPresetLabel(t: TFunction, id: HookPresetId): string {
  switch (id) {
    case 'postgres-dumpall':
      return t('snapshots.hooks.presetName.postgres')
    case 'mysql-dump':
      return t('snapshots.hooks.presetName.mysql')
    case 'mongo-dump':
      return t('snapshots.hooks.presetName.mongo')
    case 'redis-save':
      return t('snapshots.hooks.presetName.redis')
  }
}

/** How a hook ended, in words; the exit code where there is one. */
export function hookOutcomeText(t: TFunction, outcome: HookOutcome, exitCode: number | null): string {
  switch (outcome) {
    case 'ok':
      return t('snapshots.hooks.outcome.ok')
    case 'exit':
      return exitCode === null
        ? t('snapshots.hooks.outcome.failed')
        : t('snapshots.hooks.outcome.exit', { code: exitCode })
    case 'timeout':
      return t('snapshots.hooks.outcome.timeout')
    case 'cancelled':
      return t('snapshots.hooks.outcome.cancelled')
    case 'not_running':
      return t('snapshots.hooks.outcome.notRunning')
    case 'error':
      return t('snapshots.hooks.outcome.error')
  }
}

/**
 * A capture refused because a pre-capture hook failed (`details`: service, outcome, exitCode):
 * which service's hook, how it ended, and that nothing was captured while the post hooks still ran.
 */
export function preHookFailedText(t: TFunction, details: ErrorDetails | undefined): string {
  const service = typeof details?.service === 'string' ? details.service : ''
  const code = typeof details?.exitCode === 'number' ? details.exitCode : null
  const how =
    details?.outcome === 'exit' && code !== null
      ? t('snapshots.hooks.preFailed.exit', { service, code })
      : details?.outcome === 'timeout'
        ? t('snapshots.hooks.preFailed.timeout', { service })
        : details?.outcome === 'not_running'
          ? t('snapshots.hooks.preFailed.notRunning', { service })
          : details?.outcome === 'cancelled'
            ? t('snapshots.hooks.preFailed.cancelled', { service })
            : t('snapshots.hooks.preFailed.other', { service })
  return `${how} ${t('snapshots.hooks.preFailed.after')}`
}

/** Why an archive was refused, translated; null when the error says nothing about a rule. */
export function archiveRuleText(t: TFunction, details: ErrorDetails | undefined): string | null {
  const rule = details?.rule
  if (typeof rule !== 'string') return null
  return (ARCHIVE_RULES as readonly string[]).includes(rule)
    ? t(`snapshots.rule.${rule}`)
    : t('snapshots.rule.other', { rule })
}

/** A hard link is a regular file to `ls`. */
const TYPE_CHAR: Record<FileType, string> = { file: '-', directory: 'd', symlink: 'l', hardlink: '-' }

/** `drwxr-xr-x`, with setuid/setgid/sticky as s/S and t/T, as `ls -l` shows them. */
export function permissionString(type: FileType, mode: number): string {
  const triplet = (shift: number, special: boolean, specialChar: string): string => {
    const bits = (mode >> shift) & 7
    const exec = (bits & 1) !== 0
    const x = special ? (exec ? specialChar : specialChar.toUpperCase()) : exec ? 'x' : '-'
    return `${(bits & 4) !== 0 ? 'r' : '-'}${(bits & 2) !== 0 ? 'w' : '-'}${x}`
  }
  return (
    TYPE_CHAR[type] +
    triplet(6, (mode & 0o4000) !== 0, 's') +
    triplet(3, (mode & 0o2000) !== 0, 's') +
    triplet(0, (mode & 0o1000) !== 0, 't')
  )
}

/** `app:/data, worker:/data`: where the volume was mounted. */
export function volumeMounts(volume: SnapshotVolume): string {
  return volume.mounts.map((mount) => `${mount.service}:${mount.target}`).join(', ')
}

export function volumeKindLabel(t: TFunction, kind: SnapshotVolume['kind']): string {
  return kind === 'bind' ? t('snapshots.volumeKind.bind') : t('snapshots.volumeKind.volume')
}

/** What a snapshot is called in titles: its label, else the workload's name. */
export function snapshotTitle(snapshot: SnapshotSummary): string {
  return snapshot.label ?? snapshot.workloadName
}

/** The host a snapshot was taken on, by the name it recorded; the local engine in the UI language. */
export function snapshotHostName(t: TFunction, snapshot: Pick<SnapshotSummary, 'hostId' | 'hostName'>): string {
  return snapshot.hostId === LOCAL_HOST_ID ? t('hosts.localName') : snapshot.hostName
}
