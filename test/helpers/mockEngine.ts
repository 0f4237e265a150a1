/**
 * A small, stateful Docker Engine API on a unix socket for unit tests: containers (create, start,
 * stop, remove, rename, inspect, list with filters, wait, logs, exec, archives), images, volumes.
 * Any request it does not handle is answered 599 and recorded, so a test can fail on it
 * (`expectNoUnhandled`). Faults are injected per route; every request is kept, in order.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { pack } from 'tar-stream'
import { tempDir } from './tempDir'

export interface MockContainer {
  readonly id: string
  name: string
  readonly image: string
  readonly config: Record<string, unknown>
  running: boolean
  exitCode: number
  created: number
  /** A stop under way: the container exits when this resolves. */
  stopping: Promise<void> | null
}

export interface MockRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly body: Buffer
  /** The name of the container the path names, at the time of the request. */
  readonly container: string | null
}

export interface ExecResult {
  readonly exitCode: number
  readonly stdout?: string
  readonly stderr?: string
}

interface Fault {
  readonly method: string
  readonly path: RegExp
  readonly status: number
  times: number
  skip: number
}

export interface MockEngineBehaviour {
  /** Whether a container keeps running once started (default) or exits at once with a code. */
  onStart?: (container: MockContainer) => 'running' | { readonly exitCode: number }
  /** How long a stop takes before the container has exited (default: at once). */
  stopDelayMs?: (container: MockContainer) => number
  /** The answer to an exec of `cmd` in `container` (default: exit 0, no output). */
  exec?: (cmd: readonly string[], container: MockContainer) => ExecResult
  /** The tar the archive API returns for `path` in `container` (default: an empty folder). */
  archive?: (container: MockContainer, path: string) => Buffer
}

const shortId = (): string => randomBytes(32).toString('hex')

export class MockEngine {
  readonly requests: MockRequest[] = []
  readonly unhandled: string[] = []
  readonly containers = new Map<string, MockContainer>()
  readonly images = new Map<string, { Id: string; Config: Record<string, unknown>; RepoTags: string[] }>()
  readonly volumes = new Map<
    string,
    { Name: string; Driver: string; Mountpoint: string; Options: Record<string, string> | null }
  >()
  /** Archive bodies uploaded per container path, in order. */
  readonly uploads: { container: string; path: string; bytes: number }[] = []
  readonly behaviour: MockEngineBehaviour = {}
  /** Networks by id, with the containers joined to each. */
  readonly networks = new Map<string, MockNetwork>()
  private readonly faults: Fault[] = []
  /** Names of removed containers, so later requests for them still read as that container. */
  private readonly removed = new Map<string, string>()
  private readonly execs = new Map<string, { container: MockContainer; cmd: string[]; result: ExecResult }>()
  private clock = 1_000

  private constructor(
    private readonly server: Server,
    readonly socketPath: string,
  ) {}

  static async start(): Promise<MockEngine> {
    const socketPath = join(tempDir('mock-engine-'), 'engine.sock')
    const server = createServer()
    const engine = new MockEngine(server, socketPath)
    server.on('request', (req, res) => void engine.handle(req, res))
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    return engine
  }

