import type Dockerode from 'dockerode'
import { Writable } from 'node:stream'
import type { ContainerExec, ExecOutcome, ExecRequest } from './engine'
import { waitForExitCode } from './execExitCode'

/** After SIGTERM, how long the command may take to exit before SIGKILL. */
const KILL_GRACE_MS = 5_000

const PID_MARK = 'slipway-exec-pid:'

/**
 * The command runs exactly as `sh -c` would run it; the wrapper only tells us its pid inside the
 * container first (on stderr), so a timeout can signal it and every process it started.
 */
const WRAPPER = `printf '${PID_MARK}%s\\n' "$$" >&2; exec /bin/sh -c "$1"`

/**
 * Signals a process and all its descendants inside the container, found through /proc (no
 * `pkill` or process groups needed: any image with a POSIX shell will do). A comm with spaces or
 * parentheses is skipped over by cutting at the last ") ".
 */
const KILL_TREE = `sig=$1; all=$2; frontier=$2
while [ -n "$frontier" ]; do
  next=
  for s in /proc/[0-9]*/stat; do
    read -r line < "$s" 2>/dev/null || continue
    rest=\${line##*) }
    set -- $rest
    for f in $frontier; do
      if [ "$2" = "$f" ]; then p=\${s#/proc/}; next="$next \${p%/stat}"; fi
    done
  done
  all="$all$next"; frontier=$next
done
kill -"$sig" $all 2>/dev/null
exit 0`

/** Keeps the last `limit` bytes of what is written to it, stdout and stderr in arrival order. */
class OutputTail {
  private chunks: Buffer[] = []
  private size = 0
  truncated = false

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer
      const excess = this.size - this.limit
      this.truncated = true
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
      } else {
        this.chunks[0] = first.subarray(excess)
        this.size -= excess
      }
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

function sink(onChunk: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      onChunk(chunk)
      callback()
    },
  })
}

async function signalTree(container: Dockerode.Container, pid: number, signal: 'TERM' | 'KILL'): Promise<void> {
  const exec = await container.exec({
    Cmd: ['/bin/sh', '-c', KILL_TREE, 'slipway-kill', signal, String(pid)],
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  })
  const stream = (await exec.start({ Detach: false, Tty: false })) as NodeJS.ReadableStream
  stream.resume()
  await new Promise((resolve) => stream.on('end', resolve).on('close', resolve).on('error', resolve))
}

export function dockerodeExec(docker: Dockerode): ContainerExec {
  return {
    run: async (request: ExecRequest): Promise<ExecOutcome> => {
      const container = docker.getContainer(request.containerId)
      const exec = await container.exec({
        Cmd: ['/bin/sh', '-c', WRAPPER, 'slipway-exec', request.command],
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      })
      const stream = (await exec.start({ Detach: false, Tty: false })) as NodeJS.ReadableStream
      const output = new OutputTail(request.maxOutputBytes)
      let pid: number | null = null
      // stderr up to its first newline, until that line has been read (null after).
      const waiting: { head: Buffer | null } = { head: Buffer.alloc(0) }
      const stdout = sink((chunk) => output.push(chunk))
      const stderr = sink((chunk) => {
        if (waiting.head === null) return output.push(chunk)
        waiting.head = Buffer.concat([waiting.head, chunk])
        const newline = waiting.head.indexOf(0x0a)
        if (newline < 0) {
          // Not the wrapper's line after all (the shell could not even start): plain output.
          if (waiting.head.length > 256) {
            output.push(waiting.head)
            waiting.head = null
          }
          return
        }
        const first = waiting.head.subarray(0, newline).toString('utf8')
        const told = first.startsWith(PID_MARK) ? Number(first.slice(PID_MARK.length)) : NaN
        if (Number.isInteger(told) && told > 0) pid = told
        else output.push(waiting.head.subarray(0, newline + 1))
        const rest = waiting.head.subarray(newline + 1)
        waiting.head = null
        if (rest.length > 0) output.push(rest)
      })
      docker.modem.demuxStream(stream, stdout, stderr)
      const ended = new Promise<void>((resolve) => {
        stream
          .on('end', resolve)
          .on('close', resolve)
          .on('error', () => resolve())
      })
      const state = { finished: false }
      void ended.then(() => (state.finished = true))
      let timedOut = false
      let cancelled = false
      let abandon = (): void => undefined
      const abandoned = new Promise<void>((resolve) => (abandon = resolve))
      // TERM, then KILL after a grace; a command that outlives even that (or never told its pid)
      // is left to itself: the caller stops waiting for it.
      const cutOff = async (): Promise<void> => {
        if (pid !== null) {
          await signalTree(container, pid, 'TERM').catch(() => undefined)
          await Promise.race([ended, delay(KILL_GRACE_MS)])
          if (!state.finished) await signalTree(container, pid, 'KILL').catch(() => undefined)
        }
        await Promise.race([ended, delay(KILL_GRACE_MS)])
        abandon()
      }
      const timer = setTimeout(() => {
        timedOut = true
        void cutOff()
      }, request.timeoutMs)
      const onAbort = (): void => {
        cancelled = true
        void cutOff()
      }
      request.signal?.addEventListener('abort', onAbort, { once: true })
      if (request.signal?.aborted === true) onAbort()
      try {
        await Promise.race([ended, abandoned])
      } finally {
        clearTimeout(timer)
        request.signal?.removeEventListener('abort', onAbort)
      }
      if (waiting.head !== null && waiting.head.length > 0) output.push(waiting.head)
      if (!state.finished) (stream as unknown as { destroy(): void }).destroy()
      const exitCode = state.finished ? await waitForExitCode(exec) : null
      return { exitCode, timedOut, cancelled, output: output.text(), truncated: output.truncated }
    },
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
