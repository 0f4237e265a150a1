import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface DockerContextEndpoint {
  readonly name: string
  /** The engine address as the CLI stores it: `ssh://…`, `unix://…`, `tcp://…`. */
  readonly host: string
}

export interface SshEndpoint {
  readonly hostname: string
  readonly port: number | null
  readonly user: string | null
}

/**
 * The contexts `docker context ls` would list, minus the implicit `default`, sorted by name.
 * A context whose metadata cannot be read or understood is left out rather than failing the rest.
 */
export async function readDockerContexts(dockerConfigDir: string): Promise<DockerContextEndpoint[]> {
  const metaDir = join(dockerConfigDir, 'contexts', 'meta')
  let ids: string[]
  try {
    ids = await readdir(metaDir)
  } catch {
    return []
  }
  const contexts = await Promise.all(ids.map((id) => readContext(join(metaDir, id, 'meta.json'))))
  return contexts.filter((context) => context !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

async function readContext(path: string): Promise<DockerContextEndpoint | null> {
  try {
    return endpointOf(JSON.parse(await readFile(path, 'utf8')))
  } catch {
    return null
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function endpointOf(meta: unknown): DockerContextEndpoint | null {
  if (!isRecord(meta) || typeof meta.Name !== 'string' || meta.Name === '') return null
  const endpoints = meta.Endpoints
  const docker = isRecord(endpoints) ? endpoints.docker : undefined
  const host = isRecord(docker) ? docker.Host : undefined
  return typeof host === 'string' && host !== '' ? { name: meta.Name, host } : null
}

const SSH_URL = /^ssh:\/\/(?:([^@/?#]*)@)?(\[[^\]/?#@]+\]|[^:/?#@[\]]+)(?::(\d+))?\/?$/i

/** `ssh://[user@]host[:port]` as the docker CLI accepts it; null for other schemes, paths, queries or passwords. */
export function parseSshEndpoint(url: string): SshEndpoint | null {
  const match = SSH_URL.exec(url.trim())
  const rawHost = match?.[2]
  if (match === null || rawHost === undefined) return null
  const rawUser = match[1]
  const rawPort = match[3]
  if (rawUser?.includes(':') === true) return null
  const port = rawPort === undefined ? null : Number(rawPort)
  if (port !== null && (port < 1 || port > 65535)) return null
  const hostname = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost
  let user: string | null
  try {
    user = rawUser === undefined || rawUser === '' ? null : decodeURIComponent(rawUser)
  } catch {
    return null
  }
  return { hostname, port, user }
}
