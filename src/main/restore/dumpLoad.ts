/**
 * Restoring a database from the dump a snapshot holds: a throw-away copy of the database's
 * container (its image, env, user and command; no network) starts on the emptied, staged data
 * folder, initialises a fresh database there as the image does on first start, loads the dump,
 * and shuts down cleanly. The live app runs on meanwhile; nothing live is touched.
 *
 *   start copy → until ready (its final server, not an init-time one) → load → clean shutdown
 */
import { posix } from 'node:path'
import type { SnapshotDump } from '../../shared/types/snapshots'
import type { CopySpec, EngineRoles, HelperMount } from '../docker/engine'
import { AppError } from '../errors'
import type { Logger } from '../log'
import { currentByService, labelledContainers } from '../workloads/dispatch/workloadContainers'
import type { WorkloadRecord } from '../workloads/workloadStore'
import type { RestoreTarget } from './restorePlan'

/** Where the dump's folder is mounted, read-only, inside the copy. */
const DUMP_MOUNT = '/slipway-dump'
const READY_POLL_MS = 1_000
const READY_TIMEOUT_MS = 10 * 60_000
const LOAD_TIMEOUT_MS = 6 * 60 * 60_000
const STOP_TIMEOUT_S = 300
const OUTPUT_BYTES = 64 * 1024
/** Mounts the copy leaves out: the image's init scripts would run on the fresh database before the load. */
const INIT_SCRIPTS = '/docker-entrypoint-initdb.d'

export interface DumpLoadPlan {
  readonly dump: SnapshotDump
  readonly target: RestoreTarget
  /** The database's folder relative to the volume's root ('' for the root itself). */
  readonly dataDir: string
  /** The copy without its data and dump mounts (those are the staged folder's). */
  readonly copy: Omit<CopySpec, 'mounts'> & { readonly readOnlyMounts: readonly HelperMount[] }
}

const refuse = (reason: string): AppError =>
  new AppError('CONFLICT', `restore from dump: ${reason}`, { details: { reason } })

const failed = (reason: string, cause?: unknown): AppError =>
  new AppError('CONFLICT', `restore from dump: ${reason}`, { details: { reason }, cause })

/**
 * At pre-flight, from the current config and the running container: which staged volume gets the
 * fresh database, where the database keeps its files in it, and the container to copy.
 */
export async function planDumpLoad(
  engine: EngineRoles,
  workload: WorkloadRecord,
  dump: SnapshotDump,
  targets: readonly RestoreTarget[],
): Promise<DumpLoadPlan> {
  const target = targets.find((t) => t.index === dump.volume)
  const service = workload.services.find((s) => s.name === dump.service)
  if (target === undefined || service === undefined) throw refuse('config_drift')
  const mount = service.volumes.find((v) => v.target === target.target)
  if (mount === undefined) throw refuse('config_drift')
  const running = currentByService(await labelledContainers(engine.inspector, workload.id)).get(dump.service)
  if (running?.running !== true) throw refuse('dump_service_not_running')
  const details = await engine.inspector.inspectContainer(running.id)
  if (details === null) throw refuse('dump_service_not_running')
  // The engine leaves out what a container does not set (no env, no user): every field may be missing.
  const config = details.Config as Partial<typeof details.Config> & { StopSignal?: string }
  const env = config.Env ?? []
  const pgdata = env.find((e) => e.startsWith('PGDATA='))?.slice('PGDATA='.length) || '/var/lib/postgresql/data'
  const dataDir = relativeInside(target.target, pgdata)
  if (dataDir === null) throw refuse('dump_not_in_data_volume')
  const mounts = details.Mounts as typeof details.Mounts | undefined
  const readOnlyMounts: HelperMount[] = (mounts ?? [])
    .filter((m) => m.Type === 'bind' && !m.RW && m.Destination !== target.target)
    .filter((m) => m.Destination !== INIT_SCRIPTS && !m.Destination.startsWith(`${INIT_SCRIPTS}/`))
    .map((m) => ({ kind: 'bind', source: m.Source, target: m.Destination, readOnly: true }))
  return {
    dump,
    target,
    dataDir,
    copy: {
      image: details.Image,
      env,
      user: config.User ?? '',
      workingDir: config.WorkingDir ?? '',
      entrypoint: asList(config.Entrypoint),
      cmd: asList(config.Cmd),
      stopSignal: config.StopSignal ?? null,
      readOnlyMounts,
    },
  }
}

