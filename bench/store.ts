/**
 * store: capture of the dataset into a local-folder restic repository vs the local `.tar.gz`
 * capture in the same run; then 1 % of the dataset's bytes changed and captured again into the
 * repository, its time against the first and the repository's growth against the dataset's size.
 * Three shapes of the same 1 %: runs of 1 MiB in a few files, runs of 64 KiB scattered over many,
 * and one region of one file. Target (issue 13): growth <= 3 % of the volume.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SnapshotSummary } from '../src/shared/types/snapshots'
import type { StoreSummary } from '../src/shared/types/stores'
import { importedImage } from '../test/helpers/images'
import { startInstance, type Instance } from '../test/helpers/slipwayInstance'
import { testEnv } from '../test/helpers/testEnv'
import { deployedWorkload, value } from '../test/helpers/workloadFixtures'
import { generateDataset } from './dataset'
import { round } from './stats'

function treeBytes(root: string): number {
  let total = 0
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  }
  return total
}

/** Overwrites `share` of the dataset's bytes in place, spread over its files in runs of `run` bytes. */
function changeShare(root: string, share: number, run: number, seed: number): number {
  const files = readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
  const budget = Math.floor(treeBytes(root) * share)
  let changed = 0
  for (let i = 0; changed < budget && files.length > 0; i++) {
    const file = files[(i * 7919 + seed) % files.length] ?? ''
    const size = statSync(file).size
    if (size < run) continue
    const fd = openSync(file, 'r+')
    writeSync(fd, randomBytes(run), 0, run, Math.floor((size - run) / 2))
    closeSync(fd)
    changed += run
  }
  return changed
}

/** Overwrites `share` of the dataset's bytes as one region of its largest file (a database's rewritten pages, an edited video). */
function changeOneRegion(root: string, share: number): number {
  const files = readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => statSync(b).size - statSync(a).size)
  const largest = files[0]
  if (largest === undefined) return 0
  const size = statSync(largest).size
  const run = Math.min(size, Math.floor(treeBytes(root) * share))
  const fd = openSync(largest, 'r+')
  writeSync(fd, randomBytes(run), 0, run, Math.floor((size - run) / 3))
  closeSync(fd)
  return run
}

async function timed(instance: Instance, workloadId: string): Promise<{ seconds: number; snapshot: SnapshotSummary }> {
  const started = performance.now()
  const snapshot = value<SnapshotSummary>(
    await instance.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'live', label: null }),
  )
  return { seconds: (performance.now() - started) / 1000, snapshot }
}

export async function storeBench(): Promise<Record<string, number | string>> {
  const env = testEnv()
  const mib = Number(process.env['SLIPWAY_BENCH_MIB'] ?? '512')
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-store-'))
  const data = join(work, 'data')
  const repo = join(work, 'repo')
  mkdirSync(data)
  importedImage('slipway-test/app:a', 'A')
  const instance = await startInstance({ dockerHost: env.dockerHost })
  try {
    process.stderr.write(`bench: generating ${mib} MiB…\n`)
    const bytes = generateDataset(data, mib)
    execFileSync('sync')
    const w = await deployedWorkload(instance, 'local', 'bench-store', [
      { kind: 'bind', source: data, target: '/data' },
    ])
    const store = value<StoreSummary>(
      await instance.slipway.router.invoke('stores.add', {
        name: 'bench',
        location: { kind: 'folder', path: repo },
        password: 'bench-password',
        backendSecret: null,
        mode: 'create',
      }),
    )
    // Baseline: this computer only.
    const local = await timed(instance, w.id)
    value(
      await instance.slipway.router.invoke('snapshots.setDestinations', {
        workloadId: w.id,
        local: false,
        stores: [{ storeId: store.id, keepLast: 10, keepDaily: 0, keepWeekly: 0 }],
      }),
    )
    const first = await timed(instance, w.id)
    const afterFirst = treeBytes(repo)
    // 1 % in 1 MiB runs (a few files edited), then another 1 % in 64 KiB runs scattered over many
    // files: restic's chunks average 1 MiB, so each scattered run costs a whole chunk.
    const changed = changeShare(data, 0.01, 1 << 20, 0)
    execFileSync('sync')
    const second = await timed(instance, w.id)
    const afterSecond = treeBytes(repo)
    const growth = afterSecond - afterFirst
    const scattered = changeShare(data, 0.01, 64 << 10, 17)
    execFileSync('sync')
    const third = await timed(instance, w.id)
    const afterThird = treeBytes(repo)
    const scatteredGrowth = afterThird - afterSecond
    const region = changeOneRegion(data, 0.01)
    execFileSync('sync')
    const fourth = await timed(instance, w.id)
    const regionGrowth = treeBytes(repo) - afterThird
    return {
      source_mb: round(bytes / 1e6, 1),
      local_targz_s: round(local.seconds),
      store_first_s: round(first.seconds),
      store_vs_local_ratio: round(first.seconds / local.seconds),
      changed_mb: round(changed / 1e6, 1),
      store_second_s: round(second.seconds),
      second_vs_first_ratio: round(second.seconds / first.seconds),
      repository_growth_mb: round(growth / 1e6, 1),
      repository_growth_percent_of_volume: round((growth / bytes) * 100),
      scattered_changed_mb: round(scattered / 1e6, 1),
      scattered_second_s: round(third.seconds),
      scattered_growth_percent_of_volume: round((scatteredGrowth / bytes) * 100),
      region_changed_mb: round(region / 1e6, 1),
      region_second_s: round(fourth.seconds),
      region_growth_percent_of_volume: round((regionGrowth / bytes) * 100),
      target: 'growth <= 3 % of the volume',
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}
