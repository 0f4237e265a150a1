import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hookPresetsFor, shellQuote } from '../../src/shared/hookPresets'
import { serviceSpec } from '../helpers/workloadSpecs'

const volume = (target: string, extra: Record<string, unknown> = {}) => ({
  kind: 'volume' as const,
  source: 'data',
  target,
  ...extra,
})

const svc = (name: string, image: string, volumes: unknown[]) =>
  serviceSpec({ name, image, command: null, env: [], ports: [], restart: 'no', volumes } as Parameters<
    typeof serviceSpec
  >[0])

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Runs a hook's command under a real /bin/sh with `tools` (name → script) first on PATH. */
function runHook(command: string, tools: Record<string, string>, env: Record<string, string>): { code: number } {
  const bin = mkdtempSync(join(tmpdir(), 'slipway-preset-bin-'))
  dirs.push(bin)
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  try {
    execFileSync('/bin/sh', ['-c', command], {
      env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
      stdio: 'ignore',
    })
    return { code: 0 }
  } catch (error) {
    return { code: (error as { status: number }).status }
  }
}

describe('database hook presets', () => {
  it('are offered by the image, in the first captured writable volume, and not without one', () => {
    const pg = svc('db', 'docker.io/library/postgres:16-alpine', [
      volume('/ro', { readOnly: true }),
      volume('/skip', { excludeFromSnapshots: true }),
      volume('/pg/'),
    ])
    expect(hookPresetsFor(pg).map((p) => [p.id, p.dumpPath])).toEqual([['postgres-dumpall', '/pg/slipway-dump.sql']])
    expect(hookPresetsFor(svc('db', 'postgres:16', []))).toEqual([])
    expect(hookPresetsFor(svc('web', 'nginx', [volume('/x')]))).toEqual([])
    expect(
      ['mariadb:11', 'mongo:7', 'redis:7', 'valkey/valkey:8'].map(
        (image) => hookPresetsFor(svc('s', image, [volume('/data')]))[0]?.id,
      ),
    ).toEqual(['mysql-dump', 'mongo-dump', 'redis-save', 'redis-save'])
  })

  it('shellQuote survives every quote a path can hold', () => {
    const path = `/data/it's "odd" $HOME \`x\``
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' })).toBe(path)
  })

  it('the PostgreSQL dump appears only when pg_dumpall succeeded, with the container’s own credentials', () => {
    const data = mkdtempSync(join(tmpdir(), 'slipway-preset-data-'))
    dirs.push(data)
    const [preset] = hookPresetsFor(svc('db', 'postgres:16', [{ kind: 'bind', source: data, target: data }]))
    const [pre, post] = preset?.hooks ?? []
    const dump = join(data, 'slipway-dump.sql')
    // The tool sees the user and password from the environment, never from Slipway's text.
    expect(pre?.command).not.toContain('s3cret')
    const ok = runHook(
      pre?.command ?? '',
      { pg_dumpall: 'echo "-- $* $PGPASSWORD"' },
      {
        POSTGRES_USER: 'app',
        POSTGRES_PASSWORD: 's3cret',
      },
    )
    expect(ok.code).toBe(0)
    expect(readFileSync(dump, 'utf8').trim()).toBe('-- --username=app s3cret')
    // A dump that fails half-way never replaces a good one under the final name, and fails the hook.
    const failed = runHook(pre?.command ?? '', { pg_dumpall: 'echo partial; exit 1' }, {})
    expect(failed.code).not.toBe(0)
    expect(readFileSync(dump, 'utf8').trim()).toBe('-- --username=app s3cret')
    runHook(post?.command ?? '', {}, {})
    expect(existsSync(dump)).toBe(false)
    expect(existsSync(`${dump}.partial`)).toBe(false)
  })

  it('the Redis preset waits for its own background save, and refuses where the RDB is not what a restore loads', () => {
    const [preset] = hookPresetsFor(svc('cache', 'redis:7', [volume('/data/')]))
    expect(preset?.dumpPath).toBe('/data/dump.rdb')
    const command = preset?.hooks[0]?.command ?? ''
    const state = mkdtempSync(join(tmpdir(), 'slipway-preset-redis-'))
    dirs.push(state)
    // A redis-cli answering as Redis 7 does; the save counter moves only when BGSAVE ran.
    const redisCli = `saves="${state}/saves"
[ -z "$NEED_AUTH" ] || [ "$REDISCLI_AUTH" = "$NEED_AUTH" ] || { echo "NOAUTH Authentication required."; exit 0; }
case "$1 $2" in
  "PING ") echo PONG ;;
  "CONFIG GET") echo "$3"; case "$3" in dir) echo "\${DIR:-/data}" ;; dbfilename) echo dump.rdb ;; appendonly) echo "\${AOF:-no}" ;; esac ;;
  "INFO persistence") [ -n "$OLD" ] || printf 'rdb_saves:%s\\r\\n' "$(cat "$saves" 2>/dev/null || echo 0)"
    printf 'rdb_bgsave_in_progress:0\\r\\nrdb_last_bgsave_status:%s\\r\\n' "\${STATUS:-ok}" ;;
  "BGSAVE SCHEDULE") echo $(( $(cat "$saves" 2>/dev/null || echo 0) + 1 )) > "$saves"; echo "Background saving started" ;;
  "SAVE ") echo "\${SAVE:-OK}" ;;
esac`
    const run = (env: Record<string, string>) => runHook(command, { 'redis-cli': redisCli }, env).code
    expect(run({})).toBe(0)
    expect(readFileSync(join(state, 'saves'), 'utf8').trim()).toBe('1')
    expect(run({ NEED_AUTH: 'pw', REDIS_PASSWORD: 'pw' })).toBe(0)
    expect(run({ NEED_AUTH: 'pw' })).toBe(3)
    expect(run({ AOF: 'yes' })).toBe(3)
    expect(run({ DIR: '/var/lib/redis' })).toBe(3)
    expect(run({ DIR: '/data-other' })).toBe(3)
    expect(run({ STATUS: 'err' })).toBe(3)
    // Before Redis 7: a foreground SAVE, which must answer OK.
    expect(run({ OLD: '1' })).toBe(0)
    expect(run({ OLD: '1', SAVE: 'ERR' })).not.toBe(0)
    // Only the three runs that got past every check started a background save.
    expect(readFileSync(join(state, 'saves'), 'utf8').trim()).toBe('3')
  })
})
