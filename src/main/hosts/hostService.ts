import { randomUUID } from 'node:crypto'
import type { SshHostInput } from '../../shared/contract'
import type {
  ConnectionTest,
  ContainerSummary,
  DockerContextCandidate,
  EngineFacts,
  HostView,
} from '../../shared/types/hosts'
import type { EngineRoles } from '../docker/engine'
import { engineError } from '../docker/engineErrors'
import { readEngineFacts } from '../docker/engineFacts'
import { AppError } from '../errors'
import type { SecretStore } from '../platform/ports'
import { parseSshEndpoint, readDockerContexts } from '../ssh/dockerContexts'
import { expandHome, resolveDestination, sshAliases } from '../ssh/sshDestination'
import type { SshEnvironment } from '../ssh/sshEnvironment'
import { testConnection } from './connectionTest'
import type { HelperImages } from './helperImages'
import { passphraseKey, type HostConnections } from './hostConnections'
import type { HostRecord, HostRegistry, SshHostSettings } from './hostRegistry'
import type { TrustedHostKeys } from './trustedHostKeys'

/** Engine facts answer quickly or not at all: a probe never hangs the UI. */
const PROBE_TIMEOUT_MS = 8_000

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('UNAVAILABLE', 'engine did not answer in time')), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export class HostService {
  constructor(
    private readonly registry: HostRegistry,
    private readonly connections: HostConnections,
    private readonly trustedKeys: TrustedHostKeys,
    private readonly secrets: SecretStore,
    private readonly ssh: SshEnvironment,
    private readonly workloads: { list(hostId: string): readonly unknown[] },
    private readonly helperImages: HelperImages,
  ) {}

  list(): HostView[] {
    return this.registry.list().map((host) => this.view(host))
  }

  get(hostId: string): HostView {
    return this.view(this.require(hostId))
  }

  async engine(hostId: string): Promise<EngineFacts> {
    return this.onEngine(hostId, ({ inspector }) => readEngineFacts(inspector))
  }

  async test(hostId: string): Promise<ConnectionTest> {
    return this.onEngine(hostId, (engine) => testConnection(engine))
  }

  async containers(hostId: string): Promise<ContainerSummary[]> {
    return this.onEngine(hostId, async ({ inspector }) =>
      (await inspector.listContainers({ all: true })).map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        image: c.Image,
        state: c.State,
        status: c.Status,
        labels: c.Labels,
      })),
    )
  }

  async add(input: SshHostInput): Promise<HostView> {
    const hostId = randomUUID()
    try {
      return this.view(this.registry.addSsh(hostId, input.name, await this.settingsFrom(hostId, input, null)))
    } catch (error) {
      await this.secrets.delete(passphraseKey(hostId))
      throw error
    }
  }

  async update(hostId: string, input: SshHostInput): Promise<HostView> {
    const before = this.require(hostId)
    if (before.kind !== 'ssh')
      throw new AppError('BAD_INPUT', 'the local engine cannot be edited', { details: { field: 'hostId' } })
    const host = this.registry.updateSsh(hostId, input.name, await this.settingsFrom(hostId, input, before.ssh))
    this.connections.reset(hostId)
    return this.view(host)
  }

  async remove(hostId: string): Promise<void> {
    const host = this.require(hostId)
    if (host.kind !== 'ssh' || host.ssh === null) {
      throw new AppError('BAD_INPUT', 'the local engine cannot be removed', { details: { field: 'hostId' } })
    }
    if (this.workloads.list(hostId).length > 0) {
      throw new AppError('CONFLICT', 'the host still has workloads', { details: { reason: 'has_workloads' } })
    }
    const destination = resolveDestination(host.ssh, this.ssh)
    this.connections.reset(hostId)
    this.registry.remove(hostId)
    await this.secrets.delete(passphraseKey(hostId))
    this.helperImages.forget(hostId)
    const stillUsed = this.registry
      .list()
      .some((other) => other.ssh !== null && sameDestination(resolveDestination(other.ssh, this.ssh), destination))
    if (!stillUsed) this.trustedKeys.forget(destination.host, destination.port)
  }

  /** Sets the host's helper image (checked there: present, with a shell), or with null goes back to the workload's. */
  async setHelperImage(hostId: string, image: string | null): Promise<HostView> {
    await this.onEngine(hostId, (engine) => this.helperImages.configure(hostId, engine, image))
    return this.get(hostId)
  }

  async connect(hostId: string): Promise<HostView> {
    await this.connections.connect(hostId)
    return this.get(hostId)
  }

  /** Stores the key the server presented at the last attempt, if it is the one the user confirmed. */
  async trust(hostId: string, fingerprint: string): Promise<HostView> {
    this.require(hostId)
    const seen = this.connections.seenKey(hostId)
    if (seen === undefined) throw new AppError('CONFLICT', 'no presented key to trust; connect first')
    if (seen.key.fingerprint !== fingerprint) {
      throw new AppError('CONFLICT', 'the confirmed fingerprint is not the presented one', {
        details: { fingerprint: seen.key.fingerprint },
      })
    }
    const state = this.connections.state(hostId)
    if (state.reason === 'HOST_KEY_CHANGED') {
      throw new AppError('HOST_KEY_CHANGED', 'a changed host key is never trusted from here', {
        details: state.details ?? {},
      })
    }
    const known = this.trustedKeys.forDestination(seen.host, seen.port)
    if (!known.some((k) => k.blob.equals(seen.key.blob))) this.trustedKeys.trust(seen.host, seen.port, seen.key)
    return this.connect(hostId)
  }

  aliases(): string[] {
    return sshAliases(this.ssh)
  }

  async dockerContexts(): Promise<DockerContextCandidate[]> {
    const contexts = await readDockerContexts(this.ssh.dockerConfigDir)
    const existing = this.registry.list().flatMap((h) => (h.ssh === null ? [] : [h.ssh]))
    return contexts.flatMap(({ name, host }) => {
      const endpoint = parseSshEndpoint(host)
      if (endpoint === null) return []
      const alreadyAdded = existing.some(
        (s) =>
          (s.hostname ?? s.alias) === endpoint.hostname &&
          (s.port ?? 22) === (endpoint.port ?? 22) &&
          (s.user === null || endpoint.user === null || s.user === endpoint.user),
      )
      return [{ name, hostname: endpoint.hostname, port: endpoint.port, user: endpoint.user, alreadyAdded }]
    })
  }

  private async onEngine<T>(hostId: string, work: (engine: EngineRoles) => Promise<T>): Promise<T> {
    const host = this.require(hostId)
    try {
      const result = await withTimeout(work(this.connections.engine(hostId)), PROBE_TIMEOUT_MS)
      if (host.kind === 'local') this.connections.setLocalState({ status: 'connected', reason: null, details: null })
      return result
    } catch (error) {
      const failure = engineError(error)
      if (host.kind === 'local' && failure.code === 'UNAVAILABLE') {
        this.connections.setLocalState({ status: 'offline', reason: 'UNAVAILABLE', details: null })
      }
      throw failure
    }
  }

  private async settingsFrom(
    hostId: string,
    input: SshHostInput,
    previous: SshHostSettings | null,
  ): Promise<SshHostSettings> {
    const hasPassphrase =
      input.passphrase === undefined
        ? (previous?.hasPassphrase ?? false)
        : await this.storePassphrase(hostId, input.passphrase)
    return {
      alias: input.alias,
      hostname: input.hostname,
      port: input.port,
      user: input.user,
      identityFile: input.identityFile === null ? null : expandHome(input.identityFile, this.ssh.homeDir),
      useAgent: input.useAgent,
      hasPassphrase,
      socketPath: input.socketPath,
    }
  }

  private async storePassphrase(hostId: string, passphrase: string | null): Promise<boolean> {
    if (passphrase === null) {
      await this.secrets.delete(passphraseKey(hostId))
      return false
    }
    await this.secrets.set(passphraseKey(hostId), passphrase)
    return true
  }

  private require(hostId: string): HostRecord {
    const host = this.registry.find(hostId)
    if (host === undefined) throw new AppError('NOT_FOUND', 'unknown host')
    return host
  }

  private view(host: HostRecord): HostView {
    const state = this.connections.state(host.id)
    return {
      id: host.id,
      name: host.name,
      kind: host.kind,
      ssh: host.ssh,
      status: state.status,
      statusReason: state.reason,
      statusDetails: state.details,
      helperImage: this.helperImages.configured(host.id),
    }
  }
}

function sameDestination(a: { host: string; port: number }, b: { host: string; port: number }): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port
}
