import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaptureHooks, DirectoryListing, HookRun, SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('capture hooks on the real engine', () => {
  let instance: Instance
  let workload: WorkloadDetail
  let data: string

  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
    data = mkdtempSync(join(tmpdir(), 'slipway-hooks-'))
    workload = await deployedWorkload(instance, 'local', 'hooks-app', [{ kind: 'bind', source: data, target: '/data' }])
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
    rmSync(data, { recursive: true, force: true })
  })

  const invoke = (channel: string, input: unknown): ReturnType<Instance['slipway']['router']['invoke']> =>
    instance.slipway.router.invoke(channel, input)

  function containerId(): string {
    return docker('ps', '-q', '--no-trunc', '--filter', `label=io.slipway.workload=${workload.id}`)
  }

  function running(): boolean {
    return docker('inspect', '--format', '{{.State.Running}}', containerId()) === 'true'
  }

  async function setHooks(hooks: CaptureHooks): Promise<void> {
    value(await invoke('snapshots.setHooks', { workloadId: workload.id, ...hooks }))
  }

  async function capture(
    mode: 'stop' | 'pause' | 'live' = 'stop',
  ): ReturnType<Instance['slipway']['router']['invoke']> {
    return invoke('snapshots.capture', { workloadId: workload.id, mode, label: null })
  }

  async function snapshotCount(): Promise<number> {
    return value<SnapshotSummary[]>(await invoke('snapshots.list', { workloadId: workload.id })).length
  }

  it('runs pre hooks before the app is held and post hooks after it runs again, and keeps their output', async () => {
    await setHooks({
      hooks: [
        {
          phase: 'pre',
          service: 'app',
          command: 'echo pre-out; echo pre-err >&2; echo dumped > /data/dump.sql',
          timeoutSeconds: 30,
        },
        { phase: 'post', service: 'app', command: 'echo after > /data/post-marker; echo post-out', timeoutSeconds: 30 },
      ],
      continueOnPreFailure: false,
    })
    expect(value<CaptureHooks>(await invoke('snapshots.hooks', { workloadId: workload.id })).hooks).toHaveLength(2)
    const snapshot = value<SnapshotSummary>(await capture('stop'))
    expect(snapshot.hooks).toEqual({ ran: 2, failed: 0 })
    const runs = value<HookRun[]>(await invoke('snapshots.hookRuns', { snapshotId: snapshot.id }))
    expect(runs.map((r) => [r.phase, r.outcome, r.exitCode])).toEqual([
      ['pre', 'ok', 0],
      ['post', 'ok', 0],
    ])
    expect(runs[0]?.output).toContain('pre-out')
    expect(runs[0]?.output).toContain('pre-err')
    expect(runs[0]?.output).not.toContain('slipway-exec-pid')
    expect(runs[1]?.output.trim()).toBe('post-out')
    // The pre hook's dump is in the snapshot; the post hook's file came after the read.
    const listing = value<DirectoryListing>(
      await invoke('snapshots.browse', { snapshotId: snapshot.id, volume: 0, dir: '', offset: 0, limit: 100 }),
    )
    const names = listing.entries.map((e) => e.name)
    expect(names).toContain('dump.sql')
    expect(names).not.toContain('post-marker')
    expect(readFileSync(join(data, 'post-marker'), 'utf8').trim()).toBe('after')
    expect(running()).toBe(true)
  })

  it('a failing pre hook captures nothing, the post hooks still run, and the app keeps running', async () => {
    await setHooks({
      hooks: [
        { phase: 'pre', service: 'app', command: 'echo cannot >&2; exit 3', timeoutSeconds: 30 },
        { phase: 'post', service: 'app', command: 'touch /data/post-ran-after-failure', timeoutSeconds: 30 },
      ],
      continueOnPreFailure: false,
    })
    const before = await snapshotCount()
    const result = await capture('stop')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('CONFLICT')
    expect(result.error.details).toMatchObject({
      reason: 'pre_hook_failed',
      service: 'app',
      exitCode: 3,
      outcome: 'exit',
    })
    expect(await snapshotCount()).toBe(before)
    expect(existsSync(join(data, 'post-ran-after-failure'))).toBe(true)
    expect(running()).toBe(true)
  })

  it('a failing post hook keeps the snapshot and marks it', async () => {
    await setHooks({
      hooks: [{ phase: 'post', service: 'app', command: 'echo broken; exit 5', timeoutSeconds: 30 }],
      continueOnPreFailure: false,
    })
    const snapshot = value<SnapshotSummary>(await capture('pause'))
    expect(snapshot.hooks).toEqual({ ran: 1, failed: 1 })
    const listed = value<SnapshotSummary[]>(await invoke('snapshots.list', { workloadId: workload.id }))
    expect(listed.find((s) => s.id === snapshot.id)?.hooks.failed).toBe(1)
    const [run] = value<HookRun[]>(await invoke('snapshots.hookRuns', { snapshotId: snapshot.id }))
    expect(run).toMatchObject({ phase: 'post', outcome: 'exit', exitCode: 5 })
    expect(run?.output.trim()).toBe('broken')
    expect(running()).toBe(true)
  })

  it('a hook that hangs is cut off at its timeout, with everything it started', async () => {
    await setHooks({
      hooks: [{ phase: 'pre', service: 'app', command: 'sleep 307 & sleep 308; echo never', timeoutSeconds: 1 }],
      continueOnPreFailure: true,
    })
    const started = Date.now()
    // live: a stop would end every process in the container anyway, and hide a leftover.
    const snapshot = value<SnapshotSummary>(await capture('live'))
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(snapshot.hooks).toEqual({ ran: 1, failed: 1 })
    const [run] = value<HookRun[]>(await invoke('snapshots.hookRuns', { snapshotId: snapshot.id }))
    expect(run?.outcome).toBe('timeout')
    expect(run?.output).not.toContain('never')
    // Neither the hook's shell nor the job it put in the background is left in the container.
    const processes = docker('exec', containerId(), 'ps', '-o', 'args')
    expect(processes).not.toMatch(/sleep 30[78]/)
    expect(running()).toBe(true)
  })

  it('a hook naming a service the app does not have is refused, and nothing is saved', async () => {
    const saved = value<CaptureHooks>(await invoke('snapshots.hooks', { workloadId: workload.id }))
    const result = await invoke('snapshots.setHooks', {
      workloadId: workload.id,
      hooks: [{ phase: 'pre', service: 'nope', command: 'true', timeoutSeconds: 5 }],
      continueOnPreFailure: false,
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.details).toMatchObject({ reason: 'unknown_service', field: 'hooks.0.service' })
    expect(value<CaptureHooks>(await invoke('snapshots.hooks', { workloadId: workload.id }))).toEqual(saved)
  })
})
