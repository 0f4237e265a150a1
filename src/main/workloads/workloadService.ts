import { workloadInput, type ParsedInputOf } from '../../shared/contract'
import type {
  AdoptionCandidate,
  AdoptionPreview,
  ContainerView,
  DeployRecord,
  WorkloadDetail,
  WorkloadState,
  WorkloadSummary,
} from '../../shared/types/workloads'
import type { EngineFor } from '../docker/engine'
import { engineError } from '../docker/engineErrors'
import { AppError } from '../errors'
import type { HostRegistry } from '../hosts/hostRegistry'
import type { Logger } from '../log'
import { adoptionCandidates } from './adoption/candidates'
import { readAdoption } from './adoption/readAdoption'
import type { DeployHistory } from './deployHistory'
import type { WorkloadDispatcher } from './dispatch/dispatcher'
import { listedAsCompleted } from './dispatch/serviceState'
import { currentByService, labelledContainers } from './dispatch/workloadContainers'
import { followWorkloadLogs } from './logStream'
import type { WorkloadFields, WorkloadRecord, WorkloadStore } from './workloadStore'

/** What the workload channels do; every container change goes through the dispatcher. */
export class WorkloadService {
  constructor(
    private readonly store: WorkloadStore,
    private readonly history: DeployHistory,
    private readonly dispatcher: WorkloadDispatcher,
    private readonly hosts: HostRegistry,
    private readonly engine: EngineFor,
    private readonly log: Logger,
  ) {}

  async list(hostId: string): Promise<WorkloadSummary[]> {
    this.requireHost(hostId)
    const workloads = this.store.list(hostId)
    return Promise.all(workloads.map(async (w) => this.summary(w, await this.containers(w))))
  }

  async get(workloadId: string): Promise<WorkloadDetail> {
    const workload = this.store.require(workloadId)
    const containers = await this.containers(workload)
    return {
      ...this.summary(workload, containers),
      services: workload.services,
      networks: workload.networks,
      volumes: workload.volumes,
      snapshotBeforeDeploy: workload.snapshotBeforeDeploy,
      containers: containers ?? [],
    }
  }

  async create(input: ParsedInputOf<'workloads.create'>): Promise<WorkloadDetail> {
    this.requireHost(input.hostId)
    const { hostId, ...fields } = input
    const workload = await this.store.create(hostId, fields)
    return this.get(workload.id)
  }

  async update(workloadId: string, fields: WorkloadFields): Promise<WorkloadDetail> {
    await this.store.update(workloadId, fields)
    return this.get(workloadId)
  }

  delete(workloadId: string, keepVolumes: boolean): Promise<void> {
    return this.dispatcher.remove(workloadId, keepVolumes)
  }

  deploy(workloadId: string, reason: 'deploy' | 'redeploy'): Promise<DeployRecord> {
    return this.dispatcher.deploy(workloadId, reason)
  }

  rollback(workloadId: string, deploymentId: string): Promise<DeployRecord> {
    return this.dispatcher.rollback(workloadId, deploymentId)
  }

  async start(workloadId: string): Promise<WorkloadDetail> {
    await this.dispatcher.start(workloadId)
    return this.get(workloadId)
  }

  async stop(workloadId: string): Promise<WorkloadDetail> {
    await this.dispatcher.stop(workloadId)
    return this.get(workloadId)
  }

  historyOf(workloadId: string): DeployRecord[] {
    this.store.require(workloadId)
    return this.history.list(workloadId)
  }

  async candidates(hostId: string): Promise<AdoptionCandidate[]> {
    this.requireHost(hostId)
    try {
      return await adoptionCandidates(this.engine(hostId).inspector)
    } catch (error) {
      throw engineError(error)
    }
  }

  /** What adopting would record, and every setting the engine reports that Slipway would not reproduce. */
  async adoptionPreview(hostId: string, kind: 'container' | 'compose', key: string): Promise<AdoptionPreview> {
    this.requireHost(hostId)
    const { replaces: _replaces, ...preview } = await this.readAdoption(hostId, kind, key)
    return preview
  }

