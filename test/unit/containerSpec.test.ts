import { describe, expect, it } from 'vitest'
import type { ContainerDetails, ImageDetails } from '../../src/main/docker/engine'
import { readServiceSpec, type ReadContext } from '../../src/main/workloads/adoption/readServiceSpec'
import { createPlan } from '../../src/main/workloads/dispatch/containerSpec'
import { serviceSpec } from '../helpers/workloadSpecs'

const base = { image: 'app:1', command: null, env: [], ports: [], volumes: [], restart: 'no' as const }
const workload = (services: ReturnType<typeof serviceSpec>[]) => ({ id: 'w1', name: 'shop', services })

function plan(service: ReturnType<typeof serviceSpec>, others: ReturnType<typeof serviceSpec>[] = []) {
  return createPlan({
    workload: workload([service, ...others]),
    deployId: 'd1234567-0000',
    service,
    imageId: 'sha256:img',
    env: [{ name: 'A', value: '1' }],
    containerOf: (name) => `id-of-${name}`,
  })
}

describe('a service spec as the engine create body', () => {
  it('joins the default network of a multi-service workload as its service name; more networks after create', () => {
    const web = serviceSpec({ ...base, name: 'web', networks: [] })
    const db = serviceSpec({
      ...base,
      name: 'db',
      networks: [{ network: 'back', aliases: ['database'] }, { network: 'shop_default' }],
    })
    expect(plan(web, [db]).spec.HostConfig?.NetworkMode).toBe('shop_default')
    expect(plan(web, [db]).spec.NetworkingConfig).toEqual({ EndpointsConfig: { shop_default: { Aliases: ['web'] } } })
    const dbPlan = plan(db, [web])
    expect(dbPlan.spec.NetworkingConfig).toEqual({ EndpointsConfig: { back: { Aliases: ['db', 'database'] } } })
    expect(dbPlan.connects).toEqual([{ network: 'shop_default', endpoint: { Aliases: ['db'] } }])
    // Alone, a service runs on the engine's default network, as `docker run` would.
    const alone = createPlan({
      workload: workload([web]),
      deployId: 'd1',
      service: web,
      imageId: 'x',
      env: [],
      containerOf: () => '',
    })
    expect(alone.spec.HostConfig?.NetworkMode).toBe('default')
    expect(alone.spec.NetworkingConfig).toBeUndefined()
  })

  it("takes another service's namespaces by its new container id", () => {
    const side = serviceSpec({ ...base, name: 'side', networkMode: 'service:db', pid: 'service:db', ipc: 'host' })
    const host = plan(side).spec.HostConfig
    expect([host?.NetworkMode, host?.PidMode, host?.IpcMode]).toEqual([
      'container:id-of-db',
      'container:id-of-db',
      'host',
    ])
  })

  it('publishes every port of a range, and leaves a random host port to the engine', () => {
    const web = serviceSpec({
      ...base,
      name: 'web',
      ports: [
        { containerPort: 80, containerPortEnd: 81, hostPort: 8080, hostPortEnd: 8081, hostIp: '127.0.0.1' },
        { containerPort: 53, hostPort: null, protocol: 'udp' },
      ],
      expose: ['9000-9001/tcp', '7000/udp'],
    })
    const spec = plan(web).spec
    expect(spec.HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '8081' }],
      '53/udp': [{ HostIp: '', HostPort: '' }],
    })
    expect(Object.keys(spec.ExposedPorts ?? {}).sort()).toEqual([
      '53/udp',
      '7000/udp',
      '80/tcp',
      '81/tcp',
      '9000/tcp',
      '9001/tcp',
    ])
  })

  it('mounts a bind that may make its folder as a Binds entry, everything else as Mounts', () => {
    const web = serviceSpec({
      ...base,
      name: 'web',
      volumes: [
        {
          kind: 'bind',
          source: '/srv/conf',
          target: '/conf',
          readOnly: true,
          createHostPath: true,
          propagation: 'rslave',
        },
        { kind: 'bind', source: '/srv/data', target: '/data' },
        { kind: 'volume', source: 'shop_cache', target: '/cache', noCopy: true },
        { kind: 'tmpfs', target: '/run', sizeBytes: 1 << 20, mode: 0o700 },
      ],
    })
    const host = plan(web).spec.HostConfig
    expect(host?.Binds).toEqual(['/srv/conf:/conf:ro,rslave'])
    expect(host?.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: 'shop_cache', Target: '/cache', ReadOnly: false, VolumeOptions: { NoCopy: true } },
      { Type: 'tmpfs', Target: '/run', ReadOnly: false, TmpfsOptions: { SizeBytes: 1 << 20, Mode: 0o700 } },
    ])
  })

  it('resets the entrypoint for [], keeps the image one for null, and carries the rest of the settings', () => {
    const spec = plan(
      serviceSpec({
        ...base,
        name: 'web',
        entrypoint: [],
        privileged: true,
        healthcheck: { test: ['CMD', 'true'], intervalMs: 1500, retries: 2 },
        stopGracePeriodMs: 2500,
        restart: 'on-failure',
        restartMaxRetries: 4,
        dependsOn: [],
        cpus: 1.5,
      }),
    ).spec
    expect(spec.Entrypoint).toEqual([''])
    expect(spec.HostConfig?.Privileged).toBe(true)
    expect(spec.Healthcheck).toEqual({
      Test: ['CMD', 'true'],
      Interval: 1_500_000_000,
      Timeout: 0,
      StartPeriod: 0,
      Retries: 2,
    })
    expect(spec.StopTimeout).toBe(3)
    expect(spec.HostConfig?.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 4 })
    expect(spec.HostConfig?.NanoCpus).toBe(1_500_000_000)
    expect(plan(serviceSpec({ ...base, name: 'web' })).spec.Entrypoint).toBeUndefined()
  })
})

