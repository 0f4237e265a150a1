import type { ServiceSpec } from '../../../shared/types/workloads'
import type { ContainerDetails } from '../../docker/engine'

/** A service the engine does not restart after a clean exit: a one-shot job such as a migration. */
export function runsOnce(service: Pick<ServiceSpec, 'restart'>): boolean {
  return service.restart === 'no' || service.restart === 'on-failure'
}

/** The service's container ran to a clean end, as a one-shot service is meant to: not down, done. */
export function completedOnPurpose(service: Pick<ServiceSpec, 'restart'>, details: ContainerDetails | null): boolean {
  if (details === null || !runsOnce(service)) return false
  const state = details.State
  return !state.Running && !state.Restarting && state.Status === 'exited' && state.ExitCode === 0
}

/** The same from a container listing, whose status reads `Exited (0) 3 minutes ago`. */
export function listedAsCompleted(service: Pick<ServiceSpec, 'restart'>, state: string, status: string): boolean {
  return runsOnce(service) && state === 'exited' && /^Exited \(0\)/.test(status)
}

/** The engine's wait before it kills a container it stops, when the container sets none. */
export const DEFAULT_STOP_TIMEOUT_S = 10

/** How long a stop of this container may take: its own stop timeout (the service's `stopGracePeriodMs`), else the engine's 10 s. */
export function stopTimeoutSeconds(details: ContainerDetails | null): number {
  const own = (details?.Config as { StopTimeout?: number | null } | undefined)?.StopTimeout
  return typeof own === 'number' && own >= 0 ? own : DEFAULT_STOP_TIMEOUT_S
}
