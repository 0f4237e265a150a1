import { databaseOfImage } from './databases'
import type { ServiceSpec } from './serviceSpec'
import type { CaptureHook, HookRun, SnapshotDump, SnapshotVolume } from './types/snapshots'

export type HookPresetId = 'postgres-dumpall' | 'mysql-dump' | 'mongo-dump' | 'redis-save'

/**
 * Capture hooks that make a live capture of a database consistent without pausing it: the
 * database's own tool writes a dump into one of the service's captured volumes before the copy
 * (renamed into place only when complete), and the post hook removes it from the live folder.
 * Credentials are the container's own environment, expanded by its shell: Slipway never reads,
 * stores or logs them.
 */
export interface HookPreset {
  readonly id: HookPresetId
  readonly service: string
  /** Where the dump lands inside the container (in a captured volume). */
  readonly dumpPath: string
  readonly hooks: readonly CaptureHook[]
}

const DUMP_TIMEOUT_S = 1800

/** The file the PostgreSQL preset writes at the root of the service's first captured volume. */
export const POSTGRES_DUMP_FILE = 'slipway-dump.sql'

/** A POSIX-shell single-quoted word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/** `command` writes to "$partial"; the dump appears at `path` only once the tool exits 0. */
function atomically(path: string, command: string): string {
  const partial = `${path}.partial`
  return `set -e; partial=${shellQuote(partial)}; ${command}; mv -f "$partial" ${shellQuote(path)}`
}

/** A preset whose pre hook writes a dump file at `path` and whose post hook removes it again. */
function dumpPreset(id: HookPresetId, service: string, path: string, command: string): HookPreset {
  return {
    id,
    service,
    dumpPath: path,
    hooks: [
      { phase: 'pre', service, command: atomically(path, command), timeoutSeconds: DUMP_TIMEOUT_S },
      {
        phase: 'post',
        service,
        command: `rm -f ${shellQuote(path)} ${shellQuote(`${path}.partial`)}`,
        timeoutSeconds: 60,
      },
    ],
  }
}

/**
 * Redis keeps its data in one RDB file that it replaces by rename: a background save (a fork, so no
 * client waits) written into the captured volume is one consistent moment, and it is what Redis
 * loads after a restore. The hook refuses where that would not hold: the RDB saved outside the
 * volume, or an append-only file (which Redis loads instead of the RDB) — those want pause mode.
 */
function redisSavePreset(service: string, target: string): HookPreset {
  const command = [
    `target=${shellQuote(target)}`,
    'if [ -n "${REDIS_PASSWORD:-}" ]; then export REDISCLI_AUTH="$REDIS_PASSWORD"; fi',
    'fail() { echo "$*" >&2; exit 3; }',
    'setting() { redis-cli CONFIG GET "$1" | sed -n 2p; }',
    'field() { redis-cli INFO persistence | tr -d "\\r" | sed -n "s/^$1://p"; }',
    'reply=$(redis-cli PING 2>&1); [ "$reply" = PONG ] || fail "Redis did not answer: $reply"',
    'dir=$(setting dir); [ -n "$dir" ] || fail "Redis did not say where it saves its RDB (CONFIG GET dir): capture in pause mode"',
    'rdb="${dir%/}/$(setting dbfilename)"',
    'case "$rdb" in "${target%/}"/*) ;; *) fail "Redis saves its RDB to $rdb, outside the captured $target: capture in pause mode" ;; esac',
    '[ "$(setting appendonly)" != yes ] || fail "Redis restarts from its append-only file, not from the RDB: capture in pause mode"',
    'saves=$(field rdb_saves)',
    // Before Redis 7 there is no save counter to wait on: a foreground SAVE, complete when it answers.
    'if [ -z "$saves" ]; then reply=$(redis-cli SAVE); echo "$reply"; [ "$reply" = OK ]; exit; fi',
    'while :; do',
    '  reply=$(redis-cli BGSAVE SCHEDULE); echo "$reply"',
    '  case "$reply" in "Background saving"*) break ;; *"already in progress"*) sleep 0.1 ;; *) exit 1 ;; esac',
    'done',
    // Done once the counter moved and no save runs: a save that ended meanwhile is not enough alone.
    'while :; do',
    '  now=$(field rdb_saves); busy=$(field rdb_bgsave_in_progress)',
    '  [ -n "$now" ] || fail "Redis stopped answering during the save"',
    '  [ "$now" = "$saves" ] || [ "$busy" != 0 ] || break',
    '  sleep 0.1',
    'done',
    '[ "$(field rdb_last_bgsave_status)" = ok ] || fail "the background save failed: see the Redis log"',
    'echo "saved $rdb"',
  ].join('\n')
  return {
    id: 'redis-save',
    service,
    dumpPath: `${target === '/' ? '' : target}/dump.rdb`,
    hooks: [{ phase: 'pre', service, command, timeoutSeconds: DUMP_TIMEOUT_S }],
  }
}

