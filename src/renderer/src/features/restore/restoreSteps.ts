import type { JobProgress } from '../../../../shared/types/jobs'

/** The phases of a restore, in the order main runs them. */
export const RESTORE_STEPS = [
  'verify',
  'preflight',
  'stage',
  'load',
  'stop',
  'swap',
  'deploy',
  'preserve',
  'cleanup',
  'verify_app',
] as const
export type RestoreStep = (typeof RESTORE_STEPS)[number]

/** The steps a restore shows: the dump's load only when it loads one. */
export function shownSteps(fromDump: boolean): readonly RestoreStep[] {
  return fromDump ? RESTORE_STEPS : RESTORE_STEPS.filter((step) => step !== 'load')
}

export type StepState = 'done' | 'current' | 'pending'

/** Where a step name (a progress phase, or a journaled step such as `swap:1`) sits in the order. */
export function stepPosition(step: string): number | null {
  const name = step.split(':')[0] ?? step
  if (name === 'swapped') return RESTORE_STEPS.indexOf('swap')
  if (name === 'done') return RESTORE_STEPS.length
  const index = (RESTORE_STEPS as readonly string[]).indexOf(name)
  return index === -1 ? null : index
}

/** Whether the app had been stopped by the time the restore reached this position. */
export const reachedStop = (position: number | null): boolean =>
  position !== null && position >= RESTORE_STEPS.indexOf('stop')

/**
 * Each step's mark: before the position done, at it current, after it pending. `finished`: every
 * step is done. A position of null (no event yet) makes the first step current.
 */
export function stepStates(position: number | null, finished: boolean): readonly StepState[] {
  const at = finished ? RESTORE_STEPS.length : (position ?? 0)
  return RESTORE_STEPS.map((_step, index) => (index < at ? 'done' : index === at ? 'current' : 'pending'))
}

/** The furthest position known from a progress event and before it; unknown phases keep the last one. */
export function advance(before: number | null, event: Pick<JobProgress, 'phase'>): number | null {
  const position = stepPosition(event.phase)
  if (position === null) return before
  return before === null ? position : Math.max(before, position)
}
