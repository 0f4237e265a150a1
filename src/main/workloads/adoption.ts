import type {
  AdoptionCandidate,
  EnvVar,
  PortMapping,
  RestartPolicy,
  ServiceSpec,
  VolumeMount,
} from '../../shared/types/workloads'
import { HELPER_LABEL, type ContainerDetails, type EngineInspector } from '../docker/engine'
import { AppError } from '../errors'
import { COMPOSE_PROJECT, COMPOSE_SERVICE, LABELS } from './dispatch/labels'

const PROBE_LABEL = 'io.slipway.probe'
/** Env names whose values are kept in the secret store when adopted. */
const SECRET_NAME = /pass(word)?|secret|token|api_?key|private|credential/i

/** Running or stopped containers Slipway does not manage, standalone or grouped by compose project. */
export async function adoptionCandidates(engine: EngineInspector): Promise<AdoptionCandidate[]> {
  const containers = (await engine.listContainers({ all: true })).filter(
    (c) =>
      c.Labels[LABELS.workload] === undefined &&
      c.Labels[PROBE_LABEL] === undefined &&
      c.Labels[HELPER_LABEL] === undefined,
  )
  const byProject = new Map<string, typeof containers>()
  const standalone: AdoptionCandidate[] = []
  for (const c of containers) {
    const project = c.Labels[COMPOSE_PROJECT]
    const summary = { id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), image: c.Image, state: c.State }
    if (project === undefined) {
      standalone.push({ kind: 'container', key: c.Id, name: summary.name, containers: [summary] })
    } else {
      byProject.set(project, [...(byProject.get(project) ?? []), c])
    }
  }
  const compose: AdoptionCandidate[] = [...byProject].map(([project, list]) => ({
    kind: 'compose',
    key: project,
    name: project,
    containers: list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      state: c.State,
    })),
  }))
  return [...compose, ...standalone].sort((a, b) => a.name.localeCompare(b.name))
}

export interface AdoptedService {
  readonly containerId: string
  readonly spec: ServiceSpec
}

/** The containers an adoption takes over, and the spec each runs with, read from the engine. */
export async function readAdoptedServices(
  engine: EngineInspector,
  kind: 'container' | 'compose',
  key: string,
): Promise<AdoptedService[]> {
  const ids =
    kind === 'container'
      ? [key]
      : (await engine.listContainers({ all: true, labels: [`${COMPOSE_PROJECT}=${key}`] })).map((c) => c.Id)
  if (ids.length === 0) throw new AppError('NOT_FOUND', 'nothing to adopt')
  const services: AdoptedService[] = []
  for (const id of ids) {
    const info = await engine.inspectContainer(id)
    if (info === null) throw new AppError('NOT_FOUND', 'container vanished')
    if (info.Config.Labels[LABELS.workload] !== undefined) throw new AppError('CONFLICT', 'already managed')
    services.push({ containerId: info.Id, spec: await specOf(engine, info) })
  }
  const names = new Set(services.map((s) => s.spec.name))
  if (names.size !== services.length) throw new AppError('CONFLICT', 'two containers map to one service name')
  return services.sort((a, b) => a.spec.name.localeCompare(b.spec.name))
}

function slug(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
  return (cleaned === '' ? 'service' : cleaned).slice(0, 63)
}

async function specOf(engine: EngineInspector, info: ContainerDetails): Promise<ServiceSpec> {
  const image = await engine.inspectImage(info.Image).catch(() => null)
  const imageEnv = new Set(image?.Config.Env ?? [])
  const imageCmd = JSON.stringify(image?.Config.Cmd ?? null)
  // The engine sends null for an empty Cmd or Env, whatever the type definitions say.
  const config = info.Config as { Cmd: string[] | null; Env: string[] | null }
  const cmd = config.Cmd === null || config.Cmd.length === 0 ? null : config.Cmd
  const env: EnvVar[] = (config.Env ?? [])
    .filter((line) => !imageEnv.has(line))
    .map((line) => {
      const at = line.indexOf('=')
      const name = at < 0 ? line : line.slice(0, at)
      const value = at < 0 ? '' : line.slice(at + 1)
      const secret = SECRET_NAME.test(name)
      return { name, value, secret }
    })
  const ports: PortMapping[] = Object.entries((info.HostConfig.PortBindings ?? {}) as Record<string, unknown>).flatMap(
    ([key, bindings]) => {
      const [port, protocol] = key.split('/')
      return ((bindings as { HostIp?: string; HostPort?: string }[] | null) ?? []).map((b) => ({
        hostIp: b.HostIp === undefined || b.HostIp === '' ? null : b.HostIp,
        hostPort: Number(b.HostPort),
        containerPort: Number(port),
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
      }))
    },
  )
  const volumes: VolumeMount[] = info.Mounts.filter((m) => m.Type === 'bind' || m.Type === 'volume').map((m) => ({
    kind: m.Type === 'bind' ? 'bind' : 'volume',
    source: m.Type === 'bind' ? m.Source : (m.Name ?? ''),
    target: m.Destination,
    readOnly: !m.RW,
    excludeFromSnapshots: false,
  }))
  const restartName = info.HostConfig.RestartPolicy?.Name ?? ''
  const restart: RestartPolicy =
    (['always', 'unless-stopped', 'on-failure'] as const).find((r) => r === restartName) ?? 'no'
  return {
    name: slug(info.Config.Labels[COMPOSE_SERVICE] ?? info.Name),
    image: info.Config.Image,
    command: cmd !== null && JSON.stringify(cmd) !== imageCmd ? cmd : null,
    env,
    ports,
    volumes,
    restart,
  }
}