  get dockerHost(): string {
    return `unix://${this.socketPath}`
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** `times` requests matching, after the next `skip` of them, fail with `status` (an engine error, before any change). */
  fail(method: string, path: RegExp, status = 500, times = 1, skip = 0): void {
    this.faults.push({ method, path, status, times, skip })
  }

  addImage(ref: string, config: Record<string, unknown> = {}): string {
    const id = `sha256:${shortId()}`
    const image = { Id: id, Config: { Env: [], Cmd: ['sh'], ...config }, RepoTags: [ref] }
    this.images.set(ref, image)
    this.images.set(id, image)
    return id
  }

  addVolume(name: string, mountpoint = `/var/lib/docker/volumes/${name}/_data`): void {
    this.volumes.set(name, { Name: name, Driver: 'local', Mountpoint: mountpoint, Options: null })
  }

  /** Marks a container exited, as if it had stopped by itself. */
  exit(idOrName: string, exitCode = 0): void {
    const c = this.container(idOrName)
    if (c === undefined) throw new Error(`no container ${idOrName}`)
    c.running = false
    c.exitCode = exitCode
  }

  container(idOrName: string): MockContainer | undefined {
    const key = idOrName.replace(/^\//, '')
    for (const c of this.containers.values()) if (c.id === key || c.name === key || c.id.startsWith(key)) return c
    return undefined
  }

  /** Lifecycle calls in order, as `verb name` (start, stop, remove, create, rename). */
  lifecycle(): string[] {
    const out: string[] = []
    for (const r of this.requests) {
      const m = /^\/containers\/[^/]+\/(start|stop|rename)$/.exec(r.path)
      if (r.method === 'POST' && r.path === '/containers/create') out.push(`create ${r.query.get('name') ?? ''}`)
      else if (r.method === 'POST' && m !== null) out.push(`${m[1]} ${r.container ?? ''}`)
      else if (r.method === 'DELETE' && /^\/containers\/[^/]+$/.test(r.path)) out.push(`remove ${r.container ?? ''}`)
      else if (r.method === 'POST' && r.path === '/networks/create')
        out.push(`network-create ${String((JSON.parse(r.body.toString('utf8')) as { Name?: string }).Name)}`)
      else if (r.method === 'DELETE' && r.path.startsWith('/networks/')) out.push(`network-remove ${r.path.slice(10)}`)
      else if (r.method === 'POST' && /^\/networks\/[^/]+\/connect$/.test(r.path))
        out.push(`connect ${r.path.split('/')[2] ?? ''}`)
    }
    return out
  }

  /** The scripts run by exec, in order. */
  scripts(): string[] {
    return [...this.execs.values()].map((e) => e.cmd[2] ?? e.cmd.join(' '))
  }

  expectNoUnhandled(): void {
    if (this.unhandled.length > 0)
      throw new Error(`the mock engine got requests it does not handle:\n${this.unhandled.join('\n')}`)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://engine')
    const path = decodeURIComponent(url.pathname.replace(/^\/v\d+\.\d+/, ''))
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const named = /^\/containers\/([^/]+)/.exec(path)?.[1]
    const container =
      named === undefined || named === 'json' || named === 'create'
        ? null
        : (this.container(named)?.name ?? this.removed.get(named) ?? named)
    const request: MockRequest = { method: req.method ?? 'GET', path, query: url.searchParams, body, container }
    this.requests.push(request)
    const fault = this.faults.find((f) => f.times > 0 && f.method === request.method && f.path.test(path))
    if (fault !== undefined && fault.skip > 0) fault.skip -= 1
    else if (fault !== undefined) {
      fault.times -= 1
      json(res, fault.status, { message: 'injected failure' })
      return
    }
    try {
      if (!(await this.route(request, res))) {
        this.unhandled.push(`${request.method} ${path}`)
        json(res, 599, { message: 'not handled by the mock engine' })
      }
    } catch (error) {
      json(res, 500, { message: String(error) })
    }
  }

  private async route(r: MockRequest, res: ServerResponse): Promise<boolean> {
    const { method, path } = r
    if (method === 'GET' && path === '/_ping') return text(res, 200, 'OK')
    if (method === 'GET' && path === '/version')
      return json(res, 200, {
        Version: '99.0.0-mock',
        ApiVersion: '1.45',
        Os: 'linux',
        Arch: 'amd64',
        KernelVersion: '6.1',
      })
    if (method === 'GET' && path === '/info')
      return json(res, 200, {
        Containers: this.containers.size,
        Images: this.images.size,
        Driver: 'overlay2',
        DockerRootDir: '/var/lib/docker',
      })
    if (method === 'GET' && path === '/containers/json') return json(res, 200, this.list(r.query))
    if (method === 'GET' && path === '/images/json')
      return json(
        res,
        200,
        [...new Set(this.images.values())].map((i) => ({ Id: i.Id, RepoTags: i.RepoTags })),
      )
    if (method === 'POST' && path === '/containers/create') return this.create(r, res)
    if (path === '/networks' && method === 'GET') return json(res, 200, this.listNetworks(r.query))
    if (path === '/networks/create' && method === 'POST') return this.createNetwork(r, res)
    const network = /^\/networks\/([^/]+)(\/connect)?$/.exec(path)
    if (network !== null) {
      const found = this.network(network[1] ?? '')
      if (found === undefined) return json(res, 404, { message: 'no such network' })
      if (method === 'GET' && network[2] === undefined) return json(res, 200, found)
      if (method === 'DELETE' && network[2] === undefined) {
        this.networks.delete(found.Id)
        return status(res, 204)
      }
      if (method === 'POST' && network[2] === '/connect') {
        const body = JSON.parse(r.body.toString('utf8')) as { Container: string }
        found.Containers[body.Container] = {}
        return status(res, 200)
      }
    }
    if (method === 'POST' && path === '/images/create') return json(res, 404, { message: 'no registry in the mock' })

    const image = /^\/images\/(.+)\/json$/.exec(path)
    if (method === 'GET' && image !== null) {
      const found = this.images.get(image[1] ?? '')
      return found === undefined ? json(res, 404, { message: 'no such image' }) : json(res, 200, found)
    }
    const volume = /^\/volumes\/([^/]+)$/.exec(path)
    if (volume !== null) {
      const found = this.volumes.get(volume[1] ?? '')
      if (found === undefined) return json(res, 404, { message: 'no such volume' })
      if (method === 'GET') return json(res, 200, found)
      if (method === 'DELETE') {
        this.volumes.delete(found.Name)
        return status(res, 204)
      }
    }
    const execMatch = /^\/exec\/([^/]+)\/(start|json)$/.exec(path)
    if (execMatch !== null) {
      const exec = this.execs.get(execMatch[1] ?? '')
      if (exec === undefined) return json(res, 404, { message: 'no such exec' })
      if (method === 'POST' && execMatch[2] === 'start') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' })
        res.end(Buffer.concat([frame(1, exec.result.stdout ?? ''), frame(2, exec.result.stderr ?? '')]))
        return true
      }
      if (method === 'GET') return json(res, 200, { Running: false, ExitCode: exec.result.exitCode })
    }

    const target = /^\/containers\/([^/]+)(?:\/([a-z]+))?$/.exec(path)
    if (target === null) return false
    const container = this.container(target[1] ?? '')
    if (container === undefined) return json(res, 404, { message: 'no such container' })
    const action = target[2]
    if (method === 'GET' && action === 'json') return json(res, 200, this.inspect(container))
    if (method === 'DELETE' && action === undefined) {
      this.removed.set(container.id, container.name)
      this.containers.delete(container.id)
      return status(res, 204)
    }
    if (method === 'POST' && action === 'start') {
      if (container.running) return status(res, 304)
      const outcome = this.behaviour.onStart?.(container) ?? 'running'
      container.running = outcome === 'running'
      container.exitCode = outcome === 'running' ? 0 : outcome.exitCode
      return status(res, 204)
    }
    if (method === 'POST' && action === 'stop') {
      if (!container.running) return status(res, 304)
      const delay = this.behaviour.stopDelayMs?.(container) ?? 0
      container.stopping ??= new Promise<void>((resolve) =>
        setTimeout(() => {
          container.running = false
          container.exitCode = 0
          container.stopping = null
          resolve()
        }, delay),
      )
      await container.stopping
      return status(res, 204)
    }
    if (method === 'POST' && action === 'rename') {
      container.name = r.query.get('name') ?? container.name
      return status(res, 204)
    }
    if (method === 'POST' && action === 'wait') return json(res, 200, { StatusCode: container.exitCode })
    if (method === 'GET' && action === 'logs') {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' })
      res.end()
      return true
    }
    if (method === 'POST' && action === 'exec') {
      const cmd = (JSON.parse(r.body.toString('utf8')) as { Cmd: string[] }).Cmd
      const id = shortId()
      this.execs.set(id, { container, cmd, result: this.behaviour.exec?.(cmd, container) ?? { exitCode: 0 } })
      return json(res, 201, { Id: id })
    }
    if (method === 'PUT' && action === 'archive') {
      this.uploads.push({ container: container.name, path: r.query.get('path') ?? '', bytes: r.body.length })
      return status(res, 200)
    }
    if (method === 'GET' && action === 'archive') {
      const tar = this.behaviour.archive?.(container, r.query.get('path') ?? '') ?? (await emptyTar())
      res.writeHead(200, { 'Content-Type': 'application/x-tar' })
      res.end(tar)
      return true
    }
    return false
  }

  private create(r: MockRequest, res: ServerResponse): boolean {
    const config = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>
    const image = typeof config['Image'] === 'string' ? config['Image'] : ''
    if (!this.images.has(image)) return json(res, 404, { message: 'no such image' })
    const id = shortId()
    const name = r.query.get('name') ?? id.slice(0, 12)
    if (this.container(name) !== undefined) return json(res, 409, { message: 'name in use' })
    this.containers.set(id, {
      id,
      name,
      image,
      config,
      running: false,
      exitCode: 0,
      created: this.clock++,
      stopping: null,
    })
    return json(res, 201, { Id: id, Warnings: [] })
  }

  network(idOrName: string): MockNetwork | undefined {
    for (const n of this.networks.values()) if (n.Id === idOrName || n.Name === idOrName) return n
    return undefined
  }

  private createNetwork(r: MockRequest, res: ServerResponse): boolean {
    const body = JSON.parse(r.body.toString('utf8')) as { Name: string; Labels?: Record<string, string> }
    if (this.network(body.Name) !== undefined) return json(res, 409, { message: 'network exists' })
    const id = shortId()
    this.networks.set(id, { Id: id, Name: body.Name, Labels: body.Labels ?? {}, Containers: {} })
    return json(res, 201, { Id: id, Warning: '' })
  }

  private listNetworks(query: URLSearchParams): MockNetwork[] {
    const filters = JSON.parse(query.get('filters') ?? '{}') as Record<string, string[]>
    return [...this.networks.values()].filter((n) =>
      (filters['label'] ?? []).every((f) => {
        const [key = '', value] = f.split('=')
        return value === undefined ? key in n.Labels : n.Labels[key] === value
      }),
    )
  }

  private list(query: URLSearchParams): unknown[] {
    const filters = JSON.parse(query.get('filters') ?? '{}') as Record<string, string[]>
    const all = query.get('all') === 'true' || query.get('all') === '1'
    return [...this.containers.values()]
      .filter((c) => all || c.running)
      .filter((c) =>
        (filters['label'] ?? []).every((f) => {
          const labels = (c.config['Labels'] ?? {}) as Record<string, string>
          const [key = '', value] = f.split('=')
          return value === undefined ? key in labels : labels[key] === value
        }),
      )
      .filter((c) => (filters['status'] ?? []).every((s) => (s === 'running') === c.running))
      .map((c) => ({
        Id: c.id,
        Names: [`/${c.name}`],
        Image: c.image,
        ImageID: this.images.get(c.image)?.Id ?? c.image,
        Labels: (c.config['Labels'] ?? {}) as Record<string, string>,
        State: c.running ? 'running' : 'exited',
        Status: c.running ? 'Up' : `Exited (${c.exitCode})`,
        Created: c.created,
      }))
  }

  private inspect(c: MockContainer): unknown {
    const host = (c.config['HostConfig'] ?? {}) as Record<string, unknown>
    return {
      Id: c.id,
      Name: `/${c.name}`,
      Image: this.images.get(c.image)?.Id ?? c.image,
      State: { Running: c.running, Restarting: false, Status: c.running ? 'running' : 'exited', ExitCode: c.exitCode },
      Config: {
        Image: c.image,
        Labels: c.config['Labels'] ?? {},
        Env: c.config['Env'] ?? [],
        Cmd: c.config['Cmd'] ?? null,
        Tty: false,
      },
      HostConfig: host,
      Mounts: [],
    }
  }
}

export interface MockNetwork {
  readonly Id: string
  readonly Name: string
  readonly Labels: Record<string, string>
  readonly Containers: Record<string, object>
}

function json(res: ServerResponse, code: number, value: unknown): boolean {
  res.writeHead(code, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(value))
  return true
}

function text(res: ServerResponse, code: number, value: string): boolean {
  res.writeHead(code, { 'Content-Type': 'text/plain' })
  res.end(value)
  return true
}

function status(res: ServerResponse, code: number): boolean {
  res.writeHead(code)
  res.end()
  return true
}

/** One frame of the engine's multiplexed stream (1 stdout, 2 stderr). */
function frame(stream: 1 | 2, textValue: string): Buffer {
  const payload = Buffer.from(textValue)
  if (payload.length === 0) return Buffer.alloc(0)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

/** A tar of `files` under ./ (as the archive API sends a folder: its own entry first). */
export async function tarOf(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const archive = pack()
  const chunks: Buffer[] = []
  archive.on('data', (c: unknown) => chunks.push(c as Buffer))
  const done = new Promise<void>((resolve) => archive.on('end', () => resolve()))
  archive.entry({ name: './', type: 'directory', mode: 0o755, mtime: new Date(1_700_000_000_000) })
  for (const [name, content] of Object.entries(files))
    archive.entry({ name: `./${name}`, mode: 0o644, mtime: new Date(1_700_000_000_000) }, content)
  archive.finalize()
  await done
  return Buffer.concat(chunks)
}

const emptyTar = (): Promise<Buffer> => tarOf({})
