import type { ComposeWorkloads } from '../../workloads/composeWorkloads'
import type { WorkloadService } from '../../workloads/workloadService'
import type { Handlers } from '../router'

type WorkloadChannels = Extract<keyof Handlers, `workloads.${string}` | `compose.${string}`>

export function workloadHandlers(
  workloads: WorkloadService,
  compose: ComposeWorkloads,
): Pick<Handlers, WorkloadChannels> {
  return {
    'workloads.list': ({ hostId }) => workloads.list(hostId),
    'workloads.get': ({ workloadId }) => workloads.get(workloadId),
    'workloads.create': (input) => workloads.create(input),
    'workloads.update': ({ workloadId, ...fields }) => workloads.update(workloadId, fields),
    'workloads.delete': async ({ workloadId, keepVolumes }) => {
      await workloads.delete(workloadId, keepVolumes)
      return null
    },
    'workloads.deploy': ({ workloadId }) => workloads.deploy(workloadId, 'deploy'),
    'workloads.redeploy': ({ workloadId }) => workloads.deploy(workloadId, 'redeploy'),
    'workloads.rollback': ({ workloadId, deploymentId }) => workloads.rollback(workloadId, deploymentId),
    'workloads.start': ({ workloadId }) => workloads.start(workloadId),
    'workloads.stop': ({ workloadId }) => workloads.stop(workloadId),
    'workloads.history': ({ workloadId }) => workloads.historyOf(workloadId),
    'workloads.candidates': ({ hostId }) => workloads.candidates(hostId),
    'workloads.adoptionPreview': ({ hostId, kind, key }) => workloads.adoptionPreview(hostId, kind, key),
    'workloads.adopt': (input) => workloads.adopt(input),
    'compose.preview': (input) => Promise.resolve(compose.preview(input)),
    'workloads.importCompose': (input) => compose.import(input),
    'workloads.updateFromCompose': (input) => compose.update(input),
    'workloads.exportCompose': (input) => compose.export(input),
  }
}
