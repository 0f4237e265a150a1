import type { EngineInspector } from '../../docker/engine'
import { LABELS } from './labels'

export interface ServiceContainer {
  readonly id: string
  readonly name: string
  readonly service: string
  /** The deploy that created it. */
  readonly deploy: string
  readonly running: boolean
  readonly imageId: string
  readonly image: string
  readonly state: string
  readonly status: string
  readonly created: number
}

/** Every container labelled for the workload, oldest first. */
export async function labelledContainers(engine: EngineInspector, workloadId: string): Promise<ServiceContainer[]> {
  const list = await engine.listContainers({ all: true, labels: [`${LABELS.workload}=${workloadId}`] })
  return list
    .map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      service: c.Labels[LABELS.service] ?? '',
      deploy: c.Labels[LABELS.deploy] ?? '',
      running: c.State === 'running',
      imageId: c.ImageID,
      image: c.Image,
      state: c.State,
      status: c.Status,
      created: c.Created,
    }))
    .sort((a, b) => a.created - b.created)
}

/**
 * The container that is a service's current one: the running one, else the newest. Others are
 * leftovers of an interrupted deploy, removed by the next successful one.
 */
export function currentByService(containers: readonly ServiceContainer[]): Map<string, ServiceContainer> {
  const current = new Map<string, ServiceContainer>()
  for (const c of containers) {
    const seen = current.get(c.service)
    if (seen === undefined || (!seen.running && (c.running || c.created >= seen.created))) current.set(c.service, c)
  }
  return current
}
