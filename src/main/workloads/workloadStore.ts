import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { ParsedInputOf } from '../../shared/contract'
import { networkSpecSchema, serviceSpecSchema, volumeSpecSchema } from '../../shared/serviceSpec'
import type { EnvVar, NetworkSpec, ServiceSpec, VolumeSpec } from '../../shared/types/workloads'
import { AppError } from '../errors'
import type { SecretStore } from '../platform/ports'
import type { Db } from '../store/database'

export interface WorkloadRecord {
  readonly id: string
  readonly hostId: string
  readonly name: string
  readonly snapshotBeforeDeploy: boolean
  /** The deploy whose containers are the app (null before the first one succeeds). */
  readonly liveDeployId: string | null
  /** Secret env values are null here; `resolveEnv` reads them from the secret store. */
  readonly services: readonly ServiceSpec[]
  readonly networks: readonly NetworkSpec[]
  readonly volumes: readonly VolumeSpec[]
}

/** A workload as the contract validated it, defaults filled in. */
export type WorkloadFields = Omit<ParsedInputOf<'workloads.create'>, 'hostId'>

interface WorkloadRow {
  id: string
  host_id: string
  name: string
  snapshot_before_deploy: number
  live_deploy_id: string | null
  networks: string
  volumes: string
}

const secretKey = (workloadId: string, service: string, name: string): string => `env:${workloadId}/${service}/${name}`

const storedNetworks = z.array(networkSpecSchema)
const storedVolumes = z.array(volumeSpecSchema)

/** A stored document read with today's schema, so fields added since then take their defaults. */
function readStored<T extends z.ZodType>(schema: T, json: string, what: string): z.output<T> {
  const parsed = schema.safeParse(JSON.parse(json))
  if (!parsed.success) throw new AppError('INTERNAL', `a stored ${what} does not read`, { cause: parsed.error })
  return parsed.data
}

