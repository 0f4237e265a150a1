/**
 * Real apps on the real engine: several services on their own network reaching each other by
 * name (checked from inside the containers with busybox's wget), started in dependency order with
 * healthchecks waited on, over the SSH link; a deploy that never gets healthy leaves the previous
 * version running with its networks and aliases; bad specs refused before anything exists.
 * Traffic only ever goes between this test's containers, on networks this test made.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/errors'
import type { DeployRecord, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker } from '../helpers/images'
import { addTrustedSshHost } from '../helpers/sshHostFixture'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()
type ServiceInput = InputOf<'workloads.create'>['services'][number]

interface Inspected {
  Id: string
  Name: string
  Config: {
    User: string
    Env: string[] | null
    Healthcheck?: unknown
    Entrypoint: string[] | null
    Cmd: string[] | null
  }
  HostConfig: { Memory: number; NetworkMode: string }
  State: { Running: boolean; StartedAt: string; Health?: { Status: string; Log: { End: string; ExitCode: number }[] } }
  NetworkSettings: {
    Networks: Record<string, { Aliases: string[] | null; IPAMConfig: { IPv4Address?: string } | null }>
  }
  Mounts: { Type: string; Name?: string; Source: string; Destination: string }[]
}

function inspect(id: string): Inspected {
  return (JSON.parse(docker('inspect', id)) as Inspected[])[0] as Inspected
}

function containersOf(workloadId: string): Map<string, Inspected> {
  const ids = docker('ps', '-aq', '--no-trunc', '--filter', `label=io.slipway.workload=${workloadId}`)
  const out = new Map<string, Inspected>()
  for (const id of ids.split('\n').filter(Boolean)) {
    const info = inspect(id)
    out.set(
      (JSON.parse(docker('inspect', '--format', '{{json .Config.Labels}}', id)) as Record<string, string>)[
        'io.slipway.service'
      ] ?? '',
      info,
    )
  }
  return out
}

/** What a service answers over the network, fetched from inside another container by service name. */
function fetchFrom(container: string, url: string): string {
  return docker('exec', container, 'wget', '-qO-', url)
}

const sh = (script: string): Pick<ServiceInput, 'entrypoint' | 'command'> => ({
  entrypoint: ['/bin/sh', '-c'],
  command: [`trap 'exit 0' TERM; ${script}`],
})

/** A tiny web server answering `body` on `port` (busybox httpd), as user `user` when given. */
function server(name: string, port: number, body: string, extra: Partial<ServiceInput> = {}): ServiceInput {
  return {
    name,
    image: env.image,
    ...sh(
      `mkdir -p /tmp/www && echo ${body} > /tmp/www/index.html && (httpd -f -p ${port} -h /tmp/www &) ; sleep 3600 & wait`,
    ),
    env: [],
    ports: [],
    volumes: [],
    restart: 'no',
    ...extra,
  }
}

function threeTier(
  hostId: string,
  name: string,
  dbCheck: string[] = ['CMD-SHELL', 'test -f /tmp/ready'],
): InputOf<'workloads.create'> {
  return {
    hostId,
    name,
    snapshotBeforeDeploy: false,
    services: [
      server('web', 8000, 'web-ok', { dependsOn: [{ service: 'api', condition: 'service_started' }] }),
      server('api', 8080, 'api-ok', { dependsOn: [{ service: 'db', condition: 'service_healthy' }] }),
      {
        ...server('db', 5432, 'db-ok', { user: '1000:1000', memLimitBytes: 64 * 1024 * 1024 }),
        // Ready only after a second: api must wait for it, not merely for its start.
        ...sh(
          'mkdir -p /tmp/www && echo db-ok > /tmp/www/index.html && (httpd -f -p 5432 -h /tmp/www &) && sleep 1 && touch /tmp/ready; sleep 3600 & wait',
        ),
        healthcheck: { test: dbCheck, intervalMs: 500, timeoutMs: 1000, retries: 2 },
      },
    ],
  }
}

