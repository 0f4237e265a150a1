import type { CaptureHook, HookPhase, HookRun } from '../../../shared/types/snapshots'
import type { ContainerExec, EngineInspector } from '../../docker/engine'
import type { Logger } from '../../log'
import type { Clock } from '../../platform/ports'
import { currentByService, labelledContainers } from '../../workloads/dispatch/workloadContainers'

/** Enough of a dump tool's or a maintenance script's last words to see why it failed. */
export const HOOK_OUTPUT_LIMIT = 16 * 1024

export interface HookContext {
  readonly workloadId: string
  readonly engine: { readonly inspector: EngineInspector; readonly exec: ContainerExec }
  readonly clock: Clock
  readonly log: Logger
  readonly signal?: AbortSignal
}

export function hookFailed(run: HookRun): boolean {
  return run.outcome !== 'ok'
}

/**
 * Runs one phase's hooks in order, each in its service's running container. `stopAtFailure`: the
 * first failure ends the phase (a pre-capture phase that aborts the capture).
 */
export async function runHookPhase(
  phase: HookPhase,
  hooks: readonly CaptureHook[],
  context: HookContext,
  stopAtFailure: boolean,
): Promise<HookRun[]> {
  const runs: HookRun[] = []
  for (const hook of hooks.filter((h) => h.phase === phase)) {
    const run = await runHook(hook, context)
    runs.push(run)
    const fields = { workloadId: context.workloadId, phase, service: hook.service, outcome: run.outcome }
    if (hookFailed(run)) context.log.warn('capture hook failed', { ...fields, exitCode: run.exitCode })
    else context.log.info('capture hook ran', { ...fields, durationMs: run.durationMs })
    if (stopAtFailure && hookFailed(run)) break
  }
  return runs
}

async function runHook(hook: CaptureHook, context: HookContext): Promise<HookRun> {
  const started = context.clock.now()
  const base = {
    phase: hook.phase,
    service: hook.service,
    command: hook.command,
    startedAt: new Date(started).toISOString(),
  }
  const finish = (rest: Pick<HookRun, 'outcome' | 'exitCode' | 'output' | 'truncated'>): HookRun => ({
    ...base,
    ...rest,
    durationMs: Math.max(0, context.clock.now() - started),
  })
  try {
    // Looked up per hook, not per phase: an earlier hook may have restarted a service.
    const containers = currentByService(await labelledContainers(context.engine.inspector, context.workloadId))
    const container = containers.get(hook.service)
    if (container?.running !== true)
      return finish({ outcome: 'not_running', exitCode: null, output: '', truncated: false })
    const outcome = await context.engine.exec.run({
      containerId: container.id,
      command: hook.command,
      timeoutMs: hook.timeoutSeconds * 1000,
      maxOutputBytes: HOOK_OUTPUT_LIMIT,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    })
    return finish({
      outcome: outcome.cancelled ? 'cancelled' : outcome.timedOut ? 'timeout' : outcome.exitCode === 0 ? 'ok' : 'exit',
      exitCode: outcome.exitCode,
      output: outcome.output,
      truncated: outcome.truncated,
    })
  } catch (error) {
    context.log.warn('capture hook could not run', {
      workloadId: context.workloadId,
      service: hook.service,
      error: String(error),
    })
    return finish({ outcome: 'error', exitCode: null, output: '', truncated: false })
  }
}
