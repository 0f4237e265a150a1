import { execFileSync } from 'node:child_process'
import type { z } from 'zod'
import type { serviceSpecSchema } from '../../src/shared/serviceSpec'
import { docker } from './images'

/** psql inside the container, over its unix socket: no network is involved. */
export function psql(container: string, sql: string): string {
  return execFileSync(
    'docker',
    [
      '-H',
      process.env['SLIPWAY_TEST_DOCKER_HOST'] ?? '',
      'exec',
      '-u',
      'postgres',
      container,
      'psql',
      '-h',
      '/run/postgresql',
      '-U',
      'postgres',
      '-qAtX',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim()
}

/** Waits until PostgreSQL in `container` accepts connections (crash recovery included). */
export async function untilReady(container: () => string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const id = container()
    if (id !== '') {
      try {
        execFileSync(
          'docker',
          [
            '-H',
            process.env['SLIPWAY_TEST_DOCKER_HOST'] ?? '',
            'exec',
            '-u',
            'postgres',
            id,
            'pg_isready',
            '-q',
            '-h',
            '/run/postgresql',
          ],
          { stdio: 'ignore' },
        )
        return id
      } catch {
        // not yet
      }
    }
    if (Date.now() > deadline) throw new Error('PostgreSQL did not become ready')
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** A shell loop run inside the container in the background (ended with the container). */
export function background(container: string, loop: string): void {
  docker('exec', '-d', '-u', 'postgres', container, 'sh', '-c', loop)
}

/** The writers: each transaction inserts 20 rows and moves a counter by exactly what it inserted. */
export const WRITER = `while true; do psql -h /run/postgresql -U postgres -qAtX -c "BEGIN; INSERT INTO t (seq, amount, filler) SELECT nextval('s'), 7, repeat(md5(random()::text), 6) FROM generate_series(1, 20); UPDATE counter SET n = n + 20, total = total + 140; UPDATE t SET filler = md5(filler) WHERE seq % 53 = (SELECT n FROM counter) % 53; COMMIT;" >/dev/null 2>&1; done`

/** CHECKPOINT every 0.2 s: the case where a torn copy loses data, not only fails to start. */
export const CHECKPOINTER = `while true; do psql -h /run/postgresql -U postgres -qAtX -c "CHECKPOINT" >/dev/null 2>&1; sleep 0.2; done`

export const SCHEMA = `CREATE TABLE IF NOT EXISTS t (seq bigint PRIMARY KEY, amount int NOT NULL, filler text NOT NULL);
CREATE INDEX IF NOT EXISTS t_amount ON t (amount);
CREATE SEQUENCE IF NOT EXISTS s;
CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n bigint NOT NULL, total bigint NOT NULL);
INSERT INTO counter VALUES (1, 0, 0) ON CONFLICT DO NOTHING;
CREATE EXTENSION IF NOT EXISTS amcheck;`

/** What a consistent database holds: amcheck finds nothing, and the writers' invariant holds. */
export function consistency(container: string): {
  heapProblems: number
  indexesOk: boolean
  invariant: boolean
  rows: number
} {
  const heapProblems = Number(psql(container, "SELECT count(*) FROM verify_heapam('t')"))
  const indexes = psql(
    container,
    `SELECT count(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace) checked`,
  )
  const [n, total, rows, sum] = psql(
    container,
    'SELECT n, total, (SELECT count(*) FROM t), (SELECT coalesce(sum(amount), 0) FROM t) FROM counter',
  ).split('|')
  return { heapProblems, indexesOk: Number(indexes) >= 2, invariant: n === rows && total === sum, rows: Number(rows) }
}

/** The PostgreSQL service of a one-service test workload, its data in a bind-mounted folder. */
export function postgresService(
  image: string,
  dataDir: string,
  env: { name: string; value: string; secret: boolean }[] = [],
): z.input<typeof serviceSpecSchema> {
  return {
    name: 'db',
    image,
    command: null,
    env,
    ports: [],
    volumes: [
      {
        kind: 'bind',
        source: dataDir,
        target: '/var/lib/postgresql/data',
        readOnly: false,
        excludeFromSnapshots: false,
      },
    ],
    restart: 'no',
  }
}
