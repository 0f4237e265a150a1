import { PullFailed, type ContainerLifecycle, type PullProgress } from '../../docker/containerLifecycle'
import type { EngineInspector } from '../../docker/engine'
import { DeployFailure } from './deployFailure'

/**
 * The image id to run: a pinned id must still be on the host (no pull can bring back an exact id);
 * a reference is pulled only when it is not present.
 */
export async function resolveImage(
  engine: { readonly inspector: EngineInspector; readonly lifecycle: ContainerLifecycle },
  ref: string,
  pinnedId: string | null,
  onPull: (progress: PullProgress) => void,
): Promise<string> {
  const idOf = async (image: string): Promise<string | null> => (await engine.inspector.inspectImage(image))?.Id ?? null
  if (pinnedId !== null) {
    const id = await idOf(pinnedId)
    if (id === null) throw new DeployFailure('image_gone')
    return id
  }
  const present = await idOf(ref)
  if (present !== null) return present
  try {
    await engine.lifecycle.pull(ref, onPull)
  } catch (error) {
    if (error instanceof PullFailed)
      throw new DeployFailure(error.missing ? 'image_missing' : 'pull_failed', { cause: error })
    throw error
  }
  const pulled = await idOf(ref)
  if (pulled === null) throw new DeployFailure('image_missing')
  return pulled
}
