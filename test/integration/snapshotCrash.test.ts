import { execFileSync, spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { docker, helperContainersOf, importedImage } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { deployedWorkload } from '../helpers/workloadFixtures'

const env = testEnv()

describe('a capture killed mid-way', () => {
  it('leaves no orphan after the next start, and the app that was stopped for it runs again', async () => {
    importedImage('slipway-test/app:a', 'A')
    const dataDir = tempDir('crash-data-')
    const homeDir = tempDir('crash-home-')
    const big = tempDir('crash-big-')
    execFileSync('dd', ['if=/dev/urandom', `of=${join(big, 'blob')}`, 'bs=1M', 'count=384'], { stdio: 'ignore' })
    const setup = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    const w = await deployedWorkload(setup, 'local', 'crashy', [{ kind: 'bind', source: big, target: '/big' }])
    await setup.slipway.stop()

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '../helpers/children/captureChild.ts'),
        JSON.stringify({ dataDir, homeDir, dockerHost: env.dockerHost, workloadId: w.id }),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('capture never started reading')), 60_000)
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('READING')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))

    // Mid-way: the app is down and a partial snapshot sits on disk.
    expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).toBe('')
    expect(readdirSync(join(dataDir, 'snapshots')).some((name) => name.endsWith('.partial'))).toBe(true)

    const restarted = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    try {
      expect(readdirSync(join(dataDir, 'snapshots'))).toEqual([])
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshot_files').get()).toEqual({ n: 0 })
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 })
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
      expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
      expect(helperContainersOf(restarted.installationId())).toEqual([])
      expect(
        (await restarted.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true })).ok,
      ).toBe(true)
    } finally {
      await restarted.close()
    }
  })
})
