/**
 * restore: restore throughput (source bytes per second, every check and fsync included, until the
 * app runs again on the restored data) against `tar -xzf` of the same archive, in the same run:
 * rounds of one of each, interleaved, each after a sync, compared by their medians (this machine's
 * disk and memory speed drift by half within a minute).
 * downtime: seconds from the containers stopped to running again, for 16 MiB and 1 GiB volumes.
 * Targets: restore >= 0.9x tar -xzf; downtime(1 GiB) within 1 s of downtime(16 MiB).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RestoreRecord } from '../src/shared/types/restore'
import type { SnapshotSummary } from '../src/shared/types/snapshots'
import type { JobProgress } from '../src/shared/types/jobs'
import { docker, importedImage } from '../test/helpers/images'
import { startInstance, type Instance } from '../test/helpers/slipwayInstance'
import { testEnv } from '../test/helpers/testEnv'
import { deployedWorkload, value } from '../test/helpers/workloadFixtures'
import { generateDataset } from './dataset'
import { median, round } from './stats'

interface Timed {
  readonly totalSeconds: number
  /** Until the engine started the app's containers again (their State.StartedAt). */
  readonly untilRunningSeconds: number
  /** Until Slipway's deploy confirmed it (start, then its post-start check that the app stayed up). */
  readonly untilConfirmedSeconds: number
  readonly downtimeSeconds: number
  readonly downtimeConfirmedSeconds: number
  /** Seconds spent in each step, in order: where the time goes. */
  readonly phases: Record<string, number>
}

/** Wall-clock milliseconds, comparable with the engine's timestamps (same machine). */
const now = (): number => performance.timeOrigin + performance.now()

function startedAt(workloadId: string): number {
  const ids = docker('ps', '-q', '--filter', `label=io.slipway.workload=${workloadId}`).split('\n').filter(Boolean)
  if (ids.length === 0) throw new Error('the app is not running after the restore')
  const times = docker('inspect', '--format', '{{.State.StartedAt}}', ...ids).split('\n')
  // RFC 3339 with nanoseconds: milliseconds are all Date.parse takes.
  return Math.max(...times.map((t) => Date.parse(t.replace(/(\.\d{3})\d*/, '$1'))))
}

async function timedRestore(instance: Instance, workloadId: string, snapshotId: string): Promise<Timed> {
  const marks = new Map<string, number>()
  const off = instance.slipway.bus.on('jobs.progress', (e: JobProgress) => {
    if (e.kind === 'restore' && e.subject === workloadId && !marks.has(e.phase)) marks.set(e.phase, now())
  })
  const started = now()
  value<RestoreRecord>(
    await instance.slipway.router.invoke('restore.start', { workloadId, snapshotId, confirm: snapshotId }),
  )
  const ended = now()
  off()
  const stop = marks.get('stop') ?? started
  const running = startedAt(workloadId)
  const confirmed = marks.get('preserve') ?? ended
  const ordered = [...marks].sort((a, b) => a[1] - b[1])
  const phases: Record<string, number> = {}
  ordered.forEach(([phase, at], i) => {
    phases[phase] = round(((ordered[i + 1]?.[1] ?? ended) - at) / 1000, 2)
  })
  return {
    phases,
    totalSeconds: (ended - started) / 1000,
    untilRunningSeconds: (running - started) / 1000,
    untilConfirmedSeconds: (confirmed - started) / 1000,
    downtimeSeconds: (running - stop) / 1000,
    downtimeConfirmedSeconds: (confirmed - stop) / 1000,
  }
}

