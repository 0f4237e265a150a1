import type { EngineFacts } from '../../shared/types/hosts'
import type { EngineInspector } from './engine'

export async function readEngineFacts(engine: EngineInspector): Promise<EngineFacts> {
  const [version, info] = await Promise.all([engine.version(), engine.info()])
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
