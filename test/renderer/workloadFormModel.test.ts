import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { serviceSpecSchema, networkSpecSchema } from '../../src/shared/serviceSpec'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import {
  formValuesFromWorkload,
  validate,
  type ServiceValues,
  type WorkloadFormValues,
} from '../../src/renderer/src/features/workloads/formModel'

const t = ((key: string) => key) as unknown as TFunction

const core = serviceSpecSchema.parse({
  name: 'core',
  image: 'app:1',
  entrypoint: ['/bin/sh', '-c'],
  command: ['sleep 1'],
  workingDir: '/etc',
  user: '1000:1000',
  hostname: 'core-host',
  labels: { 'app.tier': 'core' },
  env: [
    { name: 'A', value: '1', secret: false },
    { name: 'DB_PASSWORD', value: null, secret: true },
  ],
  envFiles: [{ path: '/srv/app.env', required: false }],
  healthcheck: {
    test: ['CMD', 'pg_isready', '-U', 'me'],
    intervalMs: 1500,
    timeoutMs: 2000,
    startPeriodMs: 1000,
    retries: 2,
  },
  networks: [{ network: 'front', aliases: ['core-alias'], ipv4Address: '172.30.77.10' }, { network: 'back' }],
  extraHosts: [{ host: 'printer.lan', ip: '10.1.2.3' }],
  dns: ['10.0.0.53'],
  ports: [
    {
      containerPort: 8080,
      containerPortEnd: 8081,
      hostPort: 41080,
      hostPortEnd: 41081,
      hostIp: '127.0.0.1',
      protocol: 'tcp',
    },
    { containerPort: 5353, hostPort: null, protocol: 'sctp' },
  ],
  expose: ['9000-9001'],
  volumes: [
    {
      kind: 'bind',
      source: '/srv/conf',
      target: '/conf',
      readOnly: true,
      createHostPath: true,
      propagation: 'private',
    },
    { kind: 'volume', source: 'data', target: '/data', noCopy: true, excludeFromSnapshots: true },
    { kind: 'tmpfs', target: '/tmp', sizeBytes: 16 * 1024 * 1024, mode: 0o1777 },
  ],
  devices: [{ source: '/dev/null', target: '/dev/mynull', permissions: 'rw' }],
  capAdd: ['NET_ADMIN'],
  sysctls: { 'net.core.somaxconn': '1024' },
  ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
  memLimitBytes: 64 * 1024 * 1024,
  memReservationBytes: 32 * 1024 * 1024,
  cpus: 0.5,
  pidsLimit: 100,
  init: true,
  stopSignal: 'SIGINT',
  stopGracePeriodMs: 5000,
  restart: 'on-failure',
  restartMaxRetries: 3,
  logging: { driver: 'json-file', options: { 'max-size': '1m' } },
  readOnly: true,
})
const web = serviceSpecSchema.parse({
  name: 'web',
  image: 'app:1',
  entrypoint: [],
  command: null,
  env: [],
  ports: [],
  volumes: [],
  restart: 'no',
  healthcheck: { test: ['NONE'] },
  dependsOn: [{ service: 'core', condition: 'service_healthy' }],
  networks: [{ network: 'front' }],
})
const workload = {
  name: 'shop',
  snapshotBeforeDeploy: true,
  services: [core, web],
  networks: [
    networkSpecSchema.parse({ name: 'front', ipam: { config: [{ subnet: '172.30.77.0/24' }] } }),
    networkSpecSchema.parse({ name: 'back', internal: true }),
  ],
  volumes: [],
} as unknown as WorkloadDetail

function saved(values: WorkloadFormValues) {
  const result = validate(t, 'en', values, { workloadId: '00000000-0000-4000-8000-000000000000' })
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`)
  return result.input
}

const withService = (values: WorkloadFormValues, i: number, change: (s: ServiceValues) => ServiceValues) => ({
  ...values,
  services: values.services.map((s, at) => (at === i ? change(s) : s)),
})

describe('the workload form model', () => {
  it('gives back every setting it was loaded with, edited or not, exactly (a stored secret stays stored)', () => {
    const input = saved(formValuesFromWorkload(workload))
    expect(input.services).toEqual([core, web])
    expect(input.networks).toEqual(workload.networks)
  })

  it('edits the common settings and keeps the rest', () => {
    let values = formValuesFromWorkload(workload)
    values = withService(values, 0, (s) => ({
      ...s,
      runtime: {
        ...s.runtime,
        user: 'postgres',
        memLimit: '128',
        healthcheck: 'shell',
        healthTest: 'pg_isready',
        healthInterval: '2',
      },
    }))
    values = withService(values, 1, (s) => ({
      ...s,
      runtime: { ...s.runtime, networks: 'front, extra', dependsOn: {} },
    }))
    const input = saved(values)
    expect(input.services[0]).toEqual({
      ...core,
      user: 'postgres',
      memLimitBytes: 128 * 1024 * 1024,
      healthcheck: {
        test: ['CMD-SHELL', 'pg_isready'],
        intervalMs: 2000,
        timeoutMs: 2000,
        startPeriodMs: 1000,
        retries: 2,
      },
    })
    expect(input.services[1]).toMatchObject({ dependsOn: [], networks: [{ network: 'front' }, { network: 'extra' }] })
    // A network a service names anew is declared, plain; the declared ones stay as they were.
    expect(input.networks.map((n) => n.name)).toEqual(['front', 'back', 'extra'])
  })

  it('refuses on the field: a wait in a circle, an open quote, a limit below the engine minimum, a port range of unequal length', () => {
    const values = withService(formValuesFromWorkload(workload), 0, (s) => ({
      ...s,
      ports: s.ports.map((p, j) => (j === 0 ? { ...p, hostPort: '41080-41090' } : p)),
      runtime: { ...s.runtime, dependsOn: { web: 'service_started' }, entrypoint: '"open', memLimit: '1' },
    }))
    const result = validate(t, 'en', values, { workloadId: '00000000-0000-4000-8000-000000000000' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        'services.0.dependsOn',
        'services.0.entrypoint',
        'services.0.memLimitBytes',
        'services.0.ports.0.hostPort',
      ].sort(),
    )
    // The reservation kept from the saved spec is now above the limit: said on the limit.
    expect(result.errors['services.0.memLimitBytes']).toBe('workloads.form.errors.memLimit')
  })

  it('puts an error in a setting the form does not show on its service, naming it', () => {
    const bad = { ...core, labels: { 'io.slipway.own': 'x' } }
    const values = formValuesFromWorkload({ ...workload, services: [bad, web] })
    const result = validate(t, 'en', values, { workloadId: '00000000-0000-4000-8000-000000000000' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors).toEqual({ 'services.0': 'workloads.form.errors.hiddenSetting' })
  })
})
