/**
 * restore: restore throughput (source bytes per second, every check and fsync included, until the
 * app runs again on the restored data) against `tar -xzf` of the same archive, in the same run.
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
import { importedImage } from '../test/helpers/images'
import { startInstance, type Instance } from '../test/helpers/slipwayInstance'
import { testEnv } from '../test/helpers/testEnv'
import { deployedWorkload, value } from '../test/helpers/workloadFixtures'
import { generateDataset } from './dataset'
import { round } from './stats'

interface Timed {
  readonly totalSeconds: number
  readonly untilRunningSeconds: number
  readonly downtimeSeconds: number
  /** Seconds spent in each step, in order: where the time goes. */
  readonly phases: Record<string, number>
}

async function timedRestore(instance: Instance, workloadId: string, snapshotId: string): Promise<Timed> {
  const marks = new Map<string, number>()
  const off = instance.slipway.bus.on('jobs.progress', (e: JobProgress) => {
    if (e.kind === 'restore' && e.subject === workloadId && !marks.has(e.phase)) marks.set(e.phase, performance.now())
  })
  const started = performance.now()
  value<RestoreRecord>(
    await instance.slipway.router.invoke('restore.start', { workloadId, snapshotId, confirm: snapshotId }),
  )
  const ended = performance.now()
  off()
  const stop = marks.get('stop') ?? started
  const running = marks.get('preserve') ?? ended
  const ordered = [...marks].sort((a, b) => a[1] - b[1])
  const phases: Record<string, number> = {}
  ordered.forEach(([phase, at], i) => {
    phases[phase] = round(((ordered[i + 1]?.[1] ?? ended) - at) / 1000, 2)
  })
  return {
    phases,
    totalSeconds: (ended - started) / 1000,
    untilRunningSeconds: (running - started) / 1000,
    downtimeSeconds: (running - stop) / 1000,
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
    mkdirSync(out)
    const t0 = performance.now()
    execFileSync('bash', ['-c', `tar -xzf ${archive} -C ${out} && sync`])
    const tarSeconds = (performance.now() - t0) / 1000
    rmSync(out, { recursive: true, force: true })
    const restore = await timedRestore(instance, w.id, snapshot.id)

    const downtime: Record<string, number> = {}
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
      downtime[label] = round((await timedRestore(instance, dw.id, snap.id)).downtimeSeconds, 2)
    }
    const mbps = (s: number): number => round(bytes / 1e6 / s, 1)
    return {
      restore: {
        source_mb: round(bytes / 1e6, 1),
        slipway_until_running_mb_s: mbps(restore.untilRunningSeconds),
        slipway_total_mb_s: mbps(restore.totalSeconds),
        tar_xzf_mb_s: mbps(tarSeconds),
        ratio_until_running: round(tarSeconds / restore.untilRunningSeconds),
        ratio_total: round(tarSeconds / restore.totalSeconds),
        // The part that grows with the data: one pass that hashes, checks and the engine extracts.
        ratio_stage: round(tarSeconds / (restore.phases['stage'] ?? Number.POSITIVE_INFINITY)),
        phases_s: restore.phases,
        target: 'ratio >= 0.9',
      },
      downtime: {
        seconds_16mib: downtime['16MiB'] ?? 0,
        seconds_1gib: downtime['1GiB'] ?? 0,
        difference_s: round((downtime['1GiB'] ?? 0) - (downtime['16MiB'] ?? 0), 2),
        target: '1 GiB within 1 s of 16 MiB',
      },
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}
