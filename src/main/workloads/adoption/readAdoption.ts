/** What an adoption takes over and records, read from the engine before anything changes. */
import type { AdoptionPreview, ServiceSpec } from '../../../shared/types/workloads'
import type { ContainerDetails, EngineInspector } from '../../docker/engine'
import { AppError } from '../../errors'
import { COMPOSE_PROJECT, COMPOSE_SERVICE, LABELS } from '../dispatch/labels'
import { readResources } from './readResources'
import { readServiceSpec } from './readServiceSpec'

export interface Adoption extends AdoptionPreview {
  /** The unmanaged container each service replaces. */
  readonly replaces: ReadonlyMap<string, string>
}

export async function readAdoption(
  inspector: EngineInspector,
  kind: 'container' | 'compose',
  key: string,
): Promise<Adoption> {
  const ids =
    kind === 'container'
      ? [key]
      : (await inspector.listContainers({ all: true, labels: [`${COMPOSE_PROJECT}=${key}`] })).map((c) => c.Id)
  if (ids.length === 0) throw new AppError('NOT_FOUND', 'nothing to adopt')
  const containers: ContainerDetails[] = []
  for (const id of ids) {
    const info = await inspector.inspectContainer(id)
    if (info === null) throw new AppError('NOT_FOUND', 'container vanished')
    if (info.Config.Labels[LABELS.workload] !== undefined) throw new AppError('CONFLICT', 'already managed')
    containers.push(info)
  }
  const serviceOfContainer = new Map(containers.map((c) => [c.Id, serviceName(c)]))
  if (new Set(serviceOfContainer.values()).size !== containers.length)
    throw new AppError('CONFLICT', 'two containers map to one service name', {
      details: { reason: 'duplicate_service' },
    })

  const info = await inspector.info()
  const context = {
    serviceOfContainer,
    multiService: containers.length > 1,
    engine: {
      loggingDriver: info.LoggingDriver ?? 'json-file',
      defaultRuntime: info.DefaultRuntime ?? 'runc',
      cgroupVersion: info.CgroupVersion ?? '1',
    },
    keepContainerName: true,
  }
  const read = await Promise.all(
    containers.map(async (c) => ({
      containerId: c.Id,
      ...readServiceSpec(c, await inspector.inspectImage(c.Image), serviceOfContainer.get(c.Id) ?? '', context),
    })),
  )
  read.sort((a, b) => a.spec.name.localeCompare(b.spec.name))
  const services: ServiceSpec[] = read.map((r) => r.spec)
  const project = kind === 'compose' ? key : (containers[0]?.Config.Labels[COMPOSE_PROJECT] ?? null)
  const resources = await readResources(inspector, services, project)
  return {
    services,
    networks: resources.networks,
    volumes: resources.volumes,
    unsupported: [...read.flatMap((r) => r.unsupported), ...resources.unsupported],
    replaces: new Map(read.map((r) => [r.spec.name, r.containerId])),
  }
}

function serviceName(info: ContainerDetails): string {
  const text = info.Config.Labels[COMPOSE_SERVICE] ?? info.Name
  const cleaned = text
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
  return (cleaned === '' ? 'service' : cleaned).slice(0, 63)
}
