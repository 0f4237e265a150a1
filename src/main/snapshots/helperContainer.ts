import type Dockerode from 'dockerode'
import { randomBytes } from 'node:crypto'

export const HELPER_LABEL = 'io.slipway.helper'

/**
 * Names of the helpers this process is using: a sweep (a reconnect, another workload's failed restore) must
 * not remove one from under a capture or restore still at work; the rest are a crash's leftovers.
 */
const inUse = new Set<string>()

export interface HelperMount {
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
}

/** Helper containers a crash left behind: they hold no state, so removing them loses nothing. */
export async function removeLeftoverHelpers(docker: Dockerode): Promise<number> {
  const listed = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } })
  const leftovers = listed.filter((c) => !c.Names.some((name) => inUse.has(name.replace(/^\//, ''))))
  for (const c of leftovers)
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined)
  return leftovers.length
}

/**
 * A container that is created and never started, only so the engine reads (or writes) its volumes
 * through the archive API as root: the SSH user's own file permissions never matter. Its image
 * just has to be on the host; nothing in it runs.
 */
export async function withHelperContainer<T>(
  docker: Dockerode,
  image: string,
  mounts: readonly HelperMount[],
  work: (container: Dockerode.Container) => Promise<T>,
): Promise<T> {
  return withHelper(docker, image, mounts, { Cmd: ['/slipway-never-started'] }, work)
}

/** Creates a labelled, network-less helper with `mounts`, runs `work` on it, and always removes it. */
export async function withHelper<T>(
  docker: Dockerode,
  image: string,
  mounts: readonly HelperMount[],
  command: Pick<Dockerode.ContainerCreateOptions, 'Entrypoint' | 'Cmd'>,
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
      Labels: { [HELPER_LABEL]: '1' },
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

export interface ScriptResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a short POSIX shell script as root in a throw-away helper container (network off), with
 * host folders mounted: how Slipway renames, syncs and measures on a host without relying on the
 * SSH user's permissions. The helper image needs /bin/sh and the usual tools (busybox is enough).
 */
export async function runHelperScript(
  docker: Dockerode,
  image: string,
  mounts: readonly HelperMount[],
  script: string,
  args: readonly string[] = [],
): Promise<ScriptResult> {
  return withHelper(
    docker,
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
  )
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
