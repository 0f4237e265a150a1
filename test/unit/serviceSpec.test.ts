import { describe, expect, it } from 'vitest'
import { workloadInput } from '../../src/shared/contract'
import { splitCommand, joinCommand } from '../../src/shared/commandLine'
import { isCidr, isIpv4, isIpv6 } from '../../src/shared/netAddress'
import { serviceSpecSchema, startOrder } from '../../src/shared/serviceSpec'
import { serviceSpec } from '../helpers/workloadSpecs'

const app = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'app:1',
  command: null,
  env: [],
  ports: [],
  volumes: [],
  restart: 'no' as const,
  ...extra,
})

/** The fields of every issue the contract finds in this workload. */
function refused(services: unknown[], extra: Record<string, unknown> = {}): string[] {
  const parsed = workloadInput.safeParse({
    hostId: 'local',
    name: 'shop',
    snapshotBeforeDeploy: false,
    services,
    ...extra,
  })
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))
}

describe('the service spec', () => {
  it('fills every field a caller leaves out with the engine-neutral default', () => {
    const spec = serviceSpec(app('web'))
    expect(spec).toMatchObject({
      entrypoint: null,
      user: null,
      healthcheck: null,
      dependsOn: [],
      networks: [],
      networkMode: null,
      memLimitBytes: null,
      init: null,
      readOnly: false,
      labels: {},
    })
  })

  it('refuses references the workload cannot satisfy, naming the field', () => {
    expect(refused([app('web', { dependsOn: [{ service: 'db' }] })])).toEqual(['services.0.dependsOn.0.service'])
    expect(refused([app('web', { dependsOn: [{ service: 'web' }] })])).toContain('services.0.dependsOn.0.service')
    expect(refused([app('web', { networkMode: 'service:db' })])).toEqual(['services.0.networkMode'])
    expect(refused([app('web', { pid: 'service:gone' })])).toEqual(['services.0.pid'])
    expect(refused([app('web', { networks: [{ network: 'backend' }] })])).toEqual(['services.0.networks.0.network'])
    // The implicit default network may be named; a declared one too.
    expect(refused([app('web', { networks: [{ network: 'shop_default' }] })])).toEqual([])
    expect(refused([app('web', { networks: [{ network: 'backend' }] })], { networks: [{ name: 'backend' }] })).toEqual(
      [],
    )
  })

  it('finds a dependency cycle, including one through a joined namespace', () => {
    expect(
      refused([
        app('a', { dependsOn: [{ service: 'b' }] }),
        app('b', { dependsOn: [{ service: 'c' }] }),
        app('c', { networkMode: 'service:a' }),
      ]),
    ).toEqual(['services.0.dependsOn'])
    expect(refused([app('a'), app('b', { dependsOn: [{ service: 'a' }] })])).toEqual([])
  })

  it('orders services after what they need, ties as given', () => {
    const order = startOrder([
      serviceSpec(app('web', { dependsOn: [{ service: 'api' }] })),
      serviceSpec(app('worker')),
      serviceSpec(app('api', { dependsOn: [{ service: 'db', condition: 'service_healthy' }] })),
      serviceSpec(app('db')),
      serviceSpec(app('sidecar', { networkMode: 'service:web' })),
    ])
    expect(order?.map((s) => s.name)).toEqual(['db', 'api', 'web', 'worker', 'sidecar'])
  })

  it('refuses port ranges of unequal length and ports with a network mode that cannot publish them', () => {
    const range = (fields: Record<string, unknown>) => ({ containerPort: 80, hostPort: 8000, ...fields })
    expect(refused([app('web', { ports: [range({ containerPortEnd: 82, hostPortEnd: 8001 })] })])).toEqual([
      'services.0.ports.0.hostPortEnd',
    ])
    expect(refused([app('web', { ports: [range({ containerPortEnd: 82, hostPortEnd: 8002 })] })])).toEqual([])
    expect(refused([app('web', { ports: [range({ containerPortEnd: 82, hostPort: null })] })])).toEqual([])
    expect(refused([app('web', { ports: [range({ hostPortEnd: 8001 })] })])).toEqual(['services.0.ports.0.hostPortEnd'])
    expect(refused([app('web', { ports: [range({ containerPortEnd: 79 })] })])).toContain(
      'services.0.ports.0.containerPortEnd',
    )
    expect(refused([app('web', { networkMode: 'host', ports: [range({})] })])).toEqual(['services.0.ports'])
    expect(refused([app('web', { networkMode: 'bridge', ports: [range({})] })])).toEqual([])
    expect(refused([app('db'), app('web', { networkMode: 'service:db', hostname: 'web' })])).toEqual([
      'services.1.hostname',
    ])
    expect(refused([app('web', { networkMode: 'none', networks: [{ network: 'shop_default' }] })])).toEqual([
      'services.0.networks',
    ])
  })

  it('checks values the engine would refuse later', () => {
    const field = (extra: Record<string, unknown>): string[] =>
      (serviceSpecSchema.safeParse(app('web', extra)).error?.issues ?? []).map((i) => i.path.join('.'))
    expect(field({ memLimitBytes: 1024 })).toEqual(['memLimitBytes'])
    expect(field({ memLimitBytes: 64 << 20, memReservationBytes: 128 << 20 })).toEqual(['memReservationBytes'])
    expect(field({ restartMaxRetries: 3 })).toEqual(['restartMaxRetries'])
    expect(field({ restart: 'on-failure', restartMaxRetries: 3 })).toEqual([])
    expect(field({ healthcheck: { test: ['CMD-SHELL'] } })).toEqual(['healthcheck.test'])
    expect(field({ healthcheck: { test: ['NONE', 'x'] } })).toEqual(['healthcheck.test'])
    expect(field({ labels: { 'io.slipway.workload': 'x' } })).toEqual(['labels'])
    expect(field({ user: 'root; rm -rf /' })).toEqual(['user'])
    expect(field({ ulimits: [{ name: 'nofile', soft: 10, hard: 5 }] })).toEqual(['ulimits.0.soft'])
    expect(field({ devices: [{ source: '/dev/fuse', target: '/dev/fuse', permissions: 'rrw' }] })).toEqual([
      'devices.0.permissions',
    ])
    expect(field({ volumes: [{ kind: 'tmpfs', target: '/' }] })).toEqual(['volumes.0.target'])
    expect(field({ networks: [{ network: 'bridge' }] })).toEqual(['networks.0.network'])
  })

  it('needs a subnet on a network where a service has a fixed address', () => {
    const fixed = [app('web', { networks: [{ network: 'lan', ipv4Address: '10.5.0.9' }] })]
    expect(refused(fixed, { networks: [{ name: 'lan' }] })).toEqual(['services.0.networks.0.ipv4Address'])
    expect(refused(fixed, { networks: [{ name: 'lan', ipam: { config: [{ subnet: '10.5.0.0/24' }] } }] })).toEqual([])
    expect(refused(fixed, { networks: [{ name: 'lan', external: true }] })).toEqual([])
  })
})

