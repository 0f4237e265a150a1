import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../src/shared/errors'
import type { DeployRecord, LogLine, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { PrivateSshd } from '../helpers/sshd'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

function value<T>(result: Envelope<unknown>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

const spec = (hostId: string, name: string, image: string, command: string[] | null = null) => ({
  hostId,
  name,
  snapshotBeforeDeploy: true,
  services: [{ name: 'app', image, command, env: [], ports: [], volumes: [], restart: 'no' as const }],
})

describe('the dispatch point', () => {
  let instance: Instance
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    importedImage('slipway-test/app:b', 'B')
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it('takes the pre-deploy snapshot before new containers start, and deploys anyway when it fails', async () => {
    const { router, dispatcher } = instance.slipway
    const seen: { workload: string; containersRunning: number }[] = []
    let fail = false
    dispatcher.setPreDeployHook({
      snapshot: async (workload) => {
        seen.push({
          workload: workload.id,
          containersRunning: docker('ps', '-q', '--filter', `label=io.slipway.workload=${workload.id}`)
            .split('\n')
            .filter(Boolean).length,
        })
        if (fail) throw new Error('disk full')
        return { snapshotId: `snap-${seen.length}` }
      },
    })
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', spec('local', 'hooked', 'slipway-test/app:a')),
    )
    const first = value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: w.id }))
    expect(first).toMatchObject({ status: 'success', preDeploySnapshot: 'taken', snapshotId: 'snap-1' })
    fail = true
    const second = value<DeployRecord>(await router.invoke('workloads.redeploy', { workloadId: w.id }))
    expect(second).toMatchObject({ status: 'success', preDeploySnapshot: 'failed', snapshotId: null })
    // The second snapshot saw the old container still running: it ran before the switch.
    expect(seen.map((s) => s.containersRunning)).toEqual([0, 1])
  })

  it('streams logs while subscribed and stops when unsubscribed', async () => {
    const { router } = instance.slipway
    const w = value<WorkloadDetail>(
      await router.invoke(
        'workloads.create',
        spec('local', 'talker', 'slipway-test/app:a', [
          '/bin/sh',
          '-c',
          "trap 'exit 0' TERM; i=0; while true; do echo tick $i; echo oops $i >&2; i=$((i+1)); sleep 0.2; done",
        ]),
      ),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    const lines: LogLine[] = []
    const sub = router.subscribe('workloads.logs', { workloadId: w.id, tail: 5 }, (line) => lines.push(line as LogLine))
    expect(sub.ok).toBe(true)
    const deadline = Date.now() + 10_000
    while (lines.filter((l) => l.stream === 'stderr').length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100))
    expect(lines.some((l) => l.stream === 'stdout' && /^tick \d+$/.test(l.text) && l.service === 'app')).toBe(true)
    expect(lines.some((l) => l.stream === 'stderr' && /^oops \d+$/.test(l.text))).toBe(true)
    if (sub.ok) sub.value()
    await new Promise((r) => setTimeout(r, 300))
    const count = lines.length
    await new Promise((r) => setTimeout(r, 800))
    expect(lines.length).toBe(count)
  })

  it('keeps the newest N history rows per workload, N from the settings', async () => {
    const { router } = instance.slipway
    value(await router.invoke('settings.update', { deployHistoryLimit: 3 }))
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        ...spec('local', 'pruned', 'slipway-test/app:a'),
        snapshotBeforeDeploy: false,
      }),
    )
    const ids: string[] = []
    for (let i = 0; i < 5; i++)
      ids.push(value<DeployRecord>(await router.invoke('workloads.redeploy', { workloadId: w.id })).id)
    const history = value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: w.id }))
    expect(history.map((h) => h.id)).toEqual(ids.slice(2).reverse())
    expect(
      instance.slipway.db
        .prepare(
          'SELECT COUNT(*) AS n FROM deployment_pins p JOIN deployments d ON d.id = p.deployment_id WHERE d.workload_id = ?',
        )
        .get(w.id),
    ).toEqual({ n: 3 })
    value(await router.invoke('settings.update', { deployHistoryLimit: 50 }))
  })

  it('a delete waits for a deploy in progress on the same workload', async () => {
    const { router } = instance.slipway
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', spec('local', 'ordered', 'slipway-test/app:a')),
    )
    const order: string[] = []
    const deploy = router.invoke('workloads.deploy', { workloadId: w.id }).then((r) => order.push(`deploy:${r.ok}`))
    const remove = router
      .invoke('workloads.delete', { workloadId: w.id, keepVolumes: true })
      .then((r) => order.push(`delete:${r.ok}`))
    await Promise.all([deploy, remove])
    expect(order).toEqual(['deploy:true', 'delete:true'])
    expect(docker('ps', '-aq', '--filter', `label=io.slipway.workload=${w.id}`)).toBe('')
  })
})

describe('deploy and rollback on an SSH host', () => {
  it('runs the same dispatch through the SSH connection', async () => {
    const sshd = await PrivateSshd.start()
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const { router } = instance.slipway
    try {
      const host = await addTrustedSshHost(instance, sshd)
      const imageA = importedImage('slipway-test/app:a', 'A')
      const imageB = importedImage('slipway-test/app:b', 'B')
      const w = value<WorkloadDetail>(
        await router.invoke('workloads.create', {
          ...spec(host.id, 'remote-app', 'slipway-test/app:a'),
          snapshotBeforeDeploy: false,
        }),
      )
      const a = value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: w.id }))
      const { hostId: _h, ...fieldsB } = {
        ...spec(host.id, 'remote-app', 'slipway-test/app:b'),
        snapshotBeforeDeploy: false,
      }
      value(await router.invoke('workloads.update', { workloadId: w.id, ...fieldsB }))
      value(await router.invoke('workloads.deploy', { workloadId: w.id }))
      const running = () =>
        docker('ps', '--no-trunc', '--filter', `label=io.slipway.workload=${w.id}`, '--format', '{{.Image}}')
      expect(
        docker(
          'inspect',
          '--format',
          '{{.Image}}',
          docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`),
        ),
      ).toBe(imageB)
      value(await router.invoke('workloads.rollback', { workloadId: w.id, deploymentId: a.id }))
      expect(
        docker(
          'inspect',
          '--format',
          '{{.Image}}',
          docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`),
        ),
      ).toBe(imageA)
      expect(running().split('\n')).toHaveLength(1)
      const history = value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: w.id }))
      expect(history.map((h) => `${h.reason}:${h.status}`).reverse()).toEqual([
        'deploy:success',
        'deploy:success',
        'rollback:success',
      ])
      value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: true }))
    } finally {
      await instance.close()
      await sshd.close()
    }
  })
})
