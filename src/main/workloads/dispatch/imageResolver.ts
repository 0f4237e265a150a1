import type Dockerode from 'dockerode'
import type { DeployErrorCode } from '../../../shared/types/workloads'

export class DeployFailure extends Error {
  constructor(
    readonly code: DeployErrorCode,
    options?: { cause?: unknown },
  ) {
    super(`deploy failed: ${code}`, options)
    this.name = 'DeployFailure'
  }
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode

async function inspectImageId(docker: Dockerode, ref: string): Promise<string | null> {
  try {
    return (await docker.getImage(ref).inspect()).Id
  } catch (error) {
    if (statusOf(error) === 404) return null
    throw error
  }
}

/**
 * The image id to run: a pinned id must still be on the host (no pull can bring back an exact id);
 * a reference is pulled only when it is not present.
 */
export async function resolveImage(
  docker: Dockerode,
  ref: string,
  pinnedId: string | null,
  onPull: (done: number, total: number | null) => void,
): Promise<string> {
  if (pinnedId !== null) {
    const id = await inspectImageId(docker, pinnedId)
    if (id === null) throw new DeployFailure('image_gone')
    return id
  }
  const present = await inspectImageId(docker, ref)
  if (present !== null) return present
  await pull(docker, ref, onPull)
  const pulled = await inspectImageId(docker, ref)
  if (pulled === null) throw new DeployFailure('image_missing')
  return pulled
}

interface PullEvent {
  id?: string
  error?: string
  progressDetail?: { current?: number; total?: number }
}

async function pull(
  docker: Dockerode,
  ref: string,
  onPull: (done: number, total: number | null) => void,
): Promise<void> {
  let stream: NodeJS.ReadableStream
  try {
    stream = await docker.pull(ref)
  } catch (error) {
    const status = statusOf(error)
    throw new DeployFailure(status === 404 ? 'image_missing' : 'pull_failed', { cause: error })
  }
  const layers = new Map<string, { current: number; total: number }>()
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: PullEvent[]) => {
        const failed = events.find((e) => e.error !== undefined)
        if (error !== null || failed !== undefined)
          reject(new DeployFailure('pull_failed', { cause: error ?? failed?.error }))
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
        onPull(done, total)
      },
    )
  })
}