describe('addresses', () => {
  it('tells IPv4, IPv6 and prefixes apart without Node', () => {
    expect(['10.0.0.1', '255.255.255.255'].every(isIpv4)).toBe(true)
    expect(['256.0.0.1', '1.2.3', '01.2.3.4x'].some(isIpv4)).toBe(false)
    expect(['::1', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8'].every(isIpv6)).toBe(true)
    expect([':1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '12345::'].some(isIpv6)).toBe(false)
    expect(isCidr('172.30.0.0/16')).toBe(true)
    expect(isCidr('fd00::/64')).toBe(true)
    expect(isCidr('10.0.0.0/33')).toBe(false)
    expect(isCidr('10.0.0.0')).toBe(false)
  })
})

describe('command lines', () => {
  it('splits as a simple shell would and joins back to the same words', () => {
    expect(splitCommand(`sh -c 'echo "a b"' x\\ y "q\\"t"`)).toEqual({
      ok: true,
      argv: ['sh', '-c', 'echo "a b"', 'x y', 'q"t'],
    })
    expect(splitCommand('   ')).toEqual({ ok: true, argv: null })
    expect(splitCommand("echo 'open")).toEqual({ ok: false, reason: 'unterminated' })
    const words = ['sh', '-c', "it's $HOME", '']
    const joined = joinCommand(words)
    expect(splitCommand(joined)).toEqual({ ok: true, argv: words })
  })
})
