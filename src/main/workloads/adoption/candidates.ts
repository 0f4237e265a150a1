import type { AdoptionCandidate } from '../../../shared/types/workloads'
import { HELPER_LABEL, type EngineInspector } from '../../docker/engine'
import { COMPOSE_PROJECT, LABELS } from '../dispatch/labels'

const PROBE_LABEL = 'io.slipway.probe'

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
