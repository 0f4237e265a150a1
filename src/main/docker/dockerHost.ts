import type { DockerOptions } from 'dockerode'

const DEFAULT_SOCKET = '/var/run/docker.sock'

/**
 * Connection options for the local engine from DOCKER_HOST the way the docker CLI reads it:
 * unix:// sockets and plain tcp:// (TLS from DOCKER_CERT_PATH is not supported yet).
 */
export function localDockerOptions(dockerHost: string | undefined): DockerOptions {
  const value = dockerHost?.trim()
  if (value === undefined || value === '') return { socketPath: DEFAULT_SOCKET }
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length)
    if (socketPath === '') throw new Error('DOCKER_HOST has an empty unix socket path')
    return { socketPath }
  }
  if (value.startsWith('tcp://')) {
    const url = new URL(value)
    return { protocol: 'http', host: url.hostname, port: url.port === '' ? 2375 : Number(url.port) }
  }
  throw new Error(`DOCKER_HOST scheme is not supported: ${value.split(':')[0] ?? ''}`)
}
