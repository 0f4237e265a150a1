/**
 * Compose files as the source of an app, on the real engine: every file of the corpus imports,
 * deploys and runs; its export is a file Debian's docker-compose (v1) accepts and that imports back
 * as the very same workload; a file Slipway cannot run is refused at its line with nothing made; and
 * the values from `.env` are in no SQLite byte, log line or export that was not asked for them.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCompose } from '../../src/main/compose/composeImport'
import type { ComposeExport, ComposePreview } from '../../src/shared/types/compose'
import type { DeployRecord, WorkloadDetail } from '../../src/shared/types/workloads'
import { docker } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { value } from '../helpers/workloadFixtures'

const env = testEnv()
const run = Date.now().toString(36)
const CORPUS = join(import.meta.dirname, '../fixtures/compose')

let instance: Instance
beforeAll(async () => {
  instance = await startInstance({ dockerHost: env.dockerHost })
})
afterAll(async () => {
  const { router } = instance.slipway
  for (const w of value<WorkloadDetail[]>(await router.invoke('workloads.list', { hostId: 'local' })))
    await router.invoke('workloads.delete', { workloadId: w.id, keepVolumes: false })
  await instance.close()
})

/** The corpus file's folder, copied, with the test image given through `.env` (no registry here). */
function project(name: string): { dir: string; text: string; envText: string } {
  const dir = join(tempDir(), name)
  cpSync(join(CORPUS, name), dir, { recursive: true })
  const file = readdirSync(dir).find((f) => /\.ya?ml$/.test(f)) ?? ''
  let envText = `TEST_IMAGE=${env.image}\n`
  try {
    envText += readFileSync(join(dir, '.env'), 'utf8')
  } catch {
    // no .env of its own
  }
  return { dir, text: readFileSync(join(dir, file), 'utf8'), envText }
}

