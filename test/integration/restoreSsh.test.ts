import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { importedImage } from '../helpers/images'
import { PrivateSshd } from '../helpers/sshd'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, largerThanBuffersTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

async function sshHost(instance: Instance, sshd: PrivateSshd): Promise<string> {
  return (await addTrustedSshHost(instance, sshd)).id
}

describe('restore over SSH', () => {
  it('restores over SSH (happy path), a volume larger than the staging buffers, over both upload lanes', async () => {
    importedImage('slipway-test/app:a', 'A')
    const sshd = await PrivateSshd.start()
    const instance = await startInstance({ dockerHost: env.dockerHost })
    try {
      const hostId = await sshHost(instance, sshd)
      const bind = join(tempDir('rssh-ok-'), 'data')
      buildTree(bind, largerThanBuffersTree('ssh-ok'))
      execFileSync('chmod', ['0700', bind])
      const w = await deployedWorkload(instance, hostId, 'rssh-ok', [{ kind: 'bind', source: bind, target: '/data' }])
      const snapshot = value<SnapshotSummary>(
        await instance.slipway.router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
      )
      const fresh = readTree(bind, { rootAttributes: true })
      execFileSync('rm', ['-rf', join(bind, 'base'), join(bind, 'blobs'), join(bind, 'many')])
      const record = value<RestoreRecord>(
        await instance.slipway.router.invoke('restore.start', {
          workloadId: w.id,
          snapshotId: snapshot.id,
          confirm: snapshot.id,
        }),
      )
      expect(record.outcome).toBe('restored')
      expect(readTree(bind, { rootAttributes: true })).toEqual(fresh)
      value(await instance.slipway.router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
    } finally {
      await instance.close()
      await sshd.close()
    }
  })
})
