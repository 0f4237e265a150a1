/** Compose files in and out: preview, import into a new workload, export of any workload. */
import { workloadInput, type ParsedInputOf } from '../../shared/contract'
import type { ComposeExport, ComposePreview } from '../../shared/types/compose'
import type { WorkloadDetail } from '../../shared/types/workloads'
import { exportCompose } from '../compose/composeExport'
import { readCompose } from '../compose/composeImport'
import { AppError } from '../errors'
import type { WorkloadService } from './workloadService'
import type { WorkloadStore } from './workloadStore'

export class ComposeWorkloads {
  constructor(
    private readonly store: WorkloadStore,
    private readonly workloads: WorkloadService,
  ) {}

  preview(input: ParsedInputOf<'compose.preview'>): ComposePreview {
    return readCompose(input)
  }

  /** The workload only when the file has no error; warnings were shown in the preview the user confirmed. */
  async import(input: ParsedInputOf<'workloads.importCompose'>): Promise<WorkloadDetail> {
    const { hostId, snapshotBeforeDeploy, ...source } = input
    const preview = readCompose(source)
    if (preview.workload === null) {
      const first = preview.problems.find((p) => p.severity === 'error')
      throw new AppError('BAD_INPUT', 'the compose file has errors', {
        details: { reason: 'compose_problems', line: first?.line ?? 0, field: first?.path ?? '' },
      })
    }
    // Through the contract's own schema, exactly as a workload made by the form.
    const parsed = workloadInput.parse({ hostId, snapshotBeforeDeploy, ...preview.workload })
    return this.workloads.create(parsed)
  }

  async export(input: ParsedInputOf<'workloads.exportCompose'>): Promise<ComposeExport> {
    const workload = this.store.require(input.workloadId)
    const values = new Map<string, string>()
    if (input.includeSecrets)
      for (const service of workload.services)
        for (const { name, value } of await this.store.resolveEnv(workload.id, service))
          values.set(`${service.name}\0${name}`, value)
    return exportCompose(workload, (service, name) => values.get(`${service}\0${name}`) ?? null)
  }
}
