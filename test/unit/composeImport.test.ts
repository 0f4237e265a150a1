import { describe, expect, it } from 'vitest'
import { exportCompose } from '../../src/main/compose/composeExport'
import { readCompose, type ComposeSource } from '../../src/main/compose/composeImport'

const source = (text: string, extra: Partial<ComposeSource> = {}): ComposeSource => ({
  text,
  envText: null,
  projectDir: '/srv/shop',
  name: 'shop',
  profiles: [],
  ...extra,
})
const read = (text: string, extra: Partial<ComposeSource> = {}) => readCompose(source(text, extra))
const serviceOf = (text: string, name = 'app', extra: Partial<ComposeSource> = {}) => {
  const preview = read(text, extra)
  if (preview.workload === null) throw new Error(JSON.stringify(preview.problems))
  return preview.workload.services.find((s) => s.name === name)
}
const errors = (text: string, extra: Partial<ComposeSource> = {}) =>
  read(text, extra)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => `${p.code} ${p.path} @${p.line}:${p.column}`)

describe('reading a compose file', () => {
  it('reads the short and the long syntax of ports into one shape', () => {
    const app = serviceOf(`services:
  app:
    image: app:1
    ports:
      - 80
      - "8080:80"
      - "127.0.0.1:8000-8001:80-81/udp"
      - "[::1]:9000:90"
      - target: 443
        published: "8443"
        host_ip: 0.0.0.0
        protocol: tcp
`)
    expect(app?.ports).toEqual([
      { containerPort: 80, containerPortEnd: null, hostPort: null, hostPortEnd: null, hostIp: null, protocol: 'tcp' },
      { containerPort: 80, containerPortEnd: null, hostPort: 8080, hostPortEnd: null, hostIp: null, protocol: 'tcp' },
      {
        containerPort: 80,
        containerPortEnd: 81,
        hostPort: 8000,
        hostPortEnd: 8001,
        hostIp: '127.0.0.1',
        protocol: 'udp',
      },
      { containerPort: 90, containerPortEnd: null, hostPort: 9000, hostPortEnd: null, hostIp: '::1', protocol: 'tcp' },
      {
        containerPort: 443,
        containerPortEnd: null,
        hostPort: 8443,
        hostPortEnd: null,
        hostIp: '0.0.0.0',
        protocol: 'tcp',
      },
    ])
  })

  it('reads mounts: host paths against the file’s folder, named volumes by the project’s prefix, tmpfs', () => {
    const app = serviceOf(`services:
  app:
    image: app:1
    volumes:
      - ./conf:/conf:ro
      - data:/data:nocopy
      - /var/log/app:/logs
      - type: bind
        source: ../shared
        target: /shared
        bind: { create_host_path: true, propagation: rshared }
      - type: tmpfs
        target: /run/cache
        tmpfs: { size: 16m, mode: 0o1777 }
    tmpfs: [/tmp]
volumes:
  data:
`)
    expect(app?.volumes).toEqual([
      {
        kind: 'bind',
        source: '/srv/shop/conf',
        target: '/conf',
        readOnly: true,
        excludeFromSnapshots: false,
        createHostPath: true,
        propagation: null,
      },
      {
        kind: 'volume',
        source: 'shop_data',
        target: '/data',
        readOnly: false,
        excludeFromSnapshots: false,
        noCopy: true,
      },
      {
        kind: 'bind',
        source: '/var/log/app',
        target: '/logs',
        readOnly: false,
        excludeFromSnapshots: false,
        createHostPath: true,
        propagation: null,
      },
      {
        kind: 'bind',
        source: '/srv/shared',
        target: '/shared',
        readOnly: false,
        excludeFromSnapshots: false,
        createHostPath: true,
        propagation: 'rshared',
      },
      { kind: 'tmpfs', target: '/run/cache', readOnly: false, sizeBytes: 16 * 1024 * 1024, mode: 0o1777 },
      { kind: 'tmpfs', target: '/tmp', readOnly: false, sizeBytes: null, mode: null },
    ])
  })

  it('reads environment, labels and depends_on as lists or maps; env values from .env become secrets', () => {
    const preview = read(
      `services:
  app:
    image: app:1
    environment: ["MODE=prod", "DB_URL=postgres://db/\${DB_NAME}", "EMPTY="]
    labels: { tier: web }
    depends_on: [db]
  db:
    image: db:1
    environment:
      POSTGRES_PASSWORD: hunter2
      POSTGRES_DB: \${DB_NAME:-shop}
    depends_on:
      cache: { condition: service_healthy }
  cache:
    image: cache:1
`,
      { envText: 'DB_NAME=prod_db\n' },
    )
    const [app, db] = preview.workload?.services ?? []
    expect(app?.env).toEqual([
      { name: 'MODE', value: 'prod', secret: false },
      { name: 'DB_URL', value: 'postgres://db/prod_db', secret: true },
      { name: 'EMPTY', value: '', secret: false },
    ])
    expect(app?.labels).toEqual({ tier: 'web' })
    expect(app?.dependsOn).toEqual([{ service: 'db', condition: 'service_started' }])
    expect(db?.env).toEqual([
      { name: 'POSTGRES_PASSWORD', value: 'hunter2', secret: true },
      { name: 'POSTGRES_DB', value: 'prod_db', secret: true },
    ])
    expect(db?.dependsOn).toEqual([{ service: 'cache', condition: 'service_healthy' }])
    expect(preview.secretNames).toEqual(['DB_URL', 'POSTGRES_PASSWORD', 'POSTGRES_DB'])
    // Every service joins the project's default network, as compose does.
    expect(preview.workload?.networks.map((n) => n.name)).toEqual(['shop_default'])
  })

  it('resolves anchors, merge keys and extends; leaves out services of profiles not chosen', () => {
    const text = `x-base: &base
  image: app:1
  restart: always
  environment: { A: "1" }
services:
  app:
    <<: *base
    command: serve --port 80
  worker:
    extends: app
    command: ["work"]
    environment: { B: "2" }
  debug:
    image: debug:1
    profiles: [debug]
`
    const preview = read(text)
    expect(preview.workload?.services.map((s) => s.name)).toEqual(['app', 'worker'])
    expect(preview.profiles).toEqual(['debug'])
    const worker = preview.workload?.services[1]
    expect(worker).toMatchObject({ image: 'app:1', restart: 'always', command: ['work'] })
    expect(worker?.env.map((e) => e.name)).toEqual(['A', 'B'])
    expect(preview.workload?.services[0]?.command).toEqual(['serve', '--port', '80'])
    expect(read(text, { profiles: ['debug'] }).workload?.services.map((s) => s.name)).toEqual([
      'app',
      'worker',
      'debug',
    ])
  })

  it('reads healthchecks, durations, sizes, limits and restart retries', () => {
    const app = serviceOf(`services:
  app:
    image: app:1
    healthcheck: { test: "curl -f http://localhost", interval: 1m30s, timeout: 500ms, start_period: 2s, retries: 4 }
    stop_grace_period: 1m
    mem_limit: 1g
    shm_size: 256m
    restart: on-failure:5
    ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: 512 }
    deploy:
      resources:
        limits: { cpus: "0.5", pids: 200 }
        reservations: { memory: 128M }
`)
    expect(app).toMatchObject({
      healthcheck: {
        test: ['CMD-SHELL', 'curl -f http://localhost'],
        intervalMs: 90_000,
        timeoutMs: 500,
        startPeriodMs: 2000,
        retries: 4,
      },
      stopGracePeriodMs: 60_000,
      memLimitBytes: 1024 ** 3,
      memReservationBytes: 128 * 1024 ** 2,
      shmSizeBytes: 256 * 1024 ** 2,
      cpus: 0.5,
      pidsLimit: 200,
      restart: 'on-failure',
      restartMaxRetries: 5,
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 4096 },
        { name: 'nproc', soft: 512, hard: 512 },
      ],
    })
    expect(serviceOf('services:\n  app:\n    image: app:1\n    healthcheck: { disable: true }\n')?.healthcheck).toEqual(
      {
        test: ['NONE'],
        intervalMs: null,
        timeoutMs: null,
        startPeriodMs: null,
        retries: null,
      },
    )
  })

  it('refuses what Slipway cannot run, naming the key and its line; creates nothing', () => {
    const text = `services:
  app:
    image: app:1
  web:
    build: .
    image: web:1
  many:
    image: app:1
    deploy:
      replicas: 3
secrets:
  token:
    file: ./token
`
    expect(errors(text)).toEqual(['unsupported secrets @11:1'])
    expect(read(text).workload).toBeNull()
    const noSecrets = text.slice(0, text.indexOf('secrets:'))
    expect(errors(noSecrets)).toEqual([
      'unsupported services.web.build @5:5',
      'unsupported services.many.deploy.replicas @10:7',
    ])
    expect(read(noSecrets).workload).toBeNull()
  })

  it('says, as warnings, what it leaves out; the workload is still made', () => {
    const preview = read(`services:
  app:
    image: app:1
    container_name: my-app
    deploy:
      placement: { constraints: [node.role == manager] }
    depends_on:
      db: { condition: service_started, restart: true }
  db:
    image: db:1
`)
    expect(preview.workload).not.toBeNull()
    expect(preview.problems.map((p) => `${p.severity} ${p.path} @${p.line}`)).toEqual([
      'warning services.app.container_name @4',
      'warning services.app.depends_on.db.restart @8',
      'warning services.app.deploy.placement @6',
    ])
  })

  it('points at the line of a typo, a YAML error, an undeclared volume, a missing required variable, a relative path with no folder', () => {
    expect(errors('services:\n  app:\n    image: app:1\n    imagee: x\n')).toEqual(['schema services.app.imagee @4:5'])
    expect(errors('services:\n  app:\n    image: [app\n')[0]).toMatch(/^yaml {2}@/)
    expect(errors('services:\n  app:\n    image: app:1\n    volumes: [data:/data]\n')).toEqual([
      'reference services.app.volumes.0 @4:15',
    ])
    expect(errors('services:\n  app:\n    image: app:${TAG:?pick a tag}\n')).toEqual([
      'interpolation services.app.image @3:5',
    ])
    expect(errors('services:\n  app:\n    image: app:1\n    volumes: [./data:/data]\n', { projectDir: null })).toEqual([
      'reference services.app.volumes.0 @4:15',
    ])
    expect(
      errors('services:\n  a:\n    image: a:1\n    depends_on: [b]\n  b:\n    image: b:1\n    depends_on: [a]\n'),
    ).toEqual(['reference services.a.depends_on @4:5'])
  })

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      )
    expect(errors(`${bomb.join('\n')}\nservices: {}\n`)[0]).toMatch(/^yaml/)
  })

  it('exports what it read so that it reads back the same, secrets as ${NAME} with .env naming them', () => {
    const preview = read(
      `services:
  db:
    image: db:1
    user: "999"
    environment: { POSTGRES_PASSWORD: "\${PW}", PRICE: "5$$" }
    volumes: [data:/var/lib/db, ./conf:/conf:ro]
    networks: { back: { aliases: [database] } }
    healthcheck: { test: [CMD, pg_isready], interval: 1500ms }
    env_file: [db.env, { path: /etc/optional.env, required: false }]
  web:
    image: web:1
    ports: ["127.0.0.1:8080:80"]
    networks: [back, front]
    depends_on: { db: { condition: service_healthy } }
networks:
  back: { internal: true }
  front:
  outside: { external: true }
volumes:
  data:
`,
      { envText: 'PW=s3cr3t\n' },
    )
    const workload = preview.workload
    if (workload === null) throw new Error(JSON.stringify(preview.problems))
    const out = exportCompose(workload, () => null)
    expect(out.compose).not.toContain('s3cr3t')
    expect(out.compose).toContain('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}')
    expect(out.env).toBe('POSTGRES_PASSWORD=\n')
    const again = readCompose(source(out.compose, { envText: 'POSTGRES_PASSWORD=s3cr3t\n' }))
    expect(again.problems).toEqual([])
    expect(again.workload).toEqual(workload)
  })
})
