import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/errors'
import type { DeployRecord, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()

function value<T>(result: Envelope<unknown>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

interface Running {
  id: string
  image: string
  state: string
  labels: Record<string, string>
  env: string[]
  mounts: { Type: string; Source: string; Destination: string; Name?: string }[]
}

function containersOf(workloadId: string): Running[] {
  const ids = docker('ps', '-aq', '--no-trunc', '--filter', `label=io.slipway.workload=${workloadId}`)
    .split('\n')
    .filter(Boolean)
  // A container listed a moment ago may be gone by the time it is inspected (a deploy removed it).
  return ids.flatMap((id) => {
    let raw: string
    try {
      raw = docker('inspect', id)
    } catch {
      return []
    }
    const info = JSON.parse(raw) as [
      {
        Id: string
        Image: string
        State: { Status: string }
        Config: { Labels: Record<string, string>; Env: string[] }
        Mounts: Running['mounts']
      },
    ]
    const c = info[0]
    return [
      {
        id: c.Id,
        image: c.Image,
        state: c.State.Status,
        labels: c.Config.Labels,
        env: c.Config.Env,
        mounts: c.Mounts,
      },
    ]
  })
}

describe('workloads on the real engine', () => {
  let instance: Instance
  let imageA: string
  let imageB: string
  const results: string[] = []
  const call = async (channel: string, input: unknown): Promise<Envelope<unknown>> => {
    const result = await instance.slipway.router.invoke(channel, input)
    results.push(JSON.stringify(result))
    return result
  }
  const spec = (name: string, image: string, extra: Partial<InputOf<'workloads.create'>['services'][number]> = {}) => ({
    hostId: 'local',
    name,
    snapshotBeforeDeploy: false,
    services: [
      { name: 'app', image, command: null, env: [], ports: [], volumes: [], restart: 'no' as const, ...extra },
    ],
  })

  beforeAll(async () => {
    imageA = importedImage('slipway-test/app:a', 'A')
    imageB = importedImage('slipway-test/app:b', 'B')
    instance = await startInstance({ dockerHost: env.dockerHost })
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it('deploys with the spec (env, mounts, labels), redeploys by replacing, one container per service', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    const volumeName = `slipway-test-vol-${Date.now()}`
    const created = value<WorkloadDetail>(
      await call(
        'workloads.create',
        spec('spec-check', 'slipway-test/app:a', {
          env: [
            { name: 'PLAIN', value: 'visible', secret: false },
            { name: 'TOKEN', value: 'tok-3141592653', secret: true },
          ],
          volumes: [
            { kind: 'bind', source: join(dir, 'data'), target: '/data', readOnly: false, excludeFromSnapshots: false },
            { kind: 'volume', source: volumeName, target: '/cache', readOnly: false, excludeFromSnapshots: false },
          ],
        }),
      ),
    )
    expect(created.state).toBe('missing')
    const first = value<DeployRecord>(await call('workloads.deploy', { workloadId: created.id }))
    expect(first).toMatchObject({
      status: 'success',
      reason: 'deploy',
      pins: [{ service: 'app', imageRef: 'slipway-test/app:a', imageId: imageA }],
    })
    const [c] = containersOf(created.id)
    expect(containersOf(created.id)).toHaveLength(1)
    expect(c?.state).toBe('running')
    expect(c?.image).toBe(imageA)
    expect(c?.labels).toMatchObject({
      'io.slipway.workload': created.id,
      'io.slipway.service': 'app',
      'io.slipway.deploy': first.id,
    })
    expect(c?.env).toEqual(expect.arrayContaining(['PLAIN=visible', 'TOKEN=tok-3141592653']))
    expect(c?.mounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Type: 'bind', Source: join(dir, 'data'), Destination: '/data' }),
        expect.objectContaining({ Type: 'volume', Name: volumeName, Destination: '/cache' }),
      ]),
    )
    expect(docker('inspect', '--format', '{{.Name}}', c?.id ?? '')).toBe('/spec-check-app')

    const second = value<DeployRecord>(await call('workloads.redeploy', { workloadId: created.id }))
    expect(second.reason).toBe('redeploy')
    const after = containersOf(created.id)
    expect(after).toHaveLength(1)
    expect(after[0]?.id).not.toBe(c?.id)
    expect(after[0]?.state).toBe('running')
    expect(value<WorkloadDetail>(await call('workloads.get', { workloadId: created.id })).state).toBe('running')

    // The secret never sits in SQLite in clear.
    await instance.slipway.router.invoke('app.info', {})
    for (const file of readdirSync(instance.dataDir).filter((f) => f.startsWith('slipway.db'))) {
      expect(readFileSync(join(instance.dataDir, file)).includes('tok-3141592653')).toBe(false)
    }

    value(await call('workloads.delete', { workloadId: created.id, keepVolumes: false }))
    expect(containersOf(created.id)).toEqual([])
    expect(() => docker('volume', 'inspect', volumeName)).toThrow()
  })

  it('a failed deploy (image not on the host, no registry) records a generic failure and leaves the old container running', async () => {
    const w = value<WorkloadDetail>(await call('workloads.create', spec('keeps-running', 'slipway-test/app:a')))
    value(await call('workloads.deploy', { workloadId: w.id }))
    const [before] = containersOf(w.id)
    const { hostId: _hostId, ...fields } = spec('keeps-running', 'slipway-test/absent:never')
    value(await call('workloads.update', { workloadId: w.id, ...fields }))
    const failed = await call('workloads.deploy', { workloadId: w.id })
    expect(failed).toMatchObject({
      ok: false,
      error: {
        code: 'DEPLOY_FAILED',
        details: { reason: expect.stringMatching(/image_missing|pull_failed/) as unknown },
      },
    })
    const history = value<DeployRecord[]>(await call('workloads.history', { workloadId: w.id }))
    expect(history.map((h) => [h.reason, h.status])).toEqual([
      ['deploy', 'failure'],
      ['deploy', 'success'],
    ])
    expect(history[0]?.errorCode).toMatch(/image_missing|pull_failed/)
    const [after] = containersOf(w.id)
    expect(containersOf(w.id)).toHaveLength(1)
    expect(after).toMatchObject({ id: before?.id, state: 'running', image: imageA })
  })

  it('rolls back to a prior successful deploy by its pinned image id', async () => {
    const w = value<WorkloadDetail>(await call('workloads.create', spec('roller', 'slipway-test/app:a')))
    const a = value<DeployRecord>(await call('workloads.deploy', { workloadId: w.id }))
    const { hostId: _h, ...fieldsB } = spec('roller', 'slipway-test/app:b')
    value(await call('workloads.update', { workloadId: w.id, ...fieldsB }))
    value(await call('workloads.deploy', { workloadId: w.id }))
    expect(containersOf(w.id)[0]?.image).toBe(imageB)
    const back = value<DeployRecord>(await call('workloads.rollback', { workloadId: w.id, deploymentId: a.id }))
    expect(back).toMatchObject({
      reason: 'rollback',
      status: 'success',
      pins: [{ imageRef: 'slipway-test/app:a', imageId: imageA }],
    })
    expect(containersOf(w.id).map((c) => [c.image, c.state])).toEqual([[imageA, 'running']])
    expect(docker('exec', containersOf(w.id)[0]?.id ?? '', 'cat', '/version')).toBe('A')
    const history = value<DeployRecord[]>(await call('workloads.history', { workloadId: w.id }))
    expect(history.map((h) => h.reason).reverse()).toEqual(['deploy', 'deploy', 'rollback'])
  })

  it('refuses a rollback whose pinned image is gone from the host', async () => {
    const tag = `slipway-test/app:gone-${Date.now()}`
    importedImage(tag, 'gone')
    const w = value<WorkloadDetail>(await call('workloads.create', spec('gone', tag)))
    const first = value<DeployRecord>(await call('workloads.deploy', { workloadId: w.id }))
    const { hostId: _h, ...fieldsA } = spec('gone', 'slipway-test/app:a')
    value(await call('workloads.update', { workloadId: w.id, ...fieldsA }))
    value(await call('workloads.deploy', { workloadId: w.id }))
    docker('rmi', tag)
    expect(await call('workloads.rollback', { workloadId: w.id, deploymentId: first.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'image_gone' } },
    })
    expect(containersOf(w.id).map((c) => [c.image, c.state])).toEqual([[imageA, 'running']])
  })

  it('serializes 20 concurrent deploys and rollbacks of one workload while two others deploy in parallel', async () => {
    const w = value<WorkloadDetail>(await call('workloads.create', spec('busy', 'slipway-test/app:a')))
    const base = value<DeployRecord>(await call('workloads.deploy', { workloadId: w.id }))
    const others = await Promise.all(
      ['side-one', 'side-two'].map(async (name) =>
        value<WorkloadDetail>(await call('workloads.create', spec(name, 'slipway-test/app:b'))),
      ),
    )
    const sampling = { on: true }
    const maxRunning: number[] = []
    const sampler = (async () => {
      while (sampling.on) {
        maxRunning.push(containersOf(w.id).filter((c) => c.state === 'running').length)
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? call('workloads.redeploy', { workloadId: w.id })
        : call('workloads.rollback', { workloadId: w.id, deploymentId: base.id }),
    )
    const sides = others.map((o) => call('workloads.deploy', { workloadId: o.id }))
    const outcomes = await Promise.all([...calls, ...sides])
    sampling.on = false
    await sampler
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(Math.max(...maxRunning)).toBeLessThanOrEqual(1)

    const rows = value<DeployRecord[]>(await call('workloads.history', { workloadId: w.id })).filter(
      (r) => r.id !== base.id,
    )
    expect(rows).toHaveLength(20)
    const spans = rows
      .map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt ?? '')] as const)
      .sort((a, b) => a[0] - b[0])
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? Infinity)
    const [running] = containersOf(w.id)
    expect(containersOf(w.id)).toHaveLength(1)
    expect(running?.state).toBe('running')

    // The other workloads were not queued behind it: their deploys overlapped the busy one's.
    const busyWindow = [spans[0]?.[0] ?? 0, spans.at(-1)?.[1] ?? 0]
    for (const o of others) {
      const [row] = value<DeployRecord[]>(await call('workloads.history', { workloadId: o.id }))
      expect(row?.status).toBe('success')
      expect(Date.parse(row?.finishedAt ?? '')).toBeLessThan(busyWindow[1] ?? 0)
    }
  })

  it('adopts a standalone container and a two-service compose project, and redeploys them to equivalent containers', async () => {
    const stamp = Date.now()
    const dir = tempDir()
    docker(
      'run',
      '-d',
      '--network',
      'none',
      '--name',
      `lonely-${stamp}`,
      '-e',
      'MODE=solo',
      '-v',
      `${dir}:/data`,
      '--restart',
      'unless-stopped',
      'slipway-test/app:a',
    )
    const project = `proj${stamp}`
    for (const svc of ['db', 'web']) {
      docker(
        'run',
        '-d',
        '--network',
        'none',
        '--name',
        `${project}-${svc}-1`,
        '--label',
        `com.docker.compose.project=${project}`,
        '--label',
        `com.docker.compose.service=${svc}`,
        '-e',
        `ROLE=${svc}`,
        '-e',
        'DB_PASSWORD=pw-2718',
        '-v',
        `${project}_${svc}data:/var/lib/${svc}`,
        'slipway-test/app:b',
      )
    }
    const candidates = value<{ kind: string; key: string; containers: unknown[] }[]>(
      await call('workloads.candidates', { hostId: 'local' }),
    )
    const compose = candidates.find((c) => c.kind === 'compose' && c.key === project)
    expect(compose?.containers).toHaveLength(2)
    const lonelyId = docker('inspect', '--format', '{{.Id}}', `lonely-${stamp}`)
    expect(candidates.some((c) => c.kind === 'container' && c.key === lonelyId)).toBe(true)

    const solo = value<WorkloadDetail>(
      await call('workloads.adopt', { hostId: 'local', kind: 'container', key: lonelyId, name: 'solo' }),
    )
    expect(solo.services[0]).toMatchObject({
      image: 'slipway-test/app:a',
      env: [{ name: 'MODE', value: 'solo', secret: false }],
      volumes: [{ kind: 'bind', source: dir, target: '/data' }],
      restart: 'unless-stopped',
    })
    expect(() => docker('inspect', lonelyId)).toThrow()
    const [soloContainer] = containersOf(solo.id)
    expect(soloContainer?.env).toContain('MODE=solo')
    expect(soloContainer?.state).toBe('running')

    const group = value<WorkloadDetail>(
      await call('workloads.adopt', { hostId: 'local', kind: 'compose', key: project, name: 'group' }),
    )
    expect(group.services.map((s) => s.name)).toEqual(['db', 'web'])
    expect([...(group.services[0]?.env ?? [])].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'DB_PASSWORD', value: null, secret: true },
      { name: 'ROLE', value: 'db', secret: false },
    ])
    expect(group.services[0]?.volumes).toEqual([
      {
        kind: 'volume',
        source: `${project}_dbdata`,
        target: '/var/lib/db',
        readOnly: false,
        excludeFromSnapshots: false,
        noCopy: false,
      },
    ])
    expect(group.services.map((s) => s.networkMode)).toEqual(['none', 'none'])
    value(await call('workloads.redeploy', { workloadId: group.id }))
    const redeployed = containersOf(group.id)
    expect(redeployed).toHaveLength(2)
    for (const c of redeployed) {
      expect(c.state).toBe('running')
      expect(c.image).toBe(imageB)
      expect(c.env).toContain('DB_PASSWORD=pw-2718')
    }
    const history = value<DeployRecord[]>(await call('workloads.history', { workloadId: group.id }))
    expect(history.map((h) => h.reason)).toEqual(['redeploy', 'adopt'])
  })

  it('deleting a workload removes its history and keeps its volumes unless asked', async () => {
    const volumeName = `slipway-keep-${Date.now()}`
    const w = value<WorkloadDetail>(
      await call(
        'workloads.create',
        spec('deleted', 'slipway-test/app:a', {
          volumes: [
            { kind: 'volume', source: volumeName, target: '/keep', readOnly: false, excludeFromSnapshots: false },
          ],
        }),
      ),
    )
    value(await call('workloads.deploy', { workloadId: w.id }))
    value(await call('workloads.delete', { workloadId: w.id, keepVolumes: true }))
    expect(
      instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM deployments WHERE workload_id = ?').get(w.id),
    ).toEqual({ n: 0 })
    expect(containersOf(w.id)).toEqual([])
    expect(docker('volume', 'inspect', '--format', '{{.Name}}', volumeName)).toBe(volumeName)
    docker('volume', 'rm', volumeName)
  })

  it('never stores or shows the secret when the deploy fails', async () => {
    const secret = `sk-${Date.now()}-secret`
    const w = value<WorkloadDetail>(
      await call(
        'workloads.create',
        spec('leaky', 'slipway-test/app:a', {
          // The container prints its env and fails at once: the secret is in the engine's hands.
          command: ['/bin/sh', '-c', 'env; exit 3'],
          env: [{ name: 'API_TOKEN', value: secret, secret: true }],
        }),
      ),
    )
    const failed = await call('workloads.deploy', { workloadId: w.id })
    expect(failed).toMatchObject({ ok: false, error: { code: 'DEPLOY_FAILED', details: { reason: 'start_failed' } } })
    expect(containersOf(w.id)).toEqual([])
    await instance.slipway.router.invoke('workloads.history', { workloadId: w.id })
    for (const file of readdirSync(instance.dataDir).filter((f) => f.startsWith('slipway.db'))) {
      expect(readFileSync(join(instance.dataDir, file)).includes(secret)).toBe(false)
    }
    expect(results.join('\n')).not.toContain(secret)
  })
})
