/** Waiting on one container's healthcheck or exit, by reading its state (nothing here changes it). */
import type { ContainerDetails, EngineInspector } from './engine'

const NS_PER_MS = 1_000_000
const POLL_MS = 200

export interface HealthcheckTimings {
  readonly Interval?: number
  readonly Timeout?: number
  readonly StartPeriod?: number
  readonly Retries?: number
}

/** Long enough for a healthcheck to decide: its start period, then every retry with its timeout (engine defaults: 30 s, 30 s, 3). */
export function healthcheckSpanMs(check: HealthcheckTimings | undefined): number {
  const interval = (check?.Interval ?? 0) > 0 ? (check?.Interval ?? 0) : 30_000 * NS_PER_MS
  const timeout = (check?.Timeout ?? 0) > 0 ? (check?.Timeout ?? 0) : 30_000 * NS_PER_MS
  const retries = (check?.Retries ?? 0) > 0 ? (check?.Retries ?? 0) : 3
  return ((check?.StartPeriod ?? 0) + (interval + timeout) * (retries + 1)) / NS_PER_MS
}

/** The healthcheck the container runs (its own or its image's), or undefined when it has none. */
export function healthcheckOf(details: ContainerDetails): HealthcheckTimings | undefined {
  const check = (details.Config as { Healthcheck?: HealthcheckTimings & { Test?: string[] } }).Healthcheck
  const test = check?.Test
  if (test === undefined || test.length === 0 || test[0] === 'NONE') return undefined
  return check
}

export type HealthOutcome = 'healthy' | 'unhealthy' | 'exited' | 'gone' | 'timeout'

/**
 * Until the container's healthcheck says healthy, it says unhealthy, the container stops, or the
 * healthcheck's own span (capped at `maxWaitMs`) has passed.
 */
export async function awaitHealthy(
  inspector: EngineInspector,
  id: string,
  maxWaitMs: number,
  signal?: AbortSignal,
): Promise<HealthOutcome> {
  const first = await inspector.inspectContainer(id)
  if (first === null) return 'gone'
  const deadline = Date.now() + Math.min(maxWaitMs, healthcheckSpanMs(healthcheckOf(first)))
  for (let details: ContainerDetails | null = first; ; details = await inspector.inspectContainer(id)) {
    if (details === null) return 'gone'
    const state = details.State
    if (state.Health?.Status === 'healthy') return 'healthy'
    if (state.Health?.Status === 'unhealthy') return 'unhealthy'
    if (!state.Running && !state.Restarting) return 'exited'
    if (Date.now() >= deadline) return 'timeout'
    await pause(POLL_MS, signal)
  }
}

export type ExitOutcome = { readonly exitCode: number } | 'gone' | 'timeout'

/** Until the container has exited (a one-shot service that others wait on), at most `maxWaitMs`. */
export async function awaitExit(
  inspector: EngineInspector,
  id: string,
  maxWaitMs: number,
  signal?: AbortSignal,
): Promise<ExitOutcome> {
  const deadline = Date.now() + maxWaitMs
  for (;;) {
    const details = await inspector.inspectContainer(id)
    if (details === null) return 'gone'
    const state = details.State
    if (!state.Running && !state.Restarting && state.Status !== 'created') return { exitCode: state.ExitCode }
    if (Date.now() >= deadline) return 'timeout'
    await pause(POLL_MS, signal)
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error)
      return
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
