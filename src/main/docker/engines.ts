import Dockerode from 'dockerode'
import type { Agent } from 'node:http'
import { localDockerOptions } from './dockerHost'
import type { EngineRoles, HelperOwner } from './engine'
import { EngineHandle } from './engineHandle'
import { dockerodeExec } from './containerExec'
import { dockerodeInspector } from './engineInspector'
import { dockerodeHelpers } from './helperContainers'

/** The local engine, from DOCKER_HOST the way the docker CLI reads it. */
export function localEngine(dockerHost: string | undefined, owner: HelperOwner): EngineHandle {
  return new EngineHandle(new Dockerode(localDockerOptions(dockerHost)), owner)
}

/** A remote engine whose every HTTP connection is a stream `agent` opens (an SSH forwarding channel). */
export function engineThrough(socketPath: string, agent: Agent, owner: HelperOwner): EngineHandle {
  return new EngineHandle(new Dockerode({ socketPath, agent } as Dockerode.DockerOptions), owner)
}

const roles = new WeakMap<EngineHandle, EngineRoles>()

/** The roles any module may hold for this engine (never the container lifecycle). */
export function rolesOf(handle: EngineHandle): EngineRoles {
  let found = roles.get(handle)
  if (found === undefined) {
    const docker = EngineHandle.client(handle)
    found = {
      inspector: dockerodeInspector(docker),
      helpers: dockerodeHelpers(docker, handle.owner),
      exec: dockerodeExec(docker),
    }
    roles.set(handle, found)
  }
  return found
}