const context: ReadContext = {
  serviceOfContainer: new Map([['aaaabbbbcccc0000', 'db']]),
  multiService: true,
  engine: { loggingDriver: 'json-file', defaultRuntime: 'runc', cgroupVersion: '2' },
  keepContainerName: true,
}

function container(
  config: Record<string, unknown>,
  host: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ContainerDetails {
  return {
    Id: 'ffffeeeedddd1111',
    Name: '/shop_web_1',
    Image: 'sha256:img',
    Config: {
      Image: 'app:1',
      Hostname: 'ffffeeeedddd',
      Labels: {},
      Env: null,
      Cmd: null,
      Entrypoint: ['/init'],
      ...config,
    },
    HostConfig: { NetworkMode: 'shop_default', CgroupnsMode: 'private', ShmSize: 67108864, ...host },
    NetworkSettings: { Networks: { shop_default: { Aliases: ['ffffeeeedddd', 'web'], IPAMConfig: null } } },
    Mounts: [],
    State: { Running: true },
    ...extra,
  } as unknown as ContainerDetails
}

const image = {
  Config: { Entrypoint: ['/init'], Cmd: ['serve'], Env: ['PATH=/bin'], Labels: { vendor: 'x' } },
} as unknown as ImageDetails

describe('a container read back into its spec', () => {
  it("leaves the image's and the engine's own settings out", () => {
    const { spec, unsupported } = readServiceSpec(
      container(
        {
          Env: ['PATH=/bin', 'MODE=prod'],
          Cmd: ['serve'],
          Labels: { vendor: 'x', 'com.docker.compose.project': 'shop', team: 'a' },
        },
        {},
      ),
      image,
      'web',
      context,
    )
    expect(unsupported).toEqual([])
    expect(spec).toMatchObject({
      entrypoint: null,
      command: null,
      hostname: null,
      labels: { team: 'a' },
      env: [{ name: 'MODE', value: 'prod', secret: false }],
      networks: [{ network: 'shop_default', aliases: ['shop_web_1'] }],
      shmSizeBytes: null,
    })
  })

  it('reads a reset entrypoint, privileged mode, namespaces of a sibling and a --tmpfs mount', () => {
    const { spec } = readServiceSpec(
      container(
        { Entrypoint: null, Cmd: ['sh'] },
        { Privileged: true, NetworkMode: 'container:aaaabbbbcccc0000', Tmpfs: { '/run': 'rw,size=64m,mode=1777' } },
        { NetworkSettings: { Networks: {} } },
      ),
      image,
      'web',
      context,
    )
    expect(spec).toMatchObject({
      entrypoint: [],
      command: ['sh'],
      privileged: true,
      networkMode: 'service:db',
      networks: [],
      volumes: [{ kind: 'tmpfs', target: '/run', sizeBytes: 64 << 20, mode: 0o1777, readOnly: false }],
    })
  })

  it('lists every setting it would not reproduce, and drops only the value the spec refuses', () => {
    const { spec, unsupported } = readServiceSpec(
      container(
        { Domainname: 'lan', Env: ['DB_PASSWORD=' + 'x'.repeat(40_000)] },
        {
          OomScoreAdj: 300,
          Links: ['/db:/web/db'],
          AutoRemove: true,
          MemorySwap: 200,
          Memory: 100 << 20,
          DeviceRequests: [{ Count: -1 }],
        },
        {
          NetworkSettings: {
            Networks: { shop_default: { Aliases: ['bad alias!', 'ok'], IPAMConfig: null, DriverOpts: { x: '1' } } },
          },
        },
      ),
      image,
      'web',
      context,
    )
    expect(unsupported.map((u) => u.setting).sort()).toEqual([
      'Config.Domainname',
      'HostConfig.AutoRemove',
      'HostConfig.DeviceRequests',
      'HostConfig.Links',
      'HostConfig.MemorySwap',
      'HostConfig.OomScoreAdj',
      'NetworkSettings.Networks.shop_default.DriverOpts',
      'env.0.value',
      'networks.0.aliases.0',
    ])
    // A secret is never shown, even when it is what was refused.
    expect(JSON.stringify(unsupported)).not.toContain('xxxx')
    expect(spec.networks).toEqual([
      { network: 'shop_default', aliases: ['ok', 'shop_web_1'], ipv4Address: null, ipv6Address: null },
    ])
    expect(spec.env).toEqual([])
  })
})
