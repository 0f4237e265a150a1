import type { ContainerCreateSpec } from '../../docker/engine'
import type { ServiceSpec } from '../../../shared/types/workloads'
import { LABELS } from './labels'

export function containerName(workloadName: string, service: string): string {
  return `${workloadName}-${service}`
}

/** Docker create options for one service, pinned to an image id. */
export function createOptions(input: {
  workloadId: string
  workloadName: string
  deployId: string
  service: ServiceSpec
  imageId: string
  env: readonly { name: string; value: string }[]
}): ContainerCreateSpec {
  const { service } = input
  const exposed: Record<string, object> = {}
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const port of service.ports) {
    const key = `${port.containerPort}/${port.protocol}`
    exposed[key] = {}
    ;(bindings[key] ??= []).push({ HostIp: port.hostIp ?? '', HostPort: String(port.hostPort) })
  }
  return {
    name: `${containerName(input.workloadName, service.name)}-${input.deployId.slice(0, 8)}`,
    Image: input.imageId,
    ...(service.command === null ? {} : { Cmd: [...service.command] }),
    Env: input.env.map((e) => `${e.name}=${e.value}`),
    Labels: { [LABELS.workload]: input.workloadId, [LABELS.service]: service.name, [LABELS.deploy]: input.deployId },
    ExposedPorts: exposed,
    Tty: false,
    HostConfig: {
      PortBindings: bindings,
      Mounts: service.volumes.map((v) => ({
        Type: v.kind,
        Source: v.source,
        Target: v.target,
        ReadOnly: v.readOnly,
      })),
      RestartPolicy: { Name: service.restart === 'no' ? '' : service.restart },
    },
  }
}