/** Runs the copy on the staged folder and loads the dump into it; resolves once it has shut down cleanly. */
export async function loadDump(
  engine: EngineRoles,
  plan: DumpLoadPlan,
  paths: { readonly staged: string; readonly dumpFolder: string },
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const spec: CopySpec = {
    ...plan.copy,
    mounts: [
      { kind: 'bind', source: paths.staged, target: plan.target.target, readOnly: false },
      { kind: 'bind', source: paths.dumpFolder, target: DUMP_MOUNT, readOnly: true },
      ...plan.copy.readOnlyMounts,
    ],
  }
  await engine.helpers.withCopy(spec, async (copy) => {
    const logged = async (reason: string): Promise<AppError> => {
      // Its output may name the app's data: the log has it, the error has only the reason.
      log.error('restore from dump failed', { reason, output: await copy.logTail(40).catch(() => '') })
      return failed(reason)
    }
    // Phase: until its final server is up (an image's init may run a temporary one first).
    for (const deadline = Date.now() + READY_TIMEOUT_MS; ;) {
      signal.throwIfAborted()
      if ((await copy.exitCode()) !== null) throw await logged('dump_server_exited')
      const ready = await engine.exec.run({
        containerId: copy.id,
        command: READY,
        timeoutMs: 30_000,
        maxOutputBytes: 1024,
      })
      if (ready.exitCode === 0) break
      if (Date.now() > deadline) throw await logged('dump_server_not_ready')
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS))
    }
    // Phase: the load, as the container's own user with its own credentials.
    const loaded = await engine.exec.run({
      containerId: copy.id,
      command: LOAD,
      timeoutMs: LOAD_TIMEOUT_MS,
      maxOutputBytes: OUTPUT_BYTES,
      signal,
    })
    if (loaded.exitCode !== 0) {
      log.error('the dump did not load', {
        exitCode: loaded.exitCode,
        timedOut: loaded.timedOut,
        output: loaded.output,
      })
      throw failed(loaded.timedOut ? 'dump_load_timeout' : 'dump_load_failed')
    }
    // Phase: a clean shutdown, so the folder holds a database that needs no recovery.
    const code = await copy.stop(STOP_TIMEOUT_S)
    if (code !== 0) throw await logged('dump_server_shutdown')
  })
}

/** `path` relative to `root` when it is `root` or inside it; null otherwise. */
export function relativeInside(root: string, path: string): string | null {
  const r = posix.normalize(root).replace(/\/+$/, '')
  const p = posix.normalize(path).replace(/\/+$/, '')
  if (p === r) return ''
  return p.startsWith(`${r}/`) ? p.slice(r.length + 1) : null
}

function asList(value: string | string[] | undefined | null): string[] | null {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? [value] : value
}

/** PID 1 is the server itself (an entrypoint that ran init has exec'd it) and it accepts connections. */
export const READY = '[ "$(cat /proc/1/comm 2>/dev/null)" = postgres ] && pg_isready -q'

/**
 * The fresh server already has the bootstrap role and database that the image made from the
 * same env; the dump makes both again: the role's one `CREATE ROLE` line is left out (its
 * `ALTER ROLE` restores its attributes and password), and the database is dropped first.
 * Every other statement must succeed (ON_ERROR_STOP). Credentials come from the container's env.
 */
export const LOAD = `set -u
user="\${POSTGRES_USER:-postgres}"
db="\${POSTGRES_DB:-$user}"
export PGPASSWORD="\${POSTGRES_PASSWORD:-}"
run_psql() { psql -X -q -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres "$@"; }
if [ "$db" != postgres ]; then
  quoted=$(printf '%s' "$db" | sed 's/"/""/g')
  run_psql -c "DROP DATABASE IF EXISTS \\"$quoted\\"" >/dev/null || exit 10
fi
R1="CREATE ROLE $user;"
R2="CREATE ROLE \\"$(printf '%s' "$user" | sed 's/"/""/g')\\";"
export R1 R2
rc=$(mktemp)
{ awk 'skip || ($0 != ENVIRON["R1"] && $0 != ENVIRON["R2"]) { print; next } { skip = 1 }' ${DUMP_MOUNT}/dump; echo $? > "$rc"; } |
  run_psql >/dev/null
r=$?
a=$(cat "$rc"); rm -f "$rc"
[ "$a" = 0 ] || exit 11
exit "$r"`
