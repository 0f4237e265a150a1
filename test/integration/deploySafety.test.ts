/**
 * The headline promise on the real engine, locally and over SSH: a deploy, redeploy or rollback of
 * a running app with "snapshot volumes before each deploy" on leaves exactly the new version
 * running, and one that fails (the new container exits at once) leaves the old one running again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeployRecord, VolumeMount, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, importedImage, populatedVolume, removeWorkloadContainers } from '../helpers/images'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()

/** An app that exits on SIGTERM (the test image's default) or one that ignores it (a bare sleep as PID 1). */
const APPS = {
  'exits on SIGTERM': null,
  'ignores SIGTERM': ['sleep', '3600'],
} as const

interface Running {
  readonly id: string
  readonly image: string
}

function runningContainers(workloadId: string): Running[] {
  return docker('ps', '-q', '--no-trunc', '--filter', `label=io.slipway.workload=${workloadId}`)
    .split('\n')
    .filter(Boolean)
    .map((id) => ({ id, image: docker('inspect', '--format', '{{.Image}}', id) }))
}

const allContainers = (workloadId: string): string[] =>
  docker('ps', '-aq', '--filter', `label=io.slipway.workload=${workloadId}`).split('\n').filter(Boolean)

describe.each(['local', 'ssh'] as const)('deploys with the pre-deploy snapshot on (%s engine)', (where) => {
  let instance: Instance
  let hostId = 'local'
  const images = { a: '', b: '' }
  beforeAll(async () => {
    images.a = importedImage('slipway-test/app:a', 'A')
    images.b = importedImage('slipway-test/app:b', 'B')
    instance = await startInstance({ dockerHost: env.dockerHost })
    if (where === 'ssh')
      hostId = (await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub })).id
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  async function workload(name: string, image: string, command: readonly string[] | null): Promise<WorkloadDetail> {
    const volume = populatedVolume(`${name}-${where}-${Date.now()}`, 'echo data > /d/f')
    return value<WorkloadDetail>(
      await instance.slipway.router.invoke('workloads.create', {
        hostId,
        name: `${name}-${where}`,
        snapshotBeforeDeploy: true,
        services: [service(image, command, volume)],
      }),
    )
  }

  function dataSource(mount: VolumeMount | undefined): string {
    return mount === undefined || mount.kind === 'tmpfs' ? '' : mount.source
  }

  function service(image: string, command: readonly string[] | null, volume: string) {
    return {
      name: 'app',
      image,
      command: command === null ? null : [...command],
      env: [],
      ports: [],
      volumes: [
        { kind: 'volume' as const, source: volume, target: '/data', readOnly: false, excludeFromSnapshots: false },
      ],
      restart: 'no' as const,
    }
  }

  it('deploy, redeploy and rollback each leave exactly the new version running, with a snapshot taken first', async () => {
    const { router } = instance.slipway
    const w = await workload('predeploy', 'slipway-test/app:a', null)
    const first = value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: w.id }))
    expect(first).toMatchObject({ status: 'success', preDeploySnapshot: 'taken' })
    expect(runningContainers(w.id).map((c) => c.image)).toEqual([images.a])

    const volume = dataSource(w.services[0]?.volumes[0])
    value(
      await router.invoke('workloads.update', {
        workloadId: w.id,
        name: w.name,
        snapshotBeforeDeploy: true,
        services: [service('slipway-test/app:b', null, volume)],
      }),
    )
    const second = value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: w.id }))
    expect(second).toMatchObject({ status: 'success', preDeploySnapshot: 'taken' })
    expect(runningContainers(w.id).map((c) => c.image)).toEqual([images.b])

    const third = value<DeployRecord>(await router.invoke('workloads.redeploy', { workloadId: w.id }))
    expect(third).toMatchObject({ status: 'success', preDeploySnapshot: 'taken' })
    expect(runningContainers(w.id).map((c) => c.image)).toEqual([images.b])

    const back = value<DeployRecord>(
      await router.invoke('workloads.rollback', { workloadId: w.id, deploymentId: first.id }),
    )
    expect(back).toMatchObject({ status: 'success', reason: 'rollback', preDeploySnapshot: 'taken' })
    expect(runningContainers(w.id).map((c) => c.image)).toEqual([images.a])
    expect(allContainers(w.id)).toHaveLength(1)
    const snapshots = value<unknown[]>(await router.invoke('snapshots.list', { workloadId: w.id }))
    expect(snapshots).toHaveLength(4)
    expect(instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
  })

  // The slow stop takes the same code path over SSH: once, locally, is enough.
  const apps = Object.entries(APPS).filter(([kind]) => where === 'local' || kind === 'exits on SIGTERM')
  it.each(apps)(
    'a new version that exits at once leaves the old container running again (app that %s)',
    async (kind, command) => {
      const { router } = instance.slipway
      const w = await workload(
        `fallback-${kind === 'exits on SIGTERM' ? 'exits' : 'ignores'}`,
        'slipway-test/app:a',
        command,
      )
      value(await router.invoke('workloads.deploy', { workloadId: w.id }))
      const [before] = runningContainers(w.id)
      expect(before).toBeDefined()

      const volume = dataSource(w.services[0]?.volumes[0])
      value(
        await router.invoke('workloads.update', {
          workloadId: w.id,
          name: w.name,
          snapshotBeforeDeploy: true,
          services: [service('slipway-test/app:b', ['sh', '-c', 'exit 3'], volume)],
        }),
      )
      const failed = await router.invoke('workloads.redeploy', { workloadId: w.id })
      expect(failed).toMatchObject({ ok: false, error: { code: 'DEPLOY_FAILED', details: { reason: 'start_failed' } } })
      // The very container that ran before runs again, and nothing else is left.
      expect(runningContainers(w.id)).toEqual([before])
      expect(allContainers(w.id)).toHaveLength(1)
      const [record] = value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: w.id }))
      expect(record).toMatchObject({ status: 'failure', errorCode: 'start_failed', preDeploySnapshot: 'taken' })
      expect(instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    },
  )
})