export async function restoreBench(): Promise<Record<string, unknown>> {
  const env = testEnv()
  const mib = Number(process.env['SLIPWAY_BENCH_MIB'] ?? '512')
  importedImage('slipway-test/app:a', 'A')
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-restore-'))
  const instance = await startInstance({ dockerHost: env.dockerHost })
  try {
    const data = join(work, 'data')
    mkdirSync(data)
    const bytes = generateDataset(data, mib)
    const w = await deployedWorkload(instance, 'local', 'bench-restore', [
      { kind: 'bind', source: data, target: '/data' },
    ])
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
    )
    const archive = join(instance.dataDir, 'snapshots', snapshot.id, 'vol-0.tar.gz')
    const out = join(work, 'tar-out')
    const rounds = Number(process.env['SLIPWAY_BENCH_ROUNDS'] ?? '3')
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error('SLIPWAY_BENCH_ROUNDS must be a whole number >= 1')
    const tarRuns: number[] = []
    const restores: Timed[] = []
    for (let i = 0; i < rounds; i++) {
      rmSync(out, { recursive: true, force: true })
      mkdirSync(out)
      execFileSync('sync')
      const t0 = performance.now()
      execFileSync('bash', ['-c', `tar -xzf ${archive} -C ${out} && sync`])
      tarRuns.push((performance.now() - t0) / 1000)
      rmSync(out, { recursive: true, force: true })
      execFileSync('sync')
      restores.push(await timedRestore(instance, w.id, snapshot.id))
    }
    const tarSeconds = median(tarRuns)
    const untilRunning = median(restores.map((r) => r.untilRunningSeconds))
    const untilConfirmed = median(restores.map((r) => r.untilConfirmedSeconds))
    const stageSeconds = median(restores.map((r) => r.phases['stage'] ?? Number.POSITIVE_INFINITY))
    const phases = restores.at(-1)?.phases ?? {}

    const downtime: Record<string, Timed> = {}
    for (const [label, size] of [
      ['16MiB', 16],
      ['1GiB', 1024],
    ] as const) {
      const dir = join(work, `dt-${label}`)
      mkdirSync(dir)
      execFileSync('dd', ['if=/dev/urandom', `of=${join(dir, 'blob')}`, 'bs=1M', `count=${size}`], { stdio: 'ignore' })
      const dw = await deployedWorkload(instance, 'local', `bench-downtime-${label.toLowerCase()}`, [
        { kind: 'bind', source: dir, target: '/data' },
      ])
      const snap = value<SnapshotSummary>(
        await instance.slipway.router.invoke('snapshots.capture', { workloadId: dw.id, mode: 'live', label: null }),
      )
      downtime[label] = await timedRestore(instance, dw.id, snap.id)
    }
    const mbps = (s: number): number => round(bytes / 1e6 / s, 1)
    const small = downtime['16MiB']
    const large = downtime['1GiB']
    if (small === undefined || large === undefined) throw new Error('a downtime run is missing')
    return {
      restore: {
        source_mb: round(bytes / 1e6, 1),
        rounds,
        slipway_until_running_mb_s: mbps(untilRunning),
        slipway_until_confirmed_mb_s: mbps(untilConfirmed),
        slipway_total_mb_s: mbps(median(restores.map((r) => r.totalSeconds))),
        tar_xzf_mb_s: mbps(tarSeconds),
        ratio_until_running: round(tarSeconds / untilRunning),
        ratio_until_confirmed: round(tarSeconds / untilConfirmed),
        ratio_total: round(tarSeconds / median(restores.map((r) => r.totalSeconds))),
        // The part that grows with the data: one pass that hashes, checks and the engine extracts.
        ratio_stage: round(tarSeconds / stageSeconds),
        per_round_s: tarRuns.map((tar, i) => ({
          tar_xzf: round(tar),
          until_running: round(restores[i]?.untilRunningSeconds ?? 0),
          until_confirmed: round(restores[i]?.untilConfirmedSeconds ?? 0),
        })),
        phases_s_last_round: phases,
        target: 'ratio >= 0.9',
      },
      downtime: {
        seconds_16mib: round(small.downtimeSeconds),
        seconds_1gib: round(large.downtimeSeconds),
        difference_s: round(large.downtimeSeconds - small.downtimeSeconds),
        confirmed_seconds_16mib: round(small.downtimeConfirmedSeconds),
        confirmed_seconds_1gib: round(large.downtimeConfirmedSeconds),
        confirmed_difference_s: round(large.downtimeConfirmedSeconds - small.downtimeConfirmedSeconds),
        target: '1 GiB within 1 s of 16 MiB',
      },
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}
