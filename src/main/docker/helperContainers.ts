import type Dockerode from 'dockerode'
import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import {
  type CopySpec,
  HELPER_LABEL,
  HELPER_RUN_LABEL,
  type HelperContainers,
  type HelperMount,
  type HelperOwner,
  type HelperSession,
  type RunningCopy,
  type ScriptResult,
} from './engine'
import { statusOf } from './engineErrors'
import { waitForExitCode } from './execExitCode'

/**
 * Names of the helpers this process is using, on any host: a sweep (a reconnect, another
 * workload's failed restore) must not remove one from under a capture or restore still at work.
 */
const inUse = new Set<string>()

/** Another installation's helper this old is a crash's leftover (no capture or restore takes a day). */
const FOREIGN_LEFTOVER_AGE_S = 24 * 60 * 60

type Command = Pick<
  Dockerode.ContainerCreateOptions,
  'Entrypoint' | 'Cmd' | 'Env' | 'User' | 'WorkingDir' | 'StopSignal'
>

const NEVER_STARTED: Command = { Cmd: ['/slipway-never-started'] }
/** PID 1 in a container ignores SIGTERM; the helper is removed with force (SIGKILL) anyway. */
const IDLE: Command = { Entrypoint: ['/bin/sh', '-c'], Cmd: ['while :; do sleep 3600; done'] }

export function dockerodeHelpers(docker: Dockerode, owner: HelperOwner): HelperContainers {
  const labels = { [HELPER_LABEL]: owner.installation, [HELPER_RUN_LABEL]: owner.run }
  return {
    withReader: (image, mounts, work) =>
      withHelper(docker, labels, image, mounts, NEVER_STARTED, (container) =>
        work({ read: async (path) => (await container.getArchive({ path })) as unknown as Readable }),
      ),
    withSession: (image, mounts, lanes, work) =>
      withHelper(docker, labels, image, mounts, IDLE, async (container) => {
        await container.start()
        return withLanes(docker, labels, image, mounts, lanes - 1, (extra) => work(sessionOf([container, ...extra])))
      }),
    runScript: (image, mounts, script, args = []) =>
      withHelper(
        docker,
        labels,
        image,
        mounts,
        { Entrypoint: ['/bin/sh', '-c'], Cmd: [script, 'slipway-helper', ...args] },
        async (container) => {
          await container.start()
          const waited: unknown = await container.wait()
          const exitCode = (waited as { StatusCode: number }).StatusCode
          const logs = await container.logs({ stdout: true, stderr: true, follow: false })
          return { exitCode, ...demux(logs) }
        },
      ),
    withCopy: (spec, work) =>
      withHelper(docker, labels, spec.image, spec.mounts, commandOf(spec), async (container) => {
        await container.start()
        return work(runningCopy(container))
      }),
    removeLeftovers: async () => {
      const listed = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } })
      const oldEnough = Date.now() / 1000 - FOREIGN_LEFTOVER_AGE_S
      const leftovers = listed.filter((c) => {
        if (c.Names.some((name) => inUse.has(name.replace(/^\//, '')))) return false
        const maker = c.Labels[HELPER_LABEL]
        // Ours, or made before helpers named their maker ('1'), or another installation's long dead one.
        return maker === owner.installation || maker === '1' || c.Created < oldEnough
      })
      for (const c of leftovers)
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined)
      return leftovers.length
    },
    canCreate: async (image) => {
      try {
        await withHelper(docker, labels, image, [], { Cmd: ['true'] }, async () => undefined)
        return true
      } catch (error) {
        const status = statusOf(error)
        if (status === 401 || status === 403) return false
        throw error
      }
    },
  }
}

/** Creates a labelled, network-less helper with `mounts`, runs `work` on it, and always removes it. */
async function withHelper<T>(
  docker: Dockerode,
  labels: Record<string, string>,
  image: string,
  mounts: readonly HelperMount[],
  command: Command,
  work: (container: Dockerode.Container) => Promise<T>,
): Promise<T> {
  // Marked in use before it exists, so a sweep running meanwhile never takes it for a leftover.
  const name = `slipway-helper-${randomBytes(6).toString('hex')}`
  inUse.add(name)
  let container: Dockerode.Container
  try {
    container = await docker.createContainer({
      Image: image,
      name,
      ...command,
      Labels: labels,
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        Mounts: mounts.map((m) => ({ Type: m.kind, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
      },
    })
  } catch (error) {
    inUse.delete(name)
    throw error
  }
  try {
    return await work(container)
  } finally {
    await container.remove({ force: true, v: false }).catch(() => undefined)
    inUse.delete(name)
  }
}

function commandOf(spec: CopySpec): Command {
  return {
    Env: [...spec.env],
    User: spec.user,
    WorkingDir: spec.workingDir,
    // null keeps the image's own; an empty list would clear it.
    ...(spec.entrypoint === null ? {} : { Entrypoint: [...spec.entrypoint] }),
    ...(spec.cmd === null ? {} : { Cmd: [...spec.cmd] }),
    ...(spec.stopSignal === null ? {} : { StopSignal: spec.stopSignal }),
  }
}

function runningCopy(container: Dockerode.Container): RunningCopy {
  const exitCode = async (): Promise<number | null> => {
    const state = (await container.inspect()).State
    return state.Running || state.Restarting ? null : state.ExitCode
  }
  return {
    id: container.id,
    exitCode,
    stop: async (timeoutS) => {
      await container.stop({ t: timeoutS }).catch((error: unknown) => {
        // 304: it had stopped already.
        if (statusOf(error) !== 304) throw error
      })
      const code = await exitCode()
      if (code === null) throw new Error('the copy did not stop')
      return code
    },
    logTail: async (lines) => {
      const logs = await container.logs({ stdout: true, stderr: true, follow: false, tail: lines })
      const { stdout, stderr } = demux(logs)
      return `${stdout}${stderr}`
    },
  }
}

/** `count` more helpers for uploads, created (never started) before `work` and removed after it. */
async function withLanes<T>(
  docker: Dockerode,
  labels: Record<string, string>,
  image: string,
  mounts: readonly HelperMount[],
  count: number,
  work: (containers: Dockerode.Container[]) => Promise<T>,
  made: Dockerode.Container[] = [],
): Promise<T> {
  if (made.length >= count) return work(made)
  return withHelper(docker, labels, image, mounts, NEVER_STARTED, (container) =>
    withLanes(docker, labels, image, mounts, count, work, [...made, container]),
  )
}

function sessionOf(lanes: readonly Dockerode.Container[]): HelperSession {
  const [main] = lanes
  if (main === undefined) throw new Error('a session needs its helper')
  return {
    run: (script, args) => execScript(main, script, args),
    putArchive: async (tar, path, signal, lane = 0) => {
      const target = lanes[lane]
      if (target === undefined) throw new Error(`no upload lane ${lane}`)
      await target.putArchive(tar, { path, abortSignal: signal })
    },
  }
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
  const exitCode = await waitForExitCode(exec)
  if (exitCode === null) throw new Error('the helper exec did not report an exit code')
  return { exitCode, ...demux(Buffer.concat(chunks)) }
}

/** Splits Docker's multiplexed log frames (8-byte headers) into stdout and stderr. */
export function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset]
    const size = buffer.readUInt32BE(offset + 4)
    const frame = buffer.subarray(offset + 8, offset + 8 + size)
    if (stream === 2) err.push(frame)
    else out.push(frame)
    offset += 8 + size
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}
