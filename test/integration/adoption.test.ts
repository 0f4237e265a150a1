/**
 * Adoption keeps an app working: a project Debian's docker-compose (v1) brought up is adopted and
 * redeployed with every setting as compose made it, its names still resolving and its data in
 * place; what Slipway cannot reproduce is listed before anything changes; and a spec using every
 * field reads back, from the containers Slipway deployed, as the very same spec.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src/shared/contract'
import type { AdoptionPreview, ServiceSpec, WorkloadDetail } from '../../src/shared/types/workloads'
import type { ContainerDetails } from '../../src/main/docker/engine'
import { readResources } from '../../src/main/workloads/adoption/readResources'
import { readServiceSpec } from '../../src/main/workloads/adoption/readServiceSpec'
import { docker } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()
const run = Date.now().toString(36)

function compose(dir: string, project: string, ...args: string[]): string {
  return execFileSync('docker-compose', ['-p', project, ...args], {
    cwd: dir,
    env: { ...process.env, DOCKER_HOST: env.dockerHost },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function inspect(id: string): ContainerDetails {
  return (JSON.parse(docker('inspect', id)) as ContainerDetails[])[0] as ContainerDetails
}

function containerOf(workloadId: string, service: string): ContainerDetails {
  const id = docker(
    'ps',
    '-q',
    '--no-trunc',
    '--filter',
    `label=io.slipway.workload=${workloadId}`,
    '--filter',
    `label=io.slipway.service=${service}`,
  )
  return inspect(id)
}

const shortId = (c: ContainerDetails): string => c.Id.slice(0, 12)

let instance: Instance

beforeAll(async () => {
  instance = await startInstance({ dockerHost: env.dockerHost })
})

afterAll(async () => {
  const { router } = instance.slipway
  const listed = await router.invoke('workloads.list', { hostId: 'local' })
  for (const w of listed.ok ? (listed.value as { id: string }[]) : [])
    await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false })
  await instance.close()
})

describe('adoption', () => {
  it('adopts a docker-compose project and redeploys it with the same user, healthcheck, limit, entrypoint, networks, aliases and data', async () => {
    const project = `adopt${run}`
    const dir = tempDir()
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      `version: "3.8"
services:
  db:
    image: ${env.image}
    entrypoint: ["/bin/sh", "-c"]
    command: ["trap 'exit 0' TERM; touch /tmp/ready; (httpd -f -p 5432 -h /data &); sleep 3600 & wait"]
    user: "1000:1000"
    mem_limit: 64m
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 1s
      timeout: 1s
      retries: 3
    volumes:
      - dbdata:/data
    networks:
      default:
        aliases: [database]
  web:
    image: ${env.image}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on:
      db:
        condition: service_healthy
volumes:
  dbdata:
`,
    )
    compose(dir, project, 'up', '-d')
    const before = { db: inspect(`${project}_db_1`), web: inspect(`${project}_web_1`) }
    docker('exec', '-u', '0', before.db.Id, 'sh', '-c', 'echo precious > /data/marker')
    const { router } = instance.slipway

    const preview = value<AdoptionPreview>(
      await router.invoke('workloads.adoptionPreview', { hostId: 'local', kind: 'compose', key: project }),
    )
    expect(preview.unsupported).toEqual([])
    expect(preview.services.find((s) => s.name === 'db')).toMatchObject({
      user: '1000:1000',
      memLimitBytes: 64 * 1024 * 1024,
      entrypoint: ['/bin/sh', '-c'],
      healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ready'], intervalMs: 1000, timeoutMs: 1000, retries: 3 },
      networks: [
        { network: `${project}_default`, aliases: expect.arrayContaining(['database', `${project}_db_1`]) as unknown },
      ],
      volumes: [{ kind: 'volume', source: `${project}_dbdata`, target: '/data' }],
    })
    expect(preview.networks).toMatchObject([{ name: `${project}_default`, external: false }])

    const w = value<WorkloadDetail>(
      await router.invoke('workloads.adopt', {
        hostId: 'local',
        kind: 'compose',
        key: project,
        name: `adopted-${run}`,
      }),
    )
    value(await router.invoke('workloads.redeploy', { workloadId: w.id }))
    const after = { db: containerOf(w.id, 'db'), web: containerOf(w.id, 'web') }
    expect(() => docker('inspect', before.db.Id)).toThrow()

    for (const service of ['db', 'web'] as const) {
      const [was, now] = [before[service], after[service]]
      expect(now.Config.User).toBe(was.Config.User)
      expect(now.Config.Entrypoint).toEqual(was.Config.Entrypoint)
      expect(now.Config.Cmd).toEqual(was.Config.Cmd)
      expect((now.Config as { Healthcheck?: unknown }).Healthcheck).toEqual(
        (was.Config as { Healthcheck?: unknown }).Healthcheck,
      )
      expect(now.HostConfig.Memory).toBe(was.HostConfig.Memory)
      expect(now.HostConfig.NetworkMode).toBe(was.HostConfig.NetworkMode)
      expect(Object.keys(now.NetworkSettings.Networks)).toEqual(Object.keys(was.NetworkSettings.Networks))
      for (const [network, endpoint] of Object.entries(was.NetworkSettings.Networks)) {
        // Every name it answered to, but the old container's own id, it answers to still.
        const aliases = ((endpoint.Aliases ?? []) as string[]).filter((a) => a !== shortId(was))
        expect(now.NetworkSettings.Networks[network]?.Aliases).toEqual(expect.arrayContaining(aliases))
      }
      expect(now.Mounts.map((m) => [m.Type, m.Name, m.Destination])).toEqual(
        was.Mounts.map((m) => [m.Type, m.Name, m.Destination]),
      )
    }
    // The same data, and the names resolve as before: the service, the alias, compose's container name.
    expect(docker('exec', after.db.Id, 'cat', '/data/marker')).toBe('precious')
    for (const name of ['db', 'database', `${project}_db_1`])
      expect(docker('exec', after.web.Id, 'wget', '-qO-', `http://${name}:5432/marker`)).toBe('precious')

    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
    expect(() => docker('network', 'inspect', `${project}_default`)).toThrow()
    expect(() => docker('volume', 'inspect', `${project}_dbdata`)).toThrow()
  })

  it('lists what it cannot reproduce before anything changes, and adopts only when the user goes on without it', async () => {
    const name = `odd-${run}`
    docker(
      'create',
      '--name',
      name,
      '--network',
      'none',
      '--oom-score-adj',
      '500',
      '--domainname',
      'example.lan',
      env.image,
      'sleep',
      '60',
    )
    const id = inspect(name).Id
    const { router } = instance.slipway
    const preview = value<AdoptionPreview>(
      await router.invoke('workloads.adoptionPreview', { hostId: 'local', kind: 'container', key: id }),
    )
    expect(preview.unsupported.map((u) => u.setting).sort()).toEqual(['Config.Domainname', 'HostConfig.OomScoreAdj'])
    expect(preview.unsupported.find((u) => u.setting === 'HostConfig.OomScoreAdj')?.value).toBe('500')

    const refused = await router.invoke('workloads.adopt', { hostId: 'local', kind: 'container', key: id, name })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'unsupported_settings', count: 2 } },
    })
    expect(inspect(id).Id).toBe(id)
    expect(value<unknown[]>(await router.invoke('workloads.list', { hostId: 'local' }))).toEqual([])

    const w = value<WorkloadDetail>(
      await router.invoke('workloads.adopt', {
        hostId: 'local',
        kind: 'container',
        key: id,
        name,
        acknowledgeUnsupported: true,
      }),
    )
    expect(containerOf(w.id, w.services[0]?.name ?? '').HostConfig.OomScoreAdj).toBe(0)
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
  })

  it('reads a spec using every field back from the containers Slipway deployed, exactly', async () => {
    const { router } = instance.slipway
    const hostDir = tempDir()
    mkdirSync(join(hostDir, 'conf'))
    const front = `rt-${run}_front`
    const back = `rt-${run}_back`
    const core: InputOf<'workloads.create'>['services'][number] = {
      name: 'core',
      image: env.image,
      entrypoint: ['/bin/sh', '-c'],
      command: ["trap 'exit 0' TERM INT; sleep 3600 & wait"],
      workingDir: '/etc',
      user: '1000:1000',
      hostname: 'core-host',
      labels: { 'app.tier': 'core' },
      env: [{ name: 'A', value: '1', secret: false }],
      healthcheck: { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 2000, startPeriodMs: 1000, retries: 2 },
      networks: [
        { network: front, aliases: ['core-alias'], ipv4Address: '172.30.77.10' },
        { network: back, aliases: [] },
      ],
      extraHosts: [{ host: 'printer.lan', ip: '10.1.2.3' }],
      dns: ['10.0.0.53'],
      dnsSearch: ['lan'],
      dnsOpt: ['ndots:2'],
      ports: [
        {
          containerPort: 8080,
          containerPortEnd: 8081,
          hostPort: 41080,
          hostPortEnd: 41081,
          hostIp: '127.0.0.1',
          protocol: 'tcp',
        },
        { containerPort: 5353, hostPort: null, protocol: 'udp' },
      ],
      expose: ['9000-9001', '7000/udp'],
      volumes: [
        {
          kind: 'bind',
          source: join(hostDir, 'conf'),
          target: '/conf',
          readOnly: true,
          createHostPath: true,
          propagation: 'private',
        },
        { kind: 'bind', source: hostDir, target: '/host' },
        { kind: 'volume', source: `rt-${run}_data`, target: '/data', noCopy: true },
        { kind: 'tmpfs', target: '/tmp', sizeBytes: 16 * 1024 * 1024, mode: 0o1777 },
      ],
      capAdd: ['NET_ADMIN'],
      capDrop: ['MKNOD'],
      securityOpt: ['no-new-privileges:true'],
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
      groupAdd: ['4242'],
      memLimitBytes: 64 * 1024 * 1024,
      memReservationBytes: 32 * 1024 * 1024,
      cpus: 0.5,
      cpuShares: 512,
      cpuset: '0',
      pidsLimit: 100,
      shmSizeBytes: 32 * 1024 * 1024,
      ipc: 'shareable',
      init: true,
      stopSignal: 'SIGINT',
      stopGracePeriodMs: 5000,
      restart: 'on-failure',
      restartMaxRetries: 3,
      logging: { driver: 'json-file', options: { 'max-size': '1m' } },
      tty: true,
      stdinOpen: true,
      readOnly: true,
    }
    const side: InputOf<'workloads.create'>['services'][number] = {
      name: 'side',
      image: env.image,
      command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
      env: [{ name: 'DB_PASSWORD', value: 's3cret', secret: true }],
      dependsOn: [{ service: 'core', condition: 'service_healthy' }],
      networkMode: 'service:core',
      pid: 'service:core',
      ipc: 'service:core',
      // (`privileged` is left to the unit tests: this machine's engine may not grant every capability.)
      devices: [{ source: '/dev/null', target: '/dev/mynull', permissions: 'rw' }],
      ports: [],
      volumes: [],
      stopGracePeriodMs: 3000,
      restart: 'unless-stopped',
    }
    const solo: InputOf<'workloads.create'>['services'][number] = {
      name: 'solo',
      image: env.image,
      command: ['sleep', '3600'],
      env: [],
      healthcheck: { test: ['NONE'] },
      networkMode: 'none',
      ports: [],
      volumes: [],
      stopSignal: 'SIGKILL',
      logging: { driver: 'none', options: {} },
      restart: 'always',
    }
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: `rt-${run}`,
        snapshotBeforeDeploy: false,
        networks: [
          {
            name: front,
            ipam: { config: [{ subnet: '172.30.77.0/24', gateway: '172.30.77.1' }] },
            labels: { tier: 'front' },
          },
          { name: back, internal: true, driverOpts: { 'com.docker.network.driver.mtu': '1400' } },
        ],
        volumes: [{ name: `rt-${run}_data`, labels: { backup: 'yes' } }],
        services: [core, side, solo],
      }),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))

    const inspector = instance.slipway.engines.engine('local').inspector
    const containers = new Map(w.services.map((s) => [s.name, containerOf(w.id, s.name)]))
    const info = await inspector.info()
    const context = {
      serviceOfContainer: new Map([...containers].map(([service, c]) => [c.Id, service])),
      multiService: true,
      engine: {
        loggingDriver: info.LoggingDriver ?? '',
        defaultRuntime: info.DefaultRuntime ?? '',
        cgroupVersion: info.CgroupVersion ?? '1',
      },
      keepContainerName: false,
    }
    const comparable = (spec: ServiceSpec): ServiceSpec => ({
      ...spec,
      // Slipway runs the pinned image id; the reference is the workload's.
      image: env.image,
      // Secret values never leave main; what matters is that the value is there and flagged.
      env: spec.env.map((e) => (e.secret ? { ...e, value: null } : e)),
      volumes: [...spec.volumes].sort((a, b) => a.target.localeCompare(b.target)),
    })
    const readBack: ServiceSpec[] = []
    for (const spec of w.services) {
      const container = containers.get(spec.name) as ContainerDetails
      const read = readServiceSpec(container, await inspector.inspectImage(container.Image), spec.name, context)
      expect(read.unsupported).toEqual([])
      expect(comparable(read.spec)).toEqual(comparable(spec))
      readBack.push(read.spec)
    }
    expect(containers.get('side')?.Config.Env).toContain('DB_PASSWORD=s3cret')
    const resources = await readResources(inspector, readBack, null)
    expect(resources.unsupported).toEqual([])
    expect(resources.networks).toEqual(w.networks)
    expect(resources.volumes).toEqual(w.volumes)
    value(await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false }))
  })
})
