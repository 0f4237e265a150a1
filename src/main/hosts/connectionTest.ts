import type Dockerode from 'dockerode'
import { randomBytes } from 'node:crypto'
import type { ConnectionTest } from '../../shared/types/hosts'
import { readEngineFacts } from '../docker/engineFacts'

/**
 * Engine facts, round-trip latency, and whether this user may create containers — tried for real
 * with a container that is created from an image already on the host and removed at once, never
 * started. No image on the host: it cannot be told (null).
 */
export async function testConnection(docker: Dockerode): Promise<ConnectionTest> {
  const started = performance.now()
  await docker.ping()
  const latencyMs = Math.round((performance.now() - started) * 10) / 10
  const engine = await readEngineFacts(docker)
  return { engine, latencyMs, canCreateContainers: await canCreateContainers(docker) }
}

async function canCreateContainers(docker: Dockerode): Promise<boolean | null> {
  const images = await docker.listImages()
  const image = images.find((i) => i.RepoTags?.some((tag) => tag !== '<none>:<none>'))?.Id ?? images[0]?.Id
  if (image === undefined) return null
  try {
    const container = await docker.createContainer({
      Image: image,
      name: `slipway-probe-${randomBytes(6).toString('hex')}`,
      Cmd: ['true'],
      Labels: { 'io.slipway.probe': '1' },
      HostConfig: { NetworkMode: 'none', AutoRemove: false },
      NetworkDisabled: true,
    })
    await container.remove({ force: true })
    return true
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode
    if (status === 401 || status === 403) return false
    throw error
  }
}
