import type Dockerode from 'dockerode'
import type { HelperOwner } from './engine'

/**
 * One host's engine connection. Outside src/main/docker/ it is only a token to hand on (lint
 * allows importing it there as a type only): the roles are made from it here, and the one that
 * changes containers only by the dispatch point's wiring.
 */
export class EngineHandle {
  readonly #docker: Dockerode

  constructor(
    docker: Dockerode,
    /** Whose helpers this connection makes (and may sweep). */
    readonly owner: HelperOwner,
  ) {
    this.#docker = docker
  }

  static client(handle: EngineHandle): Dockerode {
    return handle.#docker
  }
}
