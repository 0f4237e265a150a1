/**
 * The Redis preset on a real Redis 7 with a writer appending continuously: a live capture whose pre
 * hook waits for Redis's own background save into the captured volume. The app never stops; after
 * more writes, a restore brings back exactly the entries of one moment — no gap in the writer's
 * sequence, its counter equal to the list's length — and every entry written before the capture.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hookPresetsFor } from '../../src/shared/hookPresets'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { HookRun, SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, helperContainersOf, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()

/** redis-cli inside the container, over its loopback: no network outside it is involved. */
function redis(container: string, ...args: string[]): string {
  return execFileSync('docker', ['-H', env.dockerHost, 'exec', container, 'redis-cli', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

async function untilPong(container: () => string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const id = container()
    if (id !== '') {
      try {
        // Redis answers LOADING while it reads the RDB: ready means PONG.
        if (redis(id, 'PING') === 'PONG') return id
      } catch {
        // not yet
      }
    }
    if (Date.now() > deadline) throw new Error('Redis did not become ready')
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** One writer: each transaction appends the next number and moves a counter by one, atomically. */
const WRITER = `i=0; while true; do i=$((i+1)); printf 'MULTI\\nRPUSH seq %s\\nINCR n\\nEXEC\\n' "$i" | redis-cli >/dev/null; done`

/** The writer's state: its entries are 1..length with no gap, and the counter equals the length. */
function consistency(container: string): { entries: number; inSequence: boolean; counterMatches: boolean } {
  const entries = Number(redis(container, 'LLEN', 'seq'))
  const values = redis(container, 'LRANGE', 'seq', '0', '-1').split('\n').map(Number)
  return {
    entries,
    inSequence: values.length === entries && values.every((v, i) => v === i + 1),
    counterMatches: redis(container, 'GET', 'n') === String(entries),
  }
}

describe('a consistent live capture of Redis through its preset', () => {
  let instance: Instance
  let w: WorkloadDetail
  let root: string
  let saved: SnapshotSummary | null = null
  let committedBefore = 0
  const container = (): string => docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)
  const capture = (): ReturnType<Instance['slipway']['router']['invoke']> =>
    instance.slipway.router.invoke('snapshots.capture', {
      workloadId: w.id,
      mode: 'live',
      label: 'redis preset',
      acknowledgeInconsistent: true,
    })

  beforeAll(async () => {
    instance = await startInstance({ dockerHost: env.dockerHost })
    root = mkdtempSync(join(tmpdir(), 'redis-preset-'))
    const data = join(root, 'data')
    mkdirSync(data)
    w = value<WorkloadDetail>(
      await instance.slipway.router.invoke('workloads.create', {
        hostId: 'local',
        name: 'redis-preset',
        snapshotBeforeDeploy: false,
        services: [
          {
            name: 'cache',
            image: env.redisImage,
            command: null,
            env: [],
            ports: [],
            volumes: [{ kind: 'bind', source: data, target: '/data', readOnly: false, excludeFromSnapshots: false }],
            restart: 'no',
          },
        ],
      }),
    )
    value(await instance.slipway.router.invoke('workloads.deploy', { workloadId: w.id }))
    await untilPong(container)
  }, 120_000)
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('saves in the background while the writer writes, and never stops or pauses the app', async () => {
    const { router } = instance.slipway
    const service = w.services[0]
    if (service === undefined) throw new Error('no service')
    const [preset] = hookPresetsFor(service)
    expect(preset?.id).toBe('redis-save')
    value(
      await router.invoke('snapshots.setHooks', {
        workloadId: w.id,
        hooks: preset?.hooks ?? [],
        continueOnPreFailure: false,
      }),
    )
    const db = await untilPong(container)
    docker('exec', '-d', db, 'sh', '-c', WRITER)
    await new Promise((r) => setTimeout(r, 1_500))
    committedBefore = Number(redis(db, 'LLEN', 'seq'))
    expect(committedBefore).toBeGreaterThan(0)
    const snapshot = value<SnapshotSummary>(await capture())
    expect(container()).toBe(db)
    expect(docker('inspect', '--format', '{{.State.Paused}}', db)).toBe('false')
    expect(snapshot.hooks).toEqual({ ran: 1, failed: 0 })
    const [run] = value<HookRun[]>(await router.invoke('snapshots.hookRuns', { snapshotId: snapshot.id }))
    expect(run).toMatchObject({ outcome: 'ok', exitCode: 0 })
    expect(run?.output).toContain('saved /data/dump.rdb')
    saved = snapshot
    // The writer went on: the live list outgrows what the capture began with.
    await new Promise((r) => setTimeout(r, 1_000))
    expect(Number(redis(db, 'LLEN', 'seq'))).toBeGreaterThan(committedBefore)
  }, 120_000)

  it('restores the entries of one moment, every one written before the capture, and none of the later ones', async () => {
    if (saved === null) throw new Error('the capture above did not run')
    const snapshot = saved
    const before = await untilPong(container)
    // The writer is still writing: the live list already holds entries the capture's moment does not.
    const liveBefore = Number(redis(before, 'LLEN', 'seq'))
    const record = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId: w.id,
        snapshotId: snapshot.id,
        confirm: snapshot.id,
      }),
    )
    expect(record.outcome).toBe('restored')
    expect(record.preRestoreSnapshotId).not.toBeNull()
    const after = await untilPong(container)
    expect(after).not.toBe(before)
    const state = consistency(after)
    expect(state).toMatchObject({ inSequence: true, counterMatches: true })
    expect(state.entries).toBeGreaterThanOrEqual(committedBefore)
    expect(state.entries).toBeLessThan(liveBefore)
    expect(helperContainersOf(instance.installationId())).toEqual([])
  }, 180_000)

  it('refuses a live capture when Redis restarts from its append-only file, and captures nothing', async () => {
    const db = await untilPong(container)
    expect(redis(db, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK')
    const count = async (): Promise<number> =>
      value<SnapshotSummary[]>(await instance.slipway.router.invoke('snapshots.list', { workloadId: w.id })).length
    const before = await count()
    const result = await capture()
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.details).toMatchObject({ reason: 'pre_hook_failed', service: 'cache', exitCode: 3 })
    expect(await count()).toBe(before)
    expect(container()).toBe(db)
  }, 120_000)
})
