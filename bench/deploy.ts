/**
 * deploy: a three-service workload (web → api → db, every one with a healthcheck, each waiting
 * for the one before it to be healthy) brought up from nothing until every service is healthy, by
 * Slipway and by Debian's docker-compose (v1) from the equivalent file, on the same engine, in
 * rounds of one of each, interleaved, compared by their medians. A redeploy (Slipway keeps the old
 * version until the new one is healthy) is compared with `up --force-recreate`.
 * Target: Slipway <= 1.5x docker-compose.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WorkloadDetail } from '../src/shared/types/workloads'
import { docker, importedImage } from '../test/helpers/images'
import { startInstance, type Instance } from '../test/helpers/slipwayInstance'
import { testEnv } from '../test/helpers/testEnv'
import { value } from '../test/helpers/workloadFixtures'
import { median, round } from './stats'

const IMAGE = 'slipway-test/app:a'
const ROUNDS = Number(process.env['SLIPWAY_BENCH_DEPLOY_ROUNDS'] ?? '5')
const CHECK = 'test -f /version'

const composeFile = `services:
  db:
    image: ${IMAGE}
    user: "1000:1000"
    mem_limit: 64m
    healthcheck: { test: ["CMD-SHELL", "${CHECK}"], interval: 1s, timeout: 2s, retries: 3 }
  api:
    image: ${IMAGE}
    depends_on: { db: { condition: service_healthy } }
    healthcheck: { test: ["CMD-SHELL", "${CHECK}"], interval: 1s, timeout: 2s, retries: 3 }
  web:
    image: ${IMAGE}
    depends_on: { api: { condition: service_healthy } }
    healthcheck: { test: ["CMD-SHELL", "${CHECK}"], interval: 1s, timeout: 2s, retries: 3 }
`

function slipwayServices(): unknown[] {
  const healthcheck = { test: ['CMD-SHELL', CHECK], intervalMs: 1000, timeoutMs: 2000, retries: 3 }
  const base = { image: IMAGE, command: null, env: [], ports: [], volumes: [], restart: 'no', healthcheck }
  return [
    { ...base, name: 'db', user: '1000:1000', memLimitBytes: 64 * 1024 * 1024 },
    { ...base, name: 'api', dependsOn: [{ service: 'db', condition: 'service_healthy' }] },
    { ...base, name: 'web', dependsOn: [{ service: 'api', condition: 'service_healthy' }] },
  ]
}

const now = (): number => performance.now()

function healthOf(ids: readonly string[]): string[] {
  return docker('inspect', '--format', '{{.State.Health.Status}}', ...ids).split('\n')
}

async function untilHealthy(ids: () => string[]): Promise<void> {
  for (;;) {
    const found = ids()
    if (found.length === 3 && healthOf(found).every((s) => s === 'healthy')) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function labelled(label: string): string[] {
  return docker('ps', '-q', '--filter', `label=${label}`).split('\n').filter(Boolean)
}

class Compose {
  private readonly dir = mkdtempSync(join(tmpdir(), 'slipway-bench-compose-'))
  constructor(private readonly project: string) {
    writeFileSync(join(this.dir, 'docker-compose.yml'), composeFile)
  }
  run(...args: string[]): void {
    execFileSync('docker-compose', ['-p', this.project, ...args], {
      cwd: this.dir,
      env: { ...process.env, DOCKER_HOST: testEnv().dockerHost },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
  }
  async up(...extra: string[]): Promise<number> {
    const started = now()
    this.run('up', '-d', ...extra)
    await untilHealthy(() => labelled(`com.docker.compose.project=${this.project}`))
    return now() - started
  }
  close(): void {
    this.run('down', '-v', '--remove-orphans')
    rmSync(this.dir, { recursive: true, force: true })
  }
}

async function slipwayDeploy(instance: Instance, name: string): Promise<{ ms: number; id: string }> {
  const { router } = instance.slipway
  const started = now()
  const w = value<WorkloadDetail>(
    await router.invoke('workloads.create', {
      hostId: 'local',
      name,
      snapshotBeforeDeploy: false,
      services: slipwayServices(),
    }),
  )
  value(await router.invoke('workloads.deploy', { workloadId: w.id }))
  await untilHealthy(() => labelled(`io.slipway.workload=${w.id}`))
  return { ms: now() - started, id: w.id }
}

async function slipwayRedeploy(instance: Instance, workloadId: string): Promise<number> {
  const started = now()
  value(await instance.slipway.router.invoke('workloads.redeploy', { workloadId }))
  await untilHealthy(() => labelled(`io.slipway.workload=${workloadId}`))
  return now() - started
}

export async function deployBench(): Promise<Record<string, unknown>> {
  importedImage(IMAGE, 'A')
  const instance = await startInstance({ dockerHost: testEnv().dockerHost })
  const slipway: number[] = []
  const compose: number[] = []
  const slipwayRe: number[] = []
  const composeRe: number[] = []
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const project = new Compose(`benchdeploy${round}`)
      try {
        compose.push(await project.up())
        composeRe.push(await project.up('--force-recreate'))
      } finally {
        project.close()
      }
      const { ms, id } = await slipwayDeploy(instance, `benchdeploy${round}`)
      slipway.push(ms)
      slipwayRe.push(await slipwayRedeploy(instance, id))
      value(await instance.slipway.router.invoke('workloads.delete', { workloadId: id, keepVolumes: false }))
    }
  } finally {
    await instance.close()
  }
  const seconds = (ms: number): number => round(ms / 1000, 2)
  return {
    deploy: {
      rounds: ROUNDS,
      slipway_seconds: slipway.map(seconds),
      compose_seconds: compose.map(seconds),
      ratio: round(median(slipway) / median(compose), 2),
      target: '<= 1.5',
    },
    redeploy: {
      slipway_seconds: slipwayRe.map(seconds),
      compose_seconds: composeRe.map(seconds),
      ratio: round(median(slipwayRe) / median(composeRe), 2),
    },
  }
}
