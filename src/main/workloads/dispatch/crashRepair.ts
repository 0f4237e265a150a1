/**
 * What a crash in the middle of a dispatch leaves, put right at the next start or reconnect, as
 * phases: the containers of a deploy that was cut short (or that a committed deploy replaced) go;
 * every container the dispatch point stopped and still owes a start is left to finish a stop the
 * engine may still be carrying out, then started; every one it paused is thawed; and it counts as
 * repaired only once seen running.
 */
import type { Logger } from '../../log'
import type { WorkloadRecord } from '../workloadStore'
import type { DispatchEngine } from './deployRun'
import { stopTimeoutSeconds } from './serviceState'
import type { OwedStart } from './quiesceJournal'
import { labelledContainers, type ServiceContainer } from './workloadContainers'

export interface RepairInput {
  readonly engine: DispatchEngine
  /** Read under the workload's lock. */
  readonly workload: WorkloadRecord
  readonly owed: readonly OwedStart[]
  /** A deploy that never reached its point of no return (cut short, or failed). */
  readonly uncommitted: (deployId: string) => boolean
  readonly now: () => number
  readonly log: Logger
}

/**
 * A stop cut short by a crash goes on in the engine: SIGTERM, then SIGKILL after the timeout. A
 * container still seen running before then may be about to exit, and must not be left for good.
 */
const STOP_GRACE_MS = 5_000
const POLL_MS = 200
const SETTLE_MS = 400

/** Resolves to whether the app runs again (nothing owed is left down). */
export async function repairAfterCrash(input: RepairInput): Promise<boolean> {
  const replaced = await removeReplaced(input)
  const owed = input.owed.filter((o) => !replaced.has(o.containerId))
  await Promise.all(owed.filter((o) => o.kind === 'stopped').map((o) => untilStopEnded(input, o)))
  const started = await startOwed(input, owed)
  return confirmRunning(input, started)
}

/** 1. Containers that are not, and will not be, the app. */
async function removeReplaced({ engine, workload, owed, uncommitted, log }: RepairInput): Promise<Set<string>> {
  const containers = await labelledContainers(engine.inspector, workload.id)
  const live = workload.liveDeployId
  const liveThere = live !== null && containers.some((c) => c.deploy === live)
  const doomed: string[] = containers
    .filter((c: ServiceContainer) => (liveThere ? c.deploy !== live : c.deploy !== '' && uncommitted(c.deploy)))
    .map((c) => c.id)
  // An owed container that is not the workload's own was an adopted one, which the committed adoption replaced.
  const ours = new Set(containers.map((c) => c.id))
  if (liveThere) doomed.push(...owed.filter((o) => !ours.has(o.containerId)).map((o) => o.containerId))
  for (const id of doomed) {
    log.warn('removing a container an interrupted dispatch left behind', { workloadId: workload.id, id })
    await engine.lifecycle.remove(id)
  }
  return new Set(doomed)
}

/** 2. Waits while a stop asked for before the crash may still be under way. */
async function untilStopEnded({ engine, now }: RepairInput, owed: OwedStart): Promise<void> {
  for (;;) {
    const info = await engine.inspector.inspectContainer(owed.containerId)
    const deadline = owed.stoppedAt + stopTimeoutSeconds(info) * 1000 + STOP_GRACE_MS
    if (info === null || !info.State.Running || now() >= deadline) return
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** 3. Thaws every owed container left paused, starts every one left stopped; resolves to the ones still there. */
async function startOwed({ engine, workload, log }: RepairInput, owed: readonly OwedStart[]): Promise<string[]> {
  const there: string[] = []
  for (const o of owed) {
    const info = await engine.inspector.inspectContainer(o.containerId)
    if (info === null) continue
    there.push(o.containerId)
    if (info.State.Running && !info.State.Paused) continue
    try {
      if (info.State.Paused) await engine.lifecycle.unpause(o.containerId)
      else await engine.lifecycle.start(o.containerId)
    } catch (error) {
      log.error('could not start a container stopped before a crash', {
        workloadId: workload.id,
        containerId: o.containerId,
        error,
      })
    }
  }
  return there
}

/** 4. Seen running a moment after the start: an app that exits at once is not repaired. */
async function confirmRunning({ engine }: RepairInput, started: readonly string[]): Promise<boolean> {
  if (started.length === 0) return true
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  for (const id of started) {
    const state = (await engine.inspector.inspectContainer(id))?.State
    if (state !== undefined && ((!state.Running && !state.Restarting) || state.Paused)) return false
  }
  return true
}