async function fails(result: Promise<Envelope<unknown>>): Promise<{ code: string; details?: Record<string, unknown> }> {
  const outcome = await result
  if (outcome.ok) throw new Error('expected a failure')
  return outcome.error
}

let instance: Instance

/** Names unique to this run: other test files run beside this one on the same engine. */
const run = Date.now().toString(36)
const named = (name: string): string => `${name}-${run}`

beforeAll(async () => {
  instance = await startInstance({ dockerHost: env.dockerHost, tuning: { deployMaxHealthWaitMs: 20_000 } })
})

afterAll(async () => {
  // Whatever a failed test left: its workloads (containers, networks) go through Slipway itself.
  const { router } = instance.slipway
  for (const host of value<{ id: string }[]>(await router.invoke('hosts.list', {}))) {
    const listed = await router.invoke('workloads.list', { hostId: host.id })
    for (const w of listed.ok ? (listed.value as { id: string }[]) : [])
      await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false })
  }
  await instance.close()
})

describe('services of one workload on the real engine', () => {
  it('deploys web → api → db over SSH on its own network, by name, in dependency order; a version that never gets healthy leaves the running one intact', async () => {
    const { router } = instance.slipway
    const host = await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub })
    const w = value<WorkloadDetail>(await router.invoke('workloads.create', threeTier(host.id, named('tiers'))))
    value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: w.id }))

    const first = containersOf(w.id)
    const [web, api, db] = (['web', 'api', 'db'] as const).map((s) => first.get(s) as Inspected)
    if (web === undefined || api === undefined || db === undefined) throw new Error('a service has no container')
    // One network, Slipway's own default one, and each service answers to its name on it.
    for (const [service, c] of first) {
      expect(Object.keys(c.NetworkSettings.Networks)).toEqual([`${named('tiers')}_default`])
      expect(c.NetworkSettings.Networks[`${named('tiers')}_default`]?.Aliases).toContain(service)
    }
    expect(
      docker('network', 'inspect', '--format', '{{index .Labels "io.slipway.workload"}}', `${named('tiers')}_default`),
    ).toBe(w.id)
    expect(fetchFrom(web.Id, 'http://api:8080/')).toBe('api-ok')
    expect(fetchFrom(api.Id, 'http://db:5432/')).toBe('db-ok')
    // db runs as its user, inside its limit.
    expect(docker('exec', db.Id, 'id', '-u')).toBe('1000')
    expect(db.HostConfig.Memory).toBe(64 * 1024 * 1024)
    // Start order: db, then api only once db was healthy, then web.
    const started = (c: Inspected): number => Date.parse(c.State.StartedAt)
    const healthyAt = Date.parse(db.State.Health?.Log.find((l) => l.ExitCode === 0)?.End ?? '')
    expect(started(db)).toBeLessThan(started(api))
    expect(healthyAt).toBeLessThanOrEqual(started(api))
    expect(started(api)).toBeLessThanOrEqual(started(web))

    // v2: db's healthcheck never passes. The deploy fails naming db; v1 runs on as it was.
    const { hostId: _hostId, ...broken } = threeTier(host.id, named('tiers'), ['CMD-SHELL', 'exit 1'])
    value(await router.invoke('workloads.update', { workloadId: w.id, ...broken }))
    const failure = await fails(router.invoke('workloads.redeploy', { workloadId: w.id }))
    expect(failure).toMatchObject({ code: 'DEPLOY_FAILED', details: { reason: 'unhealthy', service: 'db' } })
    expect(value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: w.id }))[0]).toMatchObject({
      status: 'failure',
      errorCode: 'unhealthy',
      errorService: 'db',
    })
    const after = containersOf(w.id)
    expect([...after.keys()].sort()).toEqual(['api', 'db', 'web'])
    for (const [service, c] of after) {
      const before = first.get(service)
      expect(c.Id).toBe(before?.Id)
      expect(c.State.Running).toBe(true)
      expect(c.NetworkSettings.Networks).toEqual(
        Object.fromEntries(
          Object.entries(before?.NetworkSettings.Networks ?? {}).map(([n, e]) => [
            n,
            expect.objectContaining({ Aliases: e.Aliases }),
          ]),
        ),
      )
    }
    expect(fetchFrom(web.Id, 'http://api:8080/')).toBe('api-ok')
    expect(fetchFrom(api.Id, 'http://db:5432/')).toBe('db-ok')

    // Deleting the workload removes the network Slipway made for it.
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
    expect(() => docker('network', 'inspect', `${named('tiers')}_default`)).toThrow()
  })

  it('waits for a one-shot service to complete before starting the one that needs it, and fails naming it when it exits with an error', async () => {
    const { router } = instance.slipway
    const spec = (exitCode: number): InputOf<'workloads.create'> => ({
      hostId: 'local',
      name: named('jobs'),
      snapshotBeforeDeploy: false,
      services: [
        server('app', 8000, 'app-ok', {
          dependsOn: [{ service: 'migrate', condition: 'service_completed_successfully' }],
        }),
        { ...server('migrate', 1, 'x'), ...sh(`sleep 1; exit ${exitCode}`) },
      ],
    })
    const w = value<WorkloadDetail>(await router.invoke('workloads.create', spec(0)))
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    const c = containersOf(w.id)
    const migrate = c.get('migrate') as Inspected
    const app = c.get('app') as Inspected
    expect(migrate.State.Running).toBe(false)
    expect(app.State.Running).toBe(true)
    expect(Date.parse(app.State.StartedAt)).toBeGreaterThanOrEqual(
      Date.parse((inspect(migrate.Id).State as { FinishedAt?: string }).FinishedAt ?? ''),
    )
    // A migration that ran to its end is done, not down.
    expect(value<WorkloadDetail>(await router.invoke('workloads.get', { workloadId: w.id })).state).toBe('running')

    const { hostId: _h, ...failing } = spec(3)
    value(await router.invoke('workloads.update', { workloadId: w.id, ...failing }))
    expect(await fails(router.invoke('workloads.redeploy', { workloadId: w.id }))).toMatchObject({
      details: { reason: 'dependency_failed', service: 'migrate' },
    })
    expect(containersOf(w.id).get('app')?.Id).toBe(app.Id)
    expect(inspect(app.Id).State.Running).toBe(true)
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
  })

  it('refuses bad specs with BAD_INPUT naming the field, before anything is created', async () => {
    const { router } = instance.slipway
    const base = threeTier('local', named('bad'))
    const cases: { spec: InputOf<'workloads.create'>; field: string }[] = [
      {
        // db → web → api → db
        spec: {
          ...base,
          services: base.services.map((s) => (s.name === 'db' ? { ...s, dependsOn: [{ service: 'web' }] } : s)),
        },
        field: 'services.0.dependsOn',
      },
      {
        spec: {
          ...base,
          services: base.services.map((s) => (s.name === 'web' ? { ...s, networkMode: 'service:cache' } : s)),
        },
        field: 'services.0.networkMode',
      },
      {
        spec: {
          ...base,
          services: base.services.map((s) =>
            s.name === 'web'
              ? {
                  ...s,
                  ports: [
                    {
                      containerPort: 80,
                      containerPortEnd: 82,
                      hostPort: 8000,
                      hostPortEnd: 8001,
                      hostIp: null,
                      protocol: 'tcp' as const,
                    },
                  ],
                }
              : s,
          ),
        },
        field: 'services.0.ports.0.hostPortEnd',
      },
      {
        spec: {
          ...base,
          services: base.services.map((s) => (s.name === 'web' ? { ...s, networks: [{ network: 'nowhere' }] } : s)),
        },
        field: 'services.0.networks.0.network',
      },
    ]
    for (const { spec, field } of cases) {
      expect(await fails(router.invoke('workloads.create', spec))).toMatchObject({
        code: 'BAD_INPUT',
        details: { field },
      })
    }
    expect(value<unknown[]>(await router.invoke('workloads.list', { hostId: 'local' })).length).toBe(0)

    // An external network that does not exist: refused at deploy, before a record or a container.
    const external = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        ...base,
        networks: [{ name: named('shared'), external: true }],
        services: base.services.map((s) => ({ ...s, networks: [{ network: named('shared') }] })),
      }),
    )
    expect(await fails(router.invoke('workloads.deploy', { workloadId: external.id }))).toMatchObject({
      code: 'BAD_INPUT',
      details: { field: 'networks.0.name', reason: 'external_missing' },
    })
    expect(value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: external.id }))).toEqual([])
    expect(containersOf(external.id).size).toBe(0)
    expect(() => docker('network', 'inspect', `${named('bad')}_default`)).toThrow()
    value(await router.invoke('workloads.delete', { workloadId: external.id, keepVolumes: false }))
  })

  it('reads env files at deploy (environment wins over them), and refuses a missing required one before anything is created', async () => {
    const { router } = instance.slipway
    const dir = tempDir()
    const file = join(dir, 'app.env')
    writeFileSync(file, '# settings\nexport GREETING="hello\\nworld"\nMODE=file\nQUOTED=\'a # b\'\n')
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: named('envfiles'),
        snapshotBeforeDeploy: false,
        services: [
          {
            ...server('app', 8000, 'x'),
            env: [{ name: 'MODE', value: 'env', secret: false }],
            envFiles: [{ path: file }, { path: join(dir, 'optional.env'), required: false }],
          },
        ],
      }),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    const envOf = containersOf(w.id).get('app')?.Config.Env ?? []
    expect(envOf).toEqual(expect.arrayContaining(['GREETING=hello\nworld', 'QUOTED=a # b', 'MODE=env']))
    expect(envOf).not.toContain('MODE=file')

    const before = containersOf(w.id).get('app')?.Id
    value(
      await router.invoke('workloads.update', {
        workloadId: w.id,
        name: named('envfiles'),
        snapshotBeforeDeploy: false,
        services: [{ ...server('app', 8000, 'x'), envFiles: [{ path: join(dir, 'gone.env') }] }],
      }),
    )
    expect(await fails(router.invoke('workloads.redeploy', { workloadId: w.id }))).toMatchObject({
      code: 'BAD_INPUT',
      details: { field: 'services.0.envFiles.0.path', reason: 'env_file_missing' },
    })
    expect(value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: w.id }))).toHaveLength(1)
    expect(containersOf(w.id).get('app')?.Id).toBe(before)
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
  })

  it('never captures a tmpfs mount: a snapshot holds the named volume only', async () => {
    const { router } = instance.slipway
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: named('scratch'),
        snapshotBeforeDeploy: false,
        services: [
          {
            ...server('app', 8000, 'x'),
            ...sh('echo kept > /data/file; echo gone > /scratch/file; sleep 3600 & wait'),
            volumes: [
              { kind: 'volume', source: `scratch-data-${Date.now()}`, target: '/data' },
              { kind: 'tmpfs', target: '/scratch', sizeBytes: 8 * 1024 * 1024, mode: 0o1777 },
            ],
          },
        ],
      }),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    const app = containersOf(w.id).get('app') as Inspected
    expect(docker('exec', app.Id, 'cat', '/scratch/file')).toBe('gone')
    const snapshot = value<{ volumes: { mounts: { target: string }[] }[] }>(
      await router.invoke('snapshots.capture', { workloadId: w.id, mode: 'stop', label: null }),
    )
    expect(snapshot.volumes.map((v) => v.mounts.map((m) => m.target))).toEqual([['/data']])
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
  })
})
