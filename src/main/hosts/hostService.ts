import type Dockerode from 'dockerode'
import type { ErrorCode } from '../../shared/errors'
import type { ConnectionStatus, EngineFacts, HostView } from '../../shared/types/hosts'
import { engineError } from '../docker/engineErrors'
import { readEngineFacts } from '../docker/engineFacts'
import { AppError } from '../errors'
import type { EventBus } from '../events'
import type { HostRegistry } from './hostRegistry'

/** Hands out a Docker client for a host, or fails with UNAVAILABLE. */
export interface EngineProvider {
  docker(hostId: string): Dockerode
}

interface StatusEntry {
  status: ConnectionStatus
  reason: ErrorCode | null
}

export class HostService {
  private readonly status = new Map<string, StatusEntry>()

  constructor(
    private readonly registry: HostRegistry,
    private readonly engines: EngineProvider,
    private readonly bus: EventBus,
  ) {}

  list(): HostView[] {
    return this.registry.list().map((host) => {
      const entry = this.status.get(host.id) ?? { status: 'connecting', reason: null }
      return { ...host, status: entry.status, statusReason: entry.reason }
    })
  }

  async engine(hostId: string): Promise<EngineFacts> {
    if (this.registry.find(hostId) === undefined) throw new AppError('NOT_FOUND', 'unknown host')
    try {
      const facts = await readEngineFacts(this.engines.docker(hostId))
      this.setStatus(hostId, 'connected', null)
      return facts
    } catch (error) {
      const failure = engineError(error)
      if (failure.code === 'UNAVAILABLE') this.setStatus(hostId, 'offline', failure.code)
      throw failure
    }
  }

  private setStatus(hostId: string, status: ConnectionStatus, reason: ErrorCode | null): void {
    const previous = this.status.get(hostId)
    if (previous?.status === status && previous.reason === reason) return
    this.status.set(hostId, { status, reason })
    this.bus.emit('hosts.status', { hostId, status, statusReason: reason })
  }
}
