import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { PassThrough, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../errors'
import type { Logger } from '../../log'
import { classifyStderr, storeError } from './resticErrors'

/** How to reach one repository. Secrets travel only in `env` of the child, never on its command line. */
export interface ResticAccess {
  readonly binary: string
  /** RESTIC_REPOSITORY: may carry REST credentials, so it is an environment value too. */
  readonly repository: string
  readonly password: string
  /** Backend credentials (AWS_*) and what the SFTP bridge needs. */
  readonly env: Readonly<Record<string, string>>
  /** `-o key=value` backend options: never secret. */
  readonly options: readonly string[]
  readonly cacheDir: string
  /** Opened before each run and closed after (the SFTP bridge); its result is kept for the run. */
  readonly session?: () => Promise<ResticSession>
}

export interface ResticSession {
  readonly env: Readonly<Record<string, string>>
  readonly options: readonly string[]
  close(): void
}

export interface RunOptions {
  readonly stdin?: AsyncIterable<Buffer> | Readable
  readonly signal?: AbortSignal
  /** Each JSON line restic prints on stdout (`--json` progress), as it comes. */
  readonly onJson?: (message: Record<string, unknown>) => void
}

const STDERR_KEPT = 64 * 1024
const KILL_AFTER_MS = 5_000

/** Runs restic as a child process, one command at a time, with typed failures. */
export class Restic {
  constructor(
    private readonly access: ResticAccess,
    private readonly log: Logger,
  ) {}

  /** stdout of a command that must succeed, as text. */
  async text(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const chunks: Buffer[] = []
    await this.run(args, options, (stdout) => {
      stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    })
    return Buffer.concat(chunks).toString('utf8')
  }

  async json<T>(args: readonly string[], options: RunOptions = {}): Promise<T> {
    const text = await this.text([...args, '--json'], options)
    try {
      return JSON.parse(text) as T
    } catch (cause) {
      throw new AppError('INTERNAL', 'restic printed something that is not JSON', { cause })
    }
  }

  /** A command whose stdout is line-delimited JSON (backup --json): every line to onJson. */
  async lines(args: readonly string[], options: RunOptions): Promise<void> {
    let rest = ''
    await this.run([...args, '--json'], options, (stdout) => {
      stdout.setEncoding('utf8')
      stdout.on('data', (text: string) => {
        const parts = (rest + text).split('\n')
        rest = parts.pop() ?? ''
        for (const line of parts) this.emitJson(line, options)
      })
      stdout.on('end', () => this.emitJson(rest, options))
    })
  }

  /**
   * stdout as a stream (dump): it fails, instead of ending, when restic exits non-zero, so a
   * consumer can never take a cut-off archive for a complete one.
   */
  stream(args: readonly string[], signal?: AbortSignal): Readable {
    const out = new PassThrough({ highWaterMark: 1 << 20 })
    // A consumer that stops early (it read what it needed, or failed) stops restic too.
    const stop = new AbortController()
    const onAbort = (): void => stop.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    let finished = false
    out.on('close', () => {
      if (!finished) stop.abort()
    })
    this.run(args, { signal: stop.signal }, (stdout) => {
      stdout.pipe(out, { end: false })
    }).then(
      () => {
        finished = true
        signal?.removeEventListener('abort', onAbort)
        out.end()
      },
      (error: unknown) => {
        finished = true
        signal?.removeEventListener('abort', onAbort)
        out.destroy(error instanceof Error ? error : new Error(String(error)))
      },
    )
    return out
  }

  private emitJson(line: string, options: RunOptions): void {
    const trimmed = line.trim()
    if (trimmed === '' || options.onJson === undefined) return
    try {
      options.onJson(JSON.parse(trimmed) as Record<string, unknown>)
    } catch {
      // Not every line restic prints is JSON (warnings); they are not progress.
    }
  }

  private async run(args: readonly string[], options: RunOptions, onStdout: (stdout: Readable) => void): Promise<void> {
    if (options.signal?.aborted === true) throw new AppError('CANCELLED', 'restic run cancelled')
    const session = this.access.session === undefined ? null : await this.access.session()
    try {
      await this.runChild(args, options, onStdout, session)
    } finally {
      session?.close()
    }
  }

  private runChild(
    args: readonly string[],
    options: RunOptions,
    onStdout: (stdout: Readable) => void,
    session: ResticSession | null,
  ): Promise<void> {
    const argv = [...[...this.access.options, ...(session?.options ?? [])].flatMap((o) => ['-o', csvField(o)]), ...args]
    const started = performance.now()
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcessWithoutNullStreams
      try {
        child = spawn(this.access.binary, argv, { env: this.childEnv(session?.env ?? {}), stdio: 'pipe' })
      } catch (error) {
        reject(storeError('restic_missing', '', error))
        return
      }
      let stderr = ''
      let settled = false
      let cancelled = false
      const settle = (error: unknown): void => {
        if (settled) return
        settled = true
        options.signal?.removeEventListener('abort', onAbort)
        if (error === null) resolve()
        else reject(error instanceof Error ? error : new Error('restic failed', { cause: error }))
      }
      const onAbort = (): void => {
        cancelled = true
        child.kill('SIGINT')
        setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS).unref()
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      child.stderr.setEncoding('utf8')
      child.stderr.on('data', (text: string) => {
        stderr = (stderr + text).slice(-STDERR_KEPT)
      })
      onStdout(child.stdout)
      child.on('error', (error: NodeJS.ErrnoException) =>
        settle(storeError(error.code === 'ENOENT' ? 'restic_missing' : 'failed', '', error)),
      )
      if (options.stdin === undefined) child.stdin.end()
      else
        pipeline(options.stdin, child.stdin).catch((error: unknown) => {
          // restic closing its stdin early (it failed) is reported by its exit; anything else stops it.
          if ((error as NodeJS.ErrnoException).code !== 'EPIPE') {
            child.kill('SIGINT')
            settle(error)
          }
        })
      child.on('close', (code, signal) => {
        const ms = Math.round(performance.now() - started)
        if (cancelled) {
          settle(new AppError('CANCELLED', 'restic run cancelled'))
        } else if (code === 0) {
          this.log.debug('restic ran', { command: args[0], ms })
          settle(null)
        } else {
          const scrubbed = this.scrub(stderr)
          const failure = classifyStderr(scrubbed)
          this.log.warn('restic failed', { command: args[0], code, signal, failure, stderr: scrubbed.slice(-2000), ms })
          settle(storeError(failure, scrubbed))
        }
      })
    })
  }

  private childEnv(sessionEnv: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    const inherited: Record<string, string> = {}
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'LOCALAPPDATA', 'USERPROFILE']) {
      const value = process.env[name]
      if (value !== undefined) inherited[name] = value
    }
    return {
      ...inherited,
      ...this.access.env,
      ...sessionEnv,
      RESTIC_REPOSITORY: this.access.repository,
      RESTIC_PASSWORD: this.access.password,
      RESTIC_CACHE_DIR: this.access.cacheDir,
      RESTIC_PROGRESS_FPS: '2',
    }
  }

  /** No secret reaches the log, even if restic repeats one (a URL with credentials). */
  private scrub(text: string): string {
    let out = text
    const secrets = [this.access.password, this.access.repository, ...Object.values(this.access.env)].filter(
      (s) => s.length >= 4,
    )
    for (const secret of secrets) out = out.split(secret).join('[secret]')
    return out
  }
}

/** restic reads each `-o` value as one CSV record (a string-slice flag): quotes and commas need CSV quoting. */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
