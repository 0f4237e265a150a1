import type Dockerode from 'dockerode'
import { randomBytes } from 'node:crypto'

export const HELPER_LABEL = 'io.slipway.helper'

export interface HelperMount {
  readonly kind: 'bind' | 'volume'
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
}

/** Helper containers a crash left behind: never started, so removing them loses nothing. */
export async function removeLeftoverHelpers(docker: Dockerode): Promise<number> {
  const leftovers = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } })
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
  const container = await docker.createContainer({
    Image: image,
    name: `slipway-helper-${randomBytes(6).toString('hex')}`,
    Cmd: ['/slipway-never-started'],
    Labels: { [HELPER_LABEL]: '1' },
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: mounts.map((m) => ({ Type: m.kind, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
    },
  })
  try {
    return await work(container)
  } finally {
    await container.remove({ force: true, v: false }).catch(() => undefined)
  }
}
