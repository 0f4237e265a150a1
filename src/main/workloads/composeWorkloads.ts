/** Compose files in and out: preview, import into a new workload, export of any workload. */
import { workloadInput, workloadUpdateInput, type ParsedInputOf } from '../../shared/contract'
import type { ComposeExport, ComposePreview } from '../../shared/types/compose'
import type { WorkloadDetail } from '../../shared/types/workloads'
import { exportCompose } from '../compose/composeExport'
import { readCompose, type ComposeSource } from '../compose/composeImport'
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
    // Through the contract's own schema, exactly as a workload made by the form.
    const parsed = workloadInput.parse({ hostId, snapshotBeforeDeploy, ...readOrRefuse(source) })
    return this.workloads.create(parsed)
  }

  /**
   * The file becomes the workload's saved configuration, as a form edit does: nothing runs until a
   * deploy. An export names secrets with empty values, so an empty value for a secret the service
   * already has keeps the stored one rather than blanking it.
   */
  async update(input: ParsedInputOf<'workloads.updateFromCompose'>): Promise<WorkloadDetail> {
    const { workloadId, ...source } = input
    const current = this.store.require(workloadId)
    const read = readOrRefuse({ ...source, name: current.name })
    const storedSecret = (service: string, name: string): boolean =>
      current.services.some((s) => s.name === service && s.env.some((e) => e.secret && e.name === name))
    const services = read.services.map((service) => ({
      ...service,
      env: service.env.map((e) =>
        e.secret && e.value === '' && storedSecret(service.name, e.name) ? { ...e, value: null } : e,
      ),
    }))
    const { workloadId: _id, ...fields } = workloadUpdateInput.parse({
      workloadId,
      snapshotBeforeDeploy: current.snapshotBeforeDeploy,
      ...read,
      services,
    })
    return this.workloads.update(workloadId, fields)
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

/** What the file describes, or BAD_INPUT (`compose_problems`) at its first error's line. */
function readOrRefuse(source: ComposeSource): NonNullable<ComposePreview['workload']> {
  const preview = readCompose(source)
  if (preview.workload !== null) return preview.workload
  const first = preview.problems.find((p) => p.severity === 'error')
  throw new AppError('BAD_INPUT', 'the compose file has errors', {
    details: { reason: 'compose_problems', line: first?.line ?? 0, field: first?.path ?? '' },
  })
}
