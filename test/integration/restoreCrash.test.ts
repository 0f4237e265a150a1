import { execFileSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { runChild } from '../helpers/childProcess'
import { docker, helperContainersOf, importedImage, populatedVolume } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const STEPS = ['stage', 'stop', 'swap:0', 'swap:1', 'swapped', 'deploy', 'preserve', 'cleanup']
const SWAP_BEGUN = new Set(['swap:0', 'swap:1', 'swapped', 'deploy', 'preserve', 'cleanup'])

const volumeData = (name: string): string => docker('volume', 'inspect', '--format', '{{.Mountpoint}}', name)

describe('a restore killed at every journal step', () => {
  it.each(STEPS)(
    'after kill -9 at %s, recovery leaves each volume entirely old or new, no temp folders, the app running',
    async (step) => {
      importedImage('slipway-test/app:a', 'A')
      const dataDir = tempDir('rc-data-')
      const homeDir = tempDir('rc-home-')
      const setup = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
      const bind = join(tempDir('rc-bind-'), 'data')
      buildTree(bind, databaseLikeTree('crash'))
      const volume = `rc-${Date.now()}`
      populatedVolume(volume, 'echo v1 > /d/f && mkdir /d/sub && echo deep > /d/sub/g')
      const w = await deployedWorkload(setup, 'local', `rc-${step.replace(':', '-')}`, [
        { kind: 'bind', source: bind, target: '/data' },
        { kind: 'volume', source: volume, target: '/cache' },
      ])
      const snapshot = value<SnapshotSummary>(
        await setup.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
      )
      const fresh = {
        bind: readTree(bind, { rootAttributes: true }),
        volume: readTree(volumeData(volume), { rootAttributes: true }),
      }
      writeFileSync(join(bind, 'config.yml'), 'damaged\n')
      execFileSync('rm', ['-rf', join(bind, 'base')])
      writeFileSync(join(volumeData(volume), 'f'), 'v2\n')
      const old = {
        bind: readTree(bind, { rootAttributes: true }),
        volume: readTree(volumeData(volume), { rootAttributes: true }),
      }
      await setup.slipway.stop()

      const outcome = await runChild('restoreChild', {
        dataDir,
        homeDir,
        dockerHost: env.dockerHost,
        workloadId: w.id,
        snapshotId: snapshot.id,
        crashAt: step,
      })
      expect(outcome).toBe('SIGKILL')

      const recovered = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
      try {
        const bindNow = readTree(bind, { rootAttributes: true })
        const volumeNow = readTree(volumeData(volume), { rootAttributes: true })
        const expected = SWAP_BEGUN.has(step) ? fresh : old
        expect(bindNow).toEqual(expected.bind)
        expect(volumeNow).toEqual(expected.volume)
        expect(readdirSync(dirname(bind)).filter((n) => n.includes('slipway'))).toEqual([])
        expect(readdirSync(dirname(volumeData(volume))).filter((n) => n.includes('slipway'))).toEqual([])
        expect(docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)).not.toBe('')
        expect(helperContainersOf(recovered.installationId())).toEqual([])
        const [record] = value<RestoreRecord[]>(
          await recovered.slipway.router.invoke('restore.list', { workloadId: w.id }),
        )
        expect(record).toMatchObject({ recovered: true, outcome: SWAP_BEGUN.has(step) ? 'restored' : 'reverted' })
        // The sweep ran before any window listened: its notice waits for the first subscriber.
        const notices: RestoreRecord[] = []
        const subscription = recovered.slipway.router.subscribe('restore.notices', {}, (n) =>
          notices.push(n as RestoreRecord),
        )
        await new Promise((r) => setTimeout(r, 20))
        expect(notices.map((n) => n.id)).toEqual([record?.id])
        if (subscription.ok) subscription.value()
        if (SWAP_BEGUN.has(step)) {
          const pre = value<SnapshotSummary>(
            await recovered.slipway.router.invoke('snapshots.get', { snapshotId: record?.preRestoreSnapshotId ?? '' }),
          )
          expect(pre).toMatchObject({ origin: 'pre-restore', pinned: true })
        }
        expect(recovered.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
        expect(
          await recovered.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }),
        ).toMatchObject({ ok: true })
      } finally {
        await recovered.close()
      }
    },
  )
})
