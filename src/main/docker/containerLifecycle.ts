/**
 * The role that changes a workload's containers. Lint lets only the composition root and the
 * dispatch point import this module, and only the dispatch point is handed a ContainerLifecycle:
 * "only the dispatch point creates, starts, stops or removes a workload's containers" holds by
 * construction.
 */
import type Dockerode from 'dockerode'
import type { ContainerCreateSpec } from './engine'
import { statusOf } from './engineErrors'
import { EngineHandle } from './engineHandle'

export interface PullProgress {
  readonly done: number
  readonly total: number
}

export class PullFailed extends Error {
  constructor(
    /** The engine has no such image anywhere it can pull from. */
    readonly missing: boolean,
    options?: { cause?: unknown },
  ) {
    super(missing ? 'image not found' : 'pull failed', options)
    this.name = 'PullFailed'
  }
}

/** Every call is idempotent where the engine allows it: a start of a running container, a stop of a stopped one, a remove of a gone one all succeed. */
export interface ContainerLifecycle {
  /** Creates (never starts) a container; resolves to its id. */
  create(spec: ContainerCreateSpec): Promise<string>
  start(id: string): Promise<void>
  /** The container's stop signal, then SIGKILL after `timeoutSeconds` (default: the container's own stop timeout, else 10 s). */
  stop(id: string, timeoutSeconds?: number): Promise<void>
  /** Force-removes (a running container is killed); anonymous volumes are kept. */
  remove(id: string): Promise<void>
  /** Freezes every process of a running container (cgroup freezer); a paused one stays so. */
  pause(id: string): Promise<void>
  /** Thaws a paused container; one that is not paused is left as it is. */
  unpause(id: string): Promise<void>
  rename(id: string, name: string): Promise<void>
  pull(ref: string, onProgress: (progress: PullProgress) => void): Promise<void>
  removeVolume(name: string): Promise<void>
  /** Creates a network; resolves to its id. */
  createNetwork(spec: NetworkCreateSpec): Promise<string>
  /** Removes a network; a gone one is fine, one that containers still use is refused by the engine. */
  removeNetwork(nameOrId: string): Promise<void>
  /** Attaches a (created or running) container to one more network. */
  connect(network: string, containerId: string, endpoint: EndpointSpec): Promise<void>
  createVolume(spec: VolumeCreateSpec): Promise<void>
}

export interface NetworkCreateSpec {
  readonly Name: string
  readonly Driver?: string
  readonly Options?: Record<string, string>
  readonly Internal: boolean
  readonly Attachable: boolean
  readonly EnableIPv6: boolean
  readonly IPAM?: {
    readonly Driver: string
    readonly Config: { Subnet: string; IPRange?: string; Gateway?: string }[]
    readonly Options: Record<string, string>
  }
  readonly Labels: Record<string, string>
}

export interface EndpointSpec {
  readonly Aliases?: string[]
  readonly IPAMConfig?: { IPv4Address?: string; IPv6Address?: string }
}

export interface VolumeCreateSpec {
  readonly Name: string
  readonly Driver?: string
  readonly DriverOpts?: Record<string, string>
  readonly Labels: Record<string, string>
}

export function lifecycleOf(handle: EngineHandle): ContainerLifecycle {
  return dockerodeLifecycle(EngineHandle.client(handle))
}

/** 304 (already in that state) and, for removals, 404 (already gone) are what was asked for. */
async function tolerating(statuses: readonly number[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call()
  } catch (error) {
    const status = statusOf(error)
    if (status === undefined || !statuses.includes(status)) throw error
  }
}

function dockerodeLifecycle(docker: Dockerode): ContainerLifecycle {
  return {
    create: async (spec) => (await docker.createContainer(spec)).id,
    start: (id) => tolerating([304], () => docker.getContainer(id).start()),
    stop: (id, timeoutSeconds) =>
      tolerating([304], () => docker.getContainer(id).stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds })),
    remove: (id) => tolerating([404], () => docker.getContainer(id).remove({ force: true })),
    pause: async (id) => {
      const container = docker.getContainer(id)
      try {
        await container.pause()
      } catch (error) {
        // 409: already paused (wanted) or not running (not wanted: told as it is).
        if (statusOf(error) !== 409 || !(await container.inspect()).State.Paused) throw error
      }
    },
    unpause: async (id) => {
      const container = docker.getContainer(id)
      try {
        await container.unpause()
      } catch (error) {
        if (statusOf(error) !== 409 || (await container.inspect()).State.Paused) throw error
      }
    },
    rename: async (id, name) => {
      await docker.getContainer(id).rename({ name })
    },
    pull: (ref, onProgress) => pull(docker, ref, onProgress),
    removeVolume: (name) => tolerating([404], () => docker.getVolume(name).remove()),
    createNetwork: async (spec) => (await docker.createNetwork({ ...spec, CheckDuplicate: true })).id,
    removeNetwork: (nameOrId) => tolerating([404], () => docker.getNetwork(nameOrId).remove()),
    connect: async (network, containerId, endpoint) => {
      await docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: endpoint })
    },
    createVolume: async (spec) => {
      await docker.createVolume({ ...spec })
    },
  }
}

interface PullEvent {
  id?: string
  error?: string
  progressDetail?: { current?: number; total?: number }
}

async function pull(docker: Dockerode, ref: string, onProgress: (progress: PullProgress) => void): Promise<void> {
  let stream: NodeJS.ReadableStream
  try {
    stream = await docker.pull(ref)
  } catch (error) {
    throw new PullFailed(statusOf(error) === 404, { cause: error })
  }
  const layers = new Map<string, { current: number; total: number }>()
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: PullEvent[]) => {
        const failed = events.find((e) => e.error !== undefined)
        if (error !== null || failed !== undefined) reject(new PullFailed(false, { cause: error ?? failed?.error }))
        else resolve()
      },
      (event: PullEvent) => {
        if (event.id === undefined || event.progressDetail?.total === undefined) return
        layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total })
        let done = 0
        let total = 0
        for (const layer of layers.values()) {
          done += layer.current
          total += layer.total
        }
        onProgress({ done, total })
      },
    )
  })
}
