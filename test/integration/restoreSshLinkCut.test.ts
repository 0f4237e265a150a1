import { execFileSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { docker, importedImage } from '../helpers/images'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { PrivateSshd } from '../helpers/sshd'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
const STEPS = ['stage', 'stop', 'swap:0', 'swapped', 'deploy', 'preserve', 'cleanup']
const SWAP_BEGUN = new Set(['swap:0', 'swapped', 'deploy', 'preserve', 'cleanup'])

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('restore over SSH with the link cut', () => {
  it.each(STEPS)(
    'with the link cut at %s, recovers on reconnect: every volume old or new, the app running',
    async (step) => {
      importedImage('slipway-test/app:a', 'A')
      const sshd = await PrivateSshd.start()
      let cut = ''
      const instance = await startInstance({
        dockerHost: env.dockerHost,
        afterRestoreJournal: (journaled) => {
          if (journaled === cut) sshd.killNow()
        },
      })
      try {
        const hostId = (await addTrustedSshHost(instance, sshd)).id
        const bind = join(tempDir('rssh-'), 'data')
        buildTree(bind, databaseLikeTree('ssh'))
        execFileSync('chmod', ['0700', bind])
        const w = await deployedWorkload(instance, hostId, `rssh-${step.replace(':', '-')}`, [
          { kind: 'bind', source: bind, target: '/data' },
        ])
        const snapshot = value<SnapshotSummary>(
          await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
        )
        const fresh = readTree(bind, { rootAttributes: true })
        writeFileSync(join(bind, 'config.yml'), 'damaged\n')
        const old = readTree(bind, { rootAttributes: true })

        cut = step
        const result = await instance.slipway.router.invoke('restore.start', {
          workloadId: w.id,
          snapshotId: snapshot.id,
          confirm: snapshot.id,
        })
        expect(result.ok).toBe(false)
        await sshd.resume()
        await waitFor(
          'the restore to end',
          async () => {
            const [record] = value<RestoreRecord[]>(
              await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
            )
            return record !== undefined && record.outcome !== 'running' && record.outcome !== 'failed'
              ? true
              : record?.outcome === 'failed'
          },
          60_000,
        )
        await waitFor(
          'the app to run',
          () => docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`) !== '',
          30_000,
        )
        await waitFor(
          'the temp folders to go',
          () => readdirSync(dirname(bind)).filter((n) => n.includes('slipway')).length === 0,
          30_000,
        )

        expect(readTree(bind, { rootAttributes: true })).toEqual(SWAP_BEGUN.has(step) ? fresh : old)
        const [record] = value<RestoreRecord[]>(
          await instance.slipway.router.invoke('restore.list', { workloadId: w.id }),
        )
        if (SWAP_BEGUN.has(step)) {
          expect(record).toMatchObject({ outcome: 'restored', recovered: true })
          expect(record?.preRestoreSnapshotId).not.toBeNull()
        } else {
          expect(['reverted', 'failed']).toContain(record?.outcome)
        }
        value(await instance.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
      } finally {
        await instance.close()
        await sshd.close()
      }
    },
    150_000,
  )
})
