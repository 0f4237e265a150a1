import type { WorkloadInput } from '../../shared/contract'
import type {
  AdoptionCandidate,
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
import { adoptionCandidates, readAdoptedServices } from './adoption'
import type { DeployHistory } from './deployHistory'
import type { WorkloadDispatcher } from './dispatch/dispatcher'
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
      snapshotBeforeDeploy: workload.snapshotBeforeDeploy,
      containers: containers ?? [],
    }
  }

  async create(input: WorkloadInput): Promise<WorkloadDetail> {
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

  /** Records the spec read from the running containers, then replaces them through the dispatcher. */
  async adopt(hostId: string, kind: 'container' | 'compose', key: string, name: string): Promise<WorkloadDetail> {
    this.requireHost(hostId)
    const adopted = await readAdoptedServices(this.engine(hostId).inspector, kind, key)
    const workload = await this.store.create(hostId, {
      name,
      snapshotBeforeDeploy: false,
      services: adopted.map((a) => ({
        ...a.spec,
        command: a.spec.command === null ? null : [...a.spec.command],
      })) as never,
    })
    await this.dispatcher.deploy(workload.id, 'adopt', {
      replaces: new Map(adopted.map((a) => [a.spec.name, a.containerId])),
    })
    return this.get(workload.id)
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
  return running === workload.services.length ? 'running' : 'partial'
}
