import { healthcheckOf, healthcheckSpanMs } from '../docker/containerHealth'
import type { LockedWorkload } from '../workloads/dispatch/dispatcher'
import { completedOnPurpose } from '../workloads/dispatch/serviceState'
import { currentByService, labelledContainers } from '../workloads/dispatch/workloadContainers'

/** Whether the app proved it is up on the data it now has. */
export type AppHealth = 'healthy' | 'unhealthy' | 'not_running'

export interface HealthWait {
  /** Without a healthcheck: how long every container must stay up to count as up. */
  readonly settleMs: number
  /** The longest a healthcheck is waited for, whatever its own timings say. */
  readonly maxHealthWaitMs: number
}

const POLL_MS = 250

/**
 * The app proves it is up: a container with a healthcheck must report healthy (its start period
 * and retries are waited out; unhealthy or never healthy is `unhealthy`); one without must stay
 * running for the settle time. A service with no running container is `not_running`.
 */
export async function proveAppUp(
  locked: Pick<LockedWorkload, 'workload' | 'engine'>,
  wait: HealthWait,
): Promise<AppHealth> {
  const { inspector } = locked.engine
  const current = currentByService(await labelledContainers(inspector, locked.workload.id))
  const ids: string[] = []
  for (const service of locked.workload.services) {
    const c = current.get(service.name)
    if (c === undefined) return 'not_running'
    // A one-shot service (a migration others wait on) has done its job when it exited 0.
    if (!c.running && completedOnPurpose(service, await inspector.inspectContainer(c.id))) continue
    if (!c.running) return 'not_running'
    ids.push(c.id)
  }
  const details = await Promise.all(ids.map((id) => inspector.inspectContainer(id)))
  const spans = details.flatMap((d) => {
    const check = d === null ? undefined : healthcheckOf(d)
    return check === undefined ? [] : [healthcheckSpanMs(check)]
  })
  const deadline = Date.now() + Math.min(wait.maxHealthWaitMs, Math.max(wait.settleMs, ...spans))
  const settledAt = Date.now() + wait.settleMs
  for (;;) {
    const states = await Promise.all(ids.map((id) => inspector.inspectContainer(id)))
    if (states.some((s) => s === null || !s.State.Running || s.State.Paused)) return 'not_running'
    const health = states.map((s) => s?.State.Health?.Status)
    if (health.some((h) => h === 'unhealthy')) return 'unhealthy'
    const waitingForHealth = health.some((h) => h !== undefined && h !== 'healthy')
    const now = Date.now()
    if (!waitingForHealth && now >= settledAt) return 'healthy'
    if (now >= deadline) return waitingForHealth ? 'unhealthy' : 'healthy'
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