/** Workloads and their service specs in SQLite (one JSON document per service); secret env values in the secret store. */
export class WorkloadStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
  ) {}

  list(hostId: string): WorkloadRecord[] {
    const rows = this.db.prepare('SELECT id FROM workloads WHERE host_id = ? ORDER BY name').all(hostId) as {
      id: string
    }[]
    return rows.map((r) => this.require(r.id))
  }

  /** Just the ids of a host's workloads (no services, no secrets): cheap enough for every metrics tick. */
  ids(hostId: string): Set<string> {
    const rows = this.db.prepare('SELECT id FROM workloads WHERE host_id = ?').pluck().all(hostId) as string[]
    return new Set(rows)
  }

  find(id: string): WorkloadRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT id, host_id, name, snapshot_before_deploy, live_deploy_id, networks, volumes FROM workloads WHERE id = ?',
      )
      .get(id) as WorkloadRow | undefined
    if (row === undefined) return undefined
    const specs = this.db
      .prepare('SELECT spec FROM services WHERE workload_id = ? ORDER BY position')
      .pluck()
      .all(id) as string[]
    return {
      id: row.id,
      hostId: row.host_id,
      name: row.name,
      snapshotBeforeDeploy: row.snapshot_before_deploy === 1,
      liveDeployId: row.live_deploy_id,
      services: specs.map((spec) => readStored(serviceSpecSchema, spec, 'service spec')),
      networks: readStored(storedNetworks, row.networks, 'network list'),
      volumes: readStored(storedVolumes, row.volumes, 'volume list'),
    }
  }

  require(id: string): WorkloadRecord {
    const workload = this.find(id)
    if (workload === undefined) throw new AppError('NOT_FOUND', 'unknown workload')
    return workload
  }

  async create(hostId: string, fields: WorkloadFields): Promise<WorkloadRecord> {
    const id = randomUUID()
    await this.storeSecrets(id, fields, null)
    try {
      this.db.transaction(() => {
        const now = new Date().toISOString()
        this.db
          .prepare(
            `INSERT INTO workloads (id, host_id, name, snapshot_before_deploy, networks, volumes, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            hostId,
            fields.name,
            fields.snapshotBeforeDeploy ? 1 : 0,
            JSON.stringify(fields.networks),
            JSON.stringify(fields.volumes),
            now,
            now,
          )
        this.writeServices(id, fields)
      })()
    } catch (error) {
      await this.dropSecrets(id, fields.services)
      if (isUniqueViolation(error))
        throw new AppError('CONFLICT', 'workload name taken', { details: { field: 'name' } })
      throw error
    }
    return this.require(id)
  }

  async update(id: string, fields: WorkloadFields): Promise<WorkloadRecord> {
    const before = this.require(id)
    await this.storeSecrets(id, fields, before)
    try {
      this.db.transaction(() => {
        this.db
          .prepare(
            'UPDATE workloads SET name = ?, snapshot_before_deploy = ?, networks = ?, volumes = ?, updated_at = ? WHERE id = ?',
          )
          .run(
            fields.name,
            fields.snapshotBeforeDeploy ? 1 : 0,
            JSON.stringify(fields.networks),
            JSON.stringify(fields.volumes),
            new Date().toISOString(),
            id,
          )
        this.db.prepare('DELETE FROM services WHERE workload_id = ?').run(id)
        this.writeServices(id, fields)
      })()
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('CONFLICT', 'workload name taken', { details: { field: 'name' } })
      throw error
    }
    const kept = new Set(
      fields.services.flatMap((s) => s.env.filter((e) => e.secret).map((e) => secretKey(id, s.name, e.name))),
    )
    for (const service of before.services) {
      for (const env of service.env) {
        const key = secretKey(id, service.name, env.name)
        if (env.secret && !kept.has(key)) await this.secrets.delete(key)
      }
    }
    return this.require(id)
  }

  async delete(id: string): Promise<void> {
    const before = this.require(id)
    this.db.prepare('DELETE FROM workloads WHERE id = ?').run(id)
    await this.dropSecrets(id, before.services)
  }

  /** The service's env with secret values filled in, for creating containers. */
  async resolveEnv(workloadId: string, service: ServiceSpec): Promise<{ name: string; value: string }[]> {
    const out: { name: string; value: string }[] = []
    for (const env of service.env) {
      const value = env.secret ? await this.secrets.get(secretKey(workloadId, service.name, env.name)) : env.value
      if (value === null)
        throw new AppError('CONFLICT', 'a secret env value is missing', { details: { field: env.name } })
      out.push({ name: env.name, value })
    }
    return out
  }

  private writeServices(workloadId: string, fields: WorkloadFields): void {
    const insert = this.db.prepare(
      'INSERT INTO services (id, workload_id, position, name, spec) VALUES (?, ?, ?, ?, ?)',
    )
    fields.services.forEach((service, position) => {
      const env: EnvVar[] = service.env.map((e) => ({
        name: e.name,
        value: e.secret ? null : (e.value ?? ''),
        secret: e.secret,
      }))
      insert.run(randomUUID(), workloadId, position, service.name, JSON.stringify({ ...service, env }))
    })
  }

  private async storeSecrets(workloadId: string, fields: WorkloadFields, before: WorkloadRecord | null): Promise<void> {
    for (const [s, service] of fields.services.entries()) {
      for (const [e, env] of service.env.entries()) {
        if (!env.secret) continue
        const key = secretKey(workloadId, service.name, env.name)
        if (env.value !== null) {
          await this.secrets.set(key, env.value)
        } else {
          const existed = before?.services.some(
            (bs) => bs.name === service.name && bs.env.some((be) => be.secret && be.name === env.name),
          )
          if (existed !== true) {
            throw new AppError('BAD_INPUT', 'a new secret needs a value', {
              details: { field: `services.${s}.env.${e}.value` },
            })
          }
        }
      }
    }
  }

  private async dropSecrets(
    workloadId: string,
    services: readonly { name: string; env: readonly { name: string; secret: boolean }[] }[],
  ): Promise<void> {
    for (const service of services) {
      for (const env of service.env)
        if (env.secret) await this.secrets.delete(secretKey(workloadId, service.name, env.name))
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}
