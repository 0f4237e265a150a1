import type Dockerode from 'dockerode'
import type { EngineFacts } from '../../shared/types/hosts'

interface InfoFields {
  Containers?: number
  ContainersRunning?: number
  Images?: number
  Driver?: string
  KernelVersion?: string
}

export async function readEngineFacts(docker: Dockerode): Promise<EngineFacts> {
  const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<InfoFields>])
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    os: version.Os,
    arch: version.Arch,
    kernelVersion: info.KernelVersion ?? version.KernelVersion,
    storageDriver: info.Driver ?? '',
    containers: info.Containers ?? 0,
    containersRunning: info.ContainersRunning ?? 0,
    images: info.Images ?? 0,
  }
}
