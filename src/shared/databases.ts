import type { ServiceSpec } from './types/workloads'

/** Database engines a file-level live copy can tear: their image names, as registries spell them. */
const DATABASES = [
  'postgres',
  'postgis',
  'timescaledb',
  'pgvector',
  'mysql',
  'mariadb',
  'percona',
  'mongo',
  'redis',
  'valkey',
  'keydb',
  'influxdb',
  'couchdb',
  'clickhouse',
] as const

/** The database an image runs, by its repository's last path segment (`docker.io/library/postgres:16` → postgres). */
export function databaseOfImage(image: string): string | null {
  const withoutDigest = image.split('@')[0] ?? image
  const lastSegment = withoutDigest.split('/').at(-1) ?? ''
  const repository = (lastSegment.split(':')[0] ?? '').toLowerCase()
  return (
    DATABASES.find((db) => repository === db || repository.startsWith(`${db}-`) || repository.endsWith(`-${db}`)) ??
    null
  )
}

/** The services of a workload that run a database: a live copy of their volumes may be torn. */
export function databaseServices(services: readonly ServiceSpec[]): string[] {
  return services.filter((s) => databaseOfImage(s.image) !== null).map((s) => s.name)
}
