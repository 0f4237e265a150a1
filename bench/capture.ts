/**
 * capture_local / capture_ssh: Slipway's capture against tar|gzip -6 locally and
 * `ssh host 'tar -czf -'` over the test sshd, on the same dataset in the same run (MB/s of source
 * bytes). browse: open the index of a 100,000-file snapshot and list a 10,000-entry folder.
 * Targets: both capture ratios >= 2.0; browse < 200 ms.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SnapshotSummary } from '../src/shared/types/snapshots'
import { openDatabase } from '../src/main/store/database'
import { SnapshotStore } from '../src/main/snapshots/snapshotStore'
import { importedImage } from '../test/helpers/images'
import { startInstance, type Instance } from '../test/helpers/slipwayInstance'
import { addTrustedSshHost } from '../test/helpers/sshHostFixture'
import { testEnv } from '../test/helpers/testEnv'
import { deployedWorkload, value } from '../test/helpers/workloadFixtures'
import { generateDataset } from './dataset'
import { round } from './stats'

const MB = 1_000_000

function timeShell(script: string): number {
  const started = performance.now()
  execFileSync('bash', ['-c', script], { stdio: 'ignore' })
  return (performance.now() - started) / 1000
}

async function timeCapture(instance: Instance, workloadId: string): Promise<number> {
  const started = performance.now()
  const snapshot = value<SnapshotSummary>(
    await instance.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'live', label: null }),
  )
  const seconds = (performance.now() - started) / 1000
  value(await instance.slipway.router.invoke('snapshots.delete', { snapshotId: snapshot.id }))
  return seconds
}

export async function captureBench(): Promise<Record<string, Record<string, number | string>>> {
  const env = testEnv()
  const mib = Number(process.env['SLIPWAY_BENCH_MIB'] ?? '512')
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-capture-'))
  // The baseline runs as the SSH user, who must be able to read the dataset.
  chmodSync(work, 0o755)
  const data = join(work, 'data')
  mkdirSync(data)
  importedImage('slipway-test/app:a', 'A')
  const instance = await startInstance({ dockerHost: env.dockerHost })
  try {
    process.stderr.write(`bench: generating ${mib} MiB…\n`)
    const bytes = generateDataset(data, mib)
    execFileSync('sync')
    const rssBefore = process.memoryUsage().rss

    const local = await deployedWorkload(instance, 'local', 'bench-local', [
      { kind: 'bind', source: data, target: '/data' },
    ])
    const host = await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub }, 'bench')
    const remote = await deployedWorkload(instance, host.id, 'bench-ssh', [
      { kind: 'bind', source: data, target: '/data' },
    ])

    const out = join(work, 'baseline.tar.gz')
    const sshArgs = `-i ${env.ssh.keyPath} -p ${env.ssh.port} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${env.ssh.user}@${env.ssh.host}`
    // Warm the page cache once so no contender pays for the first read.
    timeShell(`tar -C ${data} -cf - . > /dev/null`)
    const tarGzip = timeShell(`tar -C ${data} -cf - . | gzip -6 > ${out}`)
    const slipwayLocal = await timeCapture(instance, local.id)
    const sshTar = timeShell(`ssh ${sshArgs} 'tar -C ${data} -czf - .' > ${out}`)
    const slipwaySsh = await timeCapture(instance, remote.id)
    const rssGrowth = process.memoryUsage().rss - rssBefore

    const rate = (seconds: number): number => round(bytes / MB / seconds, 1)
    return {
      capture_local: {
        source_mb: round(bytes / MB, 1),
        slipway_mb_s: rate(slipwayLocal),
        tar_gzip6_mb_s: rate(tarGzip),
        ratio: round(tarGzip / slipwayLocal),
        target: 'ratio >= 2.0',
      },
      capture_ssh: {
        source_mb: round(bytes / MB, 1),
        slipway_mb_s: rate(slipwaySsh),
        ssh_tar_czf_mb_s: rate(sshTar),
        ratio: round(sshTar / slipwaySsh),
        main_rss_growth_mib: round(rssGrowth / 1024 / 1024, 1),
        target: 'ratio >= 2.0',
      },
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}

export async function browseBench(): Promise<Record<string, number | string>> {
  const env = testEnv()
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-browse-'))
  const data = join(work, 'data')
  importedImage('slipway-test/app:a', 'A')
  // 100,000 files: one folder of 10,000 and 90 of 1,000.
  mkdirSync(join(data, 'big'), { recursive: true })
  for (let i = 0; i < 10_000; i++) writeFileSync(join(data, 'big', `file-${i}.txt`), '')
  for (let d = 0; d < 90; d++) {
    mkdirSync(join(data, `dir-${d}`))
    for (let i = 0; i < 1000; i++) writeFileSync(join(data, `dir-${d}`, `f-${i}`), '')
  }
  const instance = await startInstance({ dockerHost: env.dockerHost })
  try {
    const w = await deployedWorkload(instance, 'local', 'bench-browse', [
      { kind: 'bind', source: data, target: '/data' },
    ])
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
    )
    const times: number[] = []
    for (let run = 0; run < 5; run++) {
      const started = performance.now()
      const db = openDatabase(join(instance.dataDir, 'slipway.db'))
      const store = new SnapshotStore(db)
      let listed = 0
      let total = 1
      while (listed < total) {
        const page = store.browse(snapshot.id, 0, 'big', listed, 5000)
        total = page.total
        listed += page.entries.length
      }
      times.push(performance.now() - started)
      db.close()
      if (listed !== 10_000) throw new Error(`listed ${listed}`)
    }
    return {
      files: snapshot.files,
      open_and_list_10k_ms: round(Math.min(...times), 1),
      median_ms: round([...times].sort((a, b) => a - b)[2] ?? 0, 1),
      target: '< 200 ms',
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}

/** Peak main-process RSS growth while capturing a 2 GiB volume (target: under 200 MiB). */
export async function captureMemoryBench(): Promise<Record<string, number | string>> {
  const env = testEnv()
  const gib = Number(process.env['SLIPWAY_BENCH_MEMORY_GIB'] ?? '2')
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-memory-'))
  importedImage('slipway-test/app:a', 'A')
  for (let i = 0; i < gib * 4; i++) {
    execFileSync('dd', ['if=/dev/urandom', `of=${join(work, `part-${i}`)}`, 'bs=1M', 'count=256'], { stdio: 'ignore' })
  }
  const instance = await startInstance({ dockerHost: env.dockerHost })
  try {
    const w = await deployedWorkload(instance, 'local', 'bench-memory', [
      { kind: 'bind', source: work, target: '/data' },
    ])
    global.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 50)
    const started = performance.now()
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'live', label: null }),
    )
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    return {
      volume_gib: gib,
      captured_bytes: snapshot.bytes,
      seconds: round(seconds, 1),
      peak_rss_growth_mib: round((peak - before) / 1024 / 1024, 1),
      target: 'peak_rss_growth_mib < 200',
    }
  } finally {
    await instance.close()
    rmSync(work, { recursive: true, force: true })
  }
}
