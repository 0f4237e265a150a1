import type { ConnectionTest } from '../../shared/types/hosts'
import type { EngineRoles } from '../docker/engine'
import { readEngineFacts } from '../docker/engineFacts'

/**
 * Engine facts, round-trip latency, and whether this user may create containers — tried for real
 * with a container that is created from an image already on the host and removed at once, never
 * started. No image on the host: it cannot be told (null).
 */
export async function testConnection({ inspector, helpers }: EngineRoles): Promise<ConnectionTest> {
  const started = performance.now()
  await inspector.ping()
  const latencyMs = Math.round((performance.now() - started) * 10) / 10
  const engine = await readEngineFacts(inspector)
  const images = await inspector.listImages()
  const image = images.find((i) => i.RepoTags?.some((tag) => tag !== '<none>:<none>'))?.Id ?? images[0]?.Id
  return { engine, latencyMs, canCreateContainers: image === undefined ? null : await helpers.canCreate(image) }
}
