import type Dockerode from 'dockerode'
import { PassThrough, type Readable } from 'node:stream'
import type { ContainerQuery, EngineInfo, EngineInspector, LogStreams } from './engine'
import { statusOf } from './engineErrors'

/** null for a 404; every other failure is thrown as the engine gave it. */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call
  } catch (error) {
    if (statusOf(error) === 404) return null
    throw error
  }
}

function filters(query: ContainerQuery): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (query.labels !== undefined && query.labels.length > 0) out['label'] = [...query.labels]
  if (query.status !== undefined && query.status.length > 0) out['status'] = [...query.status]
  return out
}

export function dockerodeInspector(docker: Dockerode): EngineInspector {
  return {
    ping: async () => {
      await docker.ping()
    },
    version: () => docker.version(),
    info: async () => (await docker.info()) as EngineInfo,
    listContainers: (query = {}) =>
      docker.listContainers({
        all: query.all ?? false,
        filters: filters(query),
        ...(query.signal === undefined ? {} : { abortSignal: query.signal }),
      }),
    inspectContainer: (id) => orNull(docker.getContainer(id).inspect()),
    inspectImage: (ref) => orNull(docker.getImage(ref).inspect()),
    listImages: () => docker.listImages(),
    inspectVolume: (name) => orNull(docker.getVolume(name).inspect()),
    inspectNetwork: (name) => orNull(docker.getNetwork(name).inspect()),
    listNetworks: (labels) => docker.listNetworks({ filters: { label: [...labels] } }),
    // (The engine API and dockerode take abortSignal here; the typings leave it out.)
    stats: (id, signal) =>
      docker.getContainer(id).stats({ stream: false, 'one-shot': true, abortSignal: signal } as { stream: false }),
    followLogs: async (id, tail) => {
      const container = docker.getContainer(id)
      const tty = (await container.inspect()).Config.Tty
      const raw = (await container.logs({ follow: true, stdout: true, stderr: true, tail })) as unknown as Readable
      return splitStreams(docker, raw, tty)
    },
  }
}

function splitStreams(docker: Dockerode, raw: Readable, tty: boolean): LogStreams {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  if (tty) raw.pipe(stdout)
  else docker.modem.demuxStream(raw, stdout, stderr)
  const end = (): void => {
    stdout.end()
    stderr.end()
  }
  raw.on('end', end)
  raw.on('close', end)
  raw.on('error', end)
  return {
    stdout,
    stderr,
    close: () => {
      raw.destroy()
      end()
    },
  }
}
