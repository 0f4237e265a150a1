import type Dockerode from 'dockerode'
import type { Readable } from 'node:stream'
import { demux, withHelper, withHelperContainer, type HelperMount, type ScriptResult } from './helperContainer'

/** One running root helper for a whole job: each step is an exec (tens of ms), not a container (hundreds). */
export interface HelperSession {
  run(script: string, args: readonly string[]): Promise<ScriptResult>
  /**
   * Extracts `tar` at `path`. The engine extracts into one container at a time, so uploads on
   * different lanes (0 to lanes - 1) go to different containers and run side by side.
   */
  putArchive(tar: Readable, path: string, signal: AbortSignal, lane?: number): Promise<void>
}

/** How long a finished exec may take to report its exit code (a busy engine, just after a big sync). */
const EXIT_CODE_WAIT_MS = 30_000
const EXIT_CODE_POLL_MS = 10

/**
 * Starts a labelled, network-less helper with `mounts` that idles until `work` is done, then
 * removes it. A crash leaves it running: the start-up and reconnect sweeps remove it.
 */
export async function withHelperSession<T>(
  docker: Dockerode,
  image: string,
  mounts: readonly HelperMount[],
  work: (session: HelperSession) => Promise<T>,
  lanes = 1,
): Promise<T> {
  // PID 1 in a container ignores SIGTERM; the helper is removed with force (SIGKILL) anyway.
  const idle = { Entrypoint: ['/bin/sh', '-c'], Cmd: ['while :; do sleep 3600; done'] }
  return withHelper(docker, image, mounts, idle, async (container) => {
    await container.start()
    return withLanes(docker, image, mounts, lanes - 1, async (extra) => {
      const targets = [container, ...extra]
      return work({
        run: (script, args) => execScript(container, script, args),
        putArchive: async (tar, path, signal, lane = 0) => {
          const target = targets[lane]
          if (target === undefined) throw new Error(`no upload lane ${lane}`)
          await target.putArchive(tar, { path, abortSignal: signal })
        },
      })
    })
  })
}

/** `count` more helpers for uploads, created (never started) before `work` and removed after it. */
async function withLanes<T>(
  docker: Dockerode,
  image: string,
  mounts: readonly HelperMount[],
  count: number,
  work: (containers: Dockerode.Container[]) => Promise<T>,
  made: Dockerode.Container[] = [],
): Promise<T> {
  if (made.length >= count) return work(made)
  return withHelperContainer(docker, image, mounts, (container) =>
    withLanes(docker, image, mounts, count, work, [...made, container]),
  )
}

async function execScript(
  container: Dockerode.Container,
  script: string,
  args: readonly string[],
): Promise<ScriptResult> {
  const exec = await container.exec({
    Cmd: ['/bin/sh', '-c', script, 'slipway-helper', ...args],
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  })
  const stream = (await exec.start({ Detach: false, Tty: false })) as NodeJS.ReadableStream
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  // The output ends when the script's stdio closes; the engine records the exit code just after.
  const deadline = Date.now() + EXIT_CODE_WAIT_MS
  for (;;) {
    const info = (await exec.inspect()) as { Running: boolean; ExitCode: number | null }
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, ...demux(Buffer.concat(chunks)) }
    if (Date.now() > deadline) throw new Error('the helper exec did not report an exit code')
    await new Promise((resolve) => setTimeout(resolve, EXIT_CODE_POLL_MS))
  }
}