  /**
   * Records the spec read from the containers, then replaces them through the dispatcher. Settings
   * Slipway cannot reproduce refuse the adoption until the user has seen them and goes on without.
   */
  async adopt(input: {
    hostId: string
    kind: 'container' | 'compose'
    key: string
    name: string
    acknowledgeUnsupported?: boolean | undefined
  }): Promise<WorkloadDetail> {
    this.requireHost(input.hostId)
    const adoption = await this.readAdoption(input.hostId, input.kind, input.key)
    if (adoption.unsupported.length > 0 && input.acknowledgeUnsupported !== true)
      throw new AppError('CONFLICT', 'the containers have settings Slipway cannot reproduce', {
        details: { reason: 'unsupported_settings', count: adoption.unsupported.length },
      })
    const parsed = workloadInput.safeParse({
      hostId: input.hostId,
      name: input.name,
      snapshotBeforeDeploy: false,
      services: adoption.services,
      networks: adoption.networks,
      volumes: adoption.volumes,
    })
    if (!parsed.success) {
      this.log.warn('an adoption does not make a valid workload', { issues: parsed.error.issues })
      throw new AppError('CONFLICT', 'the containers do not make a valid workload', {
        details: { reason: 'unadoptable', field: parsed.error.issues[0]?.path.join('.') ?? '' },
      })
    }
    const { hostId, ...fields } = parsed.data
    const workload = await this.store.create(hostId, fields)
    await this.dispatcher.deploy(workload.id, 'adopt', { replaces: adoption.replaces })
    return this.get(workload.id)
  }

  private async readAdoption(hostId: string, kind: 'container' | 'compose', key: string) {
    try {
      return await readAdoption(this.engine(hostId).inspector, kind, key)
    } catch (error) {
      throw error instanceof AppError ? error : engineError(error)
    }
  }

  followLogs(workloadId: string, tail: number, emit: Parameters<typeof followWorkloadLogs>[3]): () => void {
    const workload = this.store.require(workloadId)
    return followWorkloadLogs(this.engine(workload.hostId).inspector, workload.id, tail, emit, this.log)
  }

  private requireHost(hostId: string): void {
    if (this.hosts.find(hostId) === undefined) throw new AppError('NOT_FOUND', 'unknown host')
  }

  /** The workload's current containers, or null when its engine cannot be reached. */
  private async containers(workload: WorkloadRecord): Promise<ContainerView[] | null> {
    try {
      const current = currentByService(await labelledContainers(this.engine(workload.hostId).inspector, workload.id))
      return [...current.values()].map((c) => ({
        id: c.id,
        service: c.service,
        name: c.name,
        image: c.image,
        imageId: c.imageId,
        state: c.state,
        status: c.status,
      }))
    } catch (error) {
      const failure = engineError(error)
      if (failure.code !== 'UNAVAILABLE') throw failure
      return null
    }
  }

  private summary(workload: WorkloadRecord, containers: ContainerView[] | null): WorkloadSummary {
    return {
      id: workload.id,
      hostId: workload.hostId,
      name: workload.name,
      state: stateOf(workload, containers),
      images: workload.services.map((s) => s.image),
      ports: workload.services.flatMap((s) => s.ports),
      lastDeploy: this.history.latest(workload.id),
    }
  }
}

function stateOf(workload: WorkloadRecord, containers: ContainerView[] | null): WorkloadState {
  if (containers === null) return 'unknown'
  if (containers.length === 0) return 'missing'
  const running = containers.filter((c) => c.state === 'running').length
  if (running === 0) return 'stopped'
  // A one-shot service that ran to a clean end is done, not down.
  const done = workload.services.filter((s) => {
    const c = containers.find((candidate) => candidate.service === s.name)
    return c !== undefined && (c.state === 'running' || listedAsCompleted(s, c.state, c.status))
  }).length
  return done === workload.services.length ? 'running' : 'partial'
}