/** The first writable volume the service's snapshots include: where a dump is captured with it. */
function capturedTarget(service: ServiceSpec): string | null {
  const mount = service.volumes.find((v) => v.kind !== 'tmpfs' && !v.readOnly && !v.excludeFromSnapshots)
  return mount === undefined ? null : mount.target
}

/** The presets that fit a service, by the database its image runs; none when it has nowhere to keep a dump. */
export function hookPresetsFor(service: ServiceSpec): HookPreset[] {
  const target = capturedTarget(service)
  const database = databaseOfImage(service.image)
  if (target === null || database === null) return []
  const at = (file: string): string => `${target.replace(/\/+$/, '')}/${file}`
  switch (database) {
    case 'postgres':
    case 'postgis':
    case 'timescaledb':
    case 'pgvector':
      return [
        dumpPreset(
          'postgres-dumpall',
          service.name,
          at(POSTGRES_DUMP_FILE),
          'PGPASSWORD="${POSTGRES_PASSWORD:-}" pg_dumpall --username="${POSTGRES_USER:-postgres}" > "$partial"',
        ),
      ]
    case 'mysql':
    case 'mariadb':
    case 'percona':
      return [
        dumpPreset(
          'mysql-dump',
          service.name,
          at('slipway-dump.sql'),
          'tool=$(command -v mariadb-dump || command -v mysqldump); ' +
            'MYSQL_PWD="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}" "$tool" --user=root ' +
            '--single-transaction --routines --events --all-databases > "$partial"',
        ),
      ]
    case 'mongo':
      return [
        dumpPreset(
          'mongo-dump',
          service.name,
          at('slipway-dump.archive'),
          'if [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then ' +
            'mongodump --quiet --archive="$partial" --authenticationDatabase=admin ' +
            '--username="$MONGO_INITDB_ROOT_USERNAME" --password="$MONGO_INITDB_ROOT_PASSWORD"; ' +
            'else mongodump --quiet --archive="$partial"; fi',
        ),
      ]
    case 'redis':
    case 'valkey':
    case 'keydb':
      return [redisSavePreset(service.name, target.replace(/\/+$/, '') || '/')]
    default:
      return []
  }
}

/**
 * The database dump a snapshot holds, read from the snapshot alone: the PostgreSQL preset's pre
 * hook ran to success in a service and wrote its dump at the root of one of the captured volumes
 * of that service. A restore from it re-checks the service against the current config.
 */
export function dumpInSnapshot(volumes: readonly SnapshotVolume[], runs: readonly HookRun[]): SnapshotDump | null {
  for (const run of runs) {
    if (run.phase !== 'pre' || run.outcome !== 'ok' || !run.command.includes('pg_dumpall')) continue
    for (const volume of volumes) {
      for (const mount of volume.mounts) {
        if (mount.service !== run.service) continue
        const path = `${mount.target.replace(/\/+$/, '')}/${POSTGRES_DUMP_FILE}`
        if (run.command.endsWith(`mv -f "$partial" ${shellQuote(path)}`))
          return { engine: 'postgres', service: run.service, volume: volume.index, file: POSTGRES_DUMP_FILE }
      }
    }
  }
  return null
}