function composeConfig(dir: string, exported: ComposeExport): string {
  writeFileSync(join(dir, 'exported.yml'), exported.compose)
  writeFileSync(join(dir, '.env'), exported.env)
  return execFileSync('docker-compose', ['-f', 'exported.yml', 'config'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', DOCKER_HOST: env.dockerHost },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function states(workloadId: string): Record<string, string> {
  const ids = docker('ps', '-aq', '--filter', `label=io.slipway.workload=${workloadId}`).split('\n').filter(Boolean)
  const lines = docker(
    'inspect',
    '--format',
    '{{index .Config.Labels "io.slipway.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
    ...ids,
  ).split('\n')
  return Object.fromEntries(
    lines.map((l) => l.trim().split(' ')).map(([service = '', ...state]) => [service, state.join(' ')]),
  )
}

describe('compose files', () => {
  it.each([
    ['webapp', { db: 'running healthy', api: 'running healthy', web: 'running' }],
    ['tools', { migrate: 'exited', app: 'running' }],
  ])(
    '%s: import → deploy → export (docker-compose accepts it) → import gives the same workload',
    async (name, expected) => {
      const { router } = instance.slipway
      const { dir, text, envText } = project(name)
      const workloadName = `${name}-${run}`
      const source = { text, envText, projectDir: dir, name: workloadName, profiles: [] }
      const preview = value<ComposePreview>(await router.invoke('compose.preview', source))
      expect(preview.problems.filter((p) => p.severity === 'error')).toEqual([])
      const w = value<WorkloadDetail>(
        await router.invoke('workloads.importCompose', { ...source, hostId: 'local', snapshotBeforeDeploy: false }),
      )
      value(await router.invoke('workloads.deploy', { workloadId: w.id }))
      expect(states(w.id)).toEqual(expected)

      const withSecrets = value<ComposeExport>(
        await router.invoke('workloads.exportCompose', { workloadId: w.id, includeSecrets: true }),
      )
      const config = composeConfig(dir, withSecrets)
      expect(config).toContain('services:')
      const again = readCompose({
        text: withSecrets.compose,
        envText: withSecrets.env,
        projectDir: dir,
        name: workloadName,
        profiles: [],
      })
      expect(again.problems.filter((p) => p.severity === 'error')).toEqual([])
      expect(again.workload).toEqual(preview.workload)

      const plain = value<ComposeExport>(
        await router.invoke('workloads.exportCompose', { workloadId: w.id, includeSecrets: false }),
      )
      for (const secret of (preview.workload?.services ?? []).flatMap((s) =>
        s.env.filter((e) => e.secret && e.value !== '').map((e) => e.value ?? ''),
      ))
        expect(`${plain.compose}${plain.env}`).not.toContain(secret)
    },
  )

  it('the webapp services reach each other by name and alias on the networks the file declares', async () => {
    const { router } = instance.slipway
    const w = value<WorkloadDetail[]>(await router.invoke('workloads.list', { hostId: 'local' })).find(
      (x) => x.name === `webapp-${run}`,
    )
    const web = docker(
      'ps',
      '-q',
      '--filter',
      `label=io.slipway.workload=${w?.id ?? ''}`,
      '--filter',
      'label=io.slipway.service=web',
    )
    const api = docker(
      'ps',
      '-q',
      '--filter',
      `label=io.slipway.workload=${w?.id ?? ''}`,
      '--filter',
      'label=io.slipway.service=api',
    )
    // web is on front only: it finds api, not the database on the internal back network.
    expect(docker('exec', web, 'nslookup', 'api')).toContain('Address')
    expect(() => docker('exec', web, 'nslookup', 'database')).toThrow()
    expect(docker('exec', api, 'nslookup', 'database')).toContain('Address')
    const networks = docker('network', 'ls', '--format', '{{.Name}}').split('\n')
    expect(networks).toEqual(expect.arrayContaining([`webapp-${run}_front`, `webapp-${run}_back`]))
    expect(
      docker('volume', 'inspect', '--format', '{{index .Labels "com.docker.compose.project"}}', `webapp-${run}_dbdata`),
    ).toBe(`webapp-${run}`)
  })

  it('keeps the values from .env out of SQLite and the log', () => {
    for (const file of readdirSync(instance.dataDir).filter((f) => f.includes('.db') || f.endsWith('-wal'))) {
      const bytes = readFileSync(join(instance.dataDir, file))
      expect(bytes.includes('correct-horse-battery-staple')).toBe(false)
      expect(bytes.includes('tok-8f3a1c')).toBe(false)
    }
    const log = readFileSync(instance.logPath, 'utf8')
    expect(log).not.toContain('correct-horse-battery-staple')
    expect(log).not.toContain('tok-8f3a1c')
  })

  it('refuses a file with build: naming the key and its line, and makes nothing', async () => {
    const { router } = instance.slipway
    const count = (): string =>
      [
        docker('ps', '-aq').split('\n').length,
        docker('network', 'ls', '-q').split('\n').length,
        docker('volume', 'ls', '-q').split('\n').length,
      ].join('/')
    const before = count()
    const text = `services:\n  app:\n    image: ${env.image}\n  web:\n    build: ./web\n    volumes: [data:/data]\nvolumes:\n  data:\n`
    const source = { text, envText: null, projectDir: null, name: `built-${run}`, profiles: [] }
    const preview = value<ComposePreview>(await router.invoke('compose.preview', source))
    expect(preview.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unsupported',
        path: 'services.web.build',
        line: 5,
        column: 5,
      }),
    ])
    const refused = await router.invoke('workloads.importCompose', {
      ...source,
      hostId: 'local',
      snapshotBeforeDeploy: false,
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', details: { reason: 'compose_problems', line: 5 } },
    })
    expect(count()).toBe(before)
    const names = value<WorkloadDetail[]>(await router.invoke('workloads.list', { hostId: 'local' })).map((w) => w.name)
    expect(names).not.toContain(`built-${run}`)
  })

  it('an edited export becomes the saved configuration: a secret named without a value keeps its stored one, a file with errors changes nothing', async () => {
    const { router } = instance.slipway
    const name = `edited${run}`
    const secret = `s3cret-${run}`
    const text = `services:\n  app:\n    image: \${IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    environment:\n      COLOR: blue\n      DB_PASSWORD: \${DB_PASSWORD}\n`
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.importCompose', {
        text,
        envText: `IMAGE=${env.image}\nDB_PASSWORD=${secret}\n`,
        projectDir: null,
        name,
        profiles: [],
        hostId: 'local',
        snapshotBeforeDeploy: false,
      }),
    )
    const exported = value<ComposeExport>(
      await router.invoke('workloads.exportCompose', { workloadId: w.id, includeSecrets: false }),
    )
    expect(exported.env).not.toContain(secret)
    const edit = (compose: string) => ({
      workloadId: w.id,
      text: compose,
      envText: exported.env,
      projectDir: null,
      profiles: [],
    })

    const broken = exported.compose.replace('COLOR: blue', 'COLOR: blue\n    build: .')
    expect(broken).not.toBe(exported.compose)
    expect(await router.invoke('workloads.updateFromCompose', edit(broken))).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', details: { reason: 'compose_problems' } },
    })
    const unchanged = value<WorkloadDetail>(await router.invoke('workloads.get', { workloadId: w.id }))
    expect(unchanged.services).toEqual(w.services)

    const green = exported.compose.replace('COLOR: blue', 'COLOR: green')
    const saved = value<WorkloadDetail>(await router.invoke('workloads.updateFromCompose', edit(green)))
    expect(saved.name).toBe(name)
    expect(saved.services[0]?.env).toEqual(
      expect.arrayContaining([
        { name: 'COLOR', value: 'green', secret: false },
        { name: 'DB_PASSWORD', value: null, secret: true },
      ]),
    )
    value(await router.invoke('workloads.deploy', { workloadId: w.id }))
    const app = docker('ps', '-q', '--filter', `label=io.slipway.workload=${w.id}`)
    const containerEnv = docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', app)
    expect(containerEnv).toContain('COLOR=green')
    expect(containerEnv).toContain(`DB_PASSWORD=${secret}`)
  })

  it('a project docker-compose (v1) started is adopted, redeployed, exported, and brought up again by docker-compose on the same data', async () => {
    const { router } = instance.slipway
    const dir = tempDir()
    const name = `v1rt${run}`
    const compose = (...args: string[]): string =>
      execFileSync('docker-compose', ['-p', name, ...args], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', DOCKER_HOST: env.dockerHost },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      `services:\n  db:\n    image: ${env.image}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    volumes: [data:/data]\nvolumes:\n  data:\n`,
    )
    try {
      compose('up', '-d')
      const container = (): string => compose('ps', '-q', 'db').trim()
      docker('exec', container(), 'sh', '-c', 'echo precious > /data/f')
      const adopted = value<WorkloadDetail>(
        await router.invoke('workloads.adopt', {
          hostId: 'local',
          kind: 'compose',
          key: name,
          name,
          acknowledgeUnsupported: true,
        }),
      )
      value(await router.invoke('workloads.redeploy', { workloadId: adopted.id }))
      const exported = value<ComposeExport>(
        await router.invoke('workloads.exportCompose', { workloadId: adopted.id, includeSecrets: false }),
      )
      expect(exported.compose).toContain('source: data')
      value(await router.invoke('workloads.delete', { workloadId: adopted.id, keepVolumes: true }))
      writeFileSync(join(dir, 'docker-compose.yml'), exported.compose)
      compose('up', '-d')
      expect(docker('exec', container(), 'cat', '/data/f')).toBe('precious')
    } finally {
      compose('down', '-v')
    }
  })

  it('a rollback restores the entry’s configuration with its images: containers, env and networks exactly as they were', async () => {
    const { router } = instance.slipway
    const name = `coupled${run}`
    const fileA = `services:\n  app:\n    image: \${IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    environment: { COLOR: blue }\n    networks: [inner]\nnetworks:\n  inner:\n`
    const fileB = `services:\n  app:\n    image: \${IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    environment: { COLOR: green }\n    networks: [inner, outer]\n  extra:\n    image: \${IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    networks: [outer]\nnetworks:\n  inner:\n  outer:\n`
    const source = (text: string) => ({ text, envText: `IMAGE=${env.image}\n`, projectDir: null, name, profiles: [] })
    const a = value<WorkloadDetail>(
      await router.invoke('workloads.importCompose', {
        ...source(fileA),
        hostId: 'local',
        snapshotBeforeDeploy: false,
      }),
    )
    const first = value<DeployRecord>(await router.invoke('workloads.deploy', { workloadId: a.id }))
    const b = value<ComposePreview>(await router.invoke('compose.preview', source(fileB))).workload
    if (b === null) throw new Error('B did not read')
    value(
      await router.invoke('workloads.update', {
        workloadId: a.id,
        name,
        snapshotBeforeDeploy: false,
        services: [...b.services],
        networks: [...b.networks],
        volumes: [...b.volumes],
      }),
    )
    value(await router.invoke('workloads.redeploy', { workloadId: a.id }))
    expect(Object.keys(states(a.id)).sort()).toEqual(['app', 'extra'])

    value(await router.invoke('workloads.rollback', { workloadId: a.id, deploymentId: first.id }))
    expect(states(a.id)).toEqual({ app: 'running' })
    const app = docker('ps', '-q', '--filter', `label=io.slipway.workload=${a.id}`)
    expect(docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', app)).toContain('COLOR=blue')
    expect(
      docker('inspect', '--format', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', app).trim(),
    ).toBe(`${name}_inner`)
    expect(docker('inspect', '--format', '{{.Image}}', app)).toBe(first.pins[0]?.imageId)
    // The saved configuration is A's again: the next deploy runs A, and the history keeps both configs.
    const saved = value<WorkloadDetail>(await router.invoke('workloads.get', { workloadId: a.id }))
    expect(saved.services.map((s) => s.name)).toEqual(['app'])
    const history = value<DeployRecord[]>(await router.invoke('workloads.history', { workloadId: a.id }))
    expect(history.map((h) => h.config?.services.length)).toEqual([1, 2, 1])
    expect(docker('network', 'ls', '--format', '{{.Name}}').split('\n')).not.toContain(`${name}_outer`)
  })
})
