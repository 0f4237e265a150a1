/** Labels that tie a container to its workload, service and deploy. */
export const LABELS = {
  workload: 'io.slipway.workload',
  service: 'io.slipway.service',
  deploy: 'io.slipway.deploy',
  /** The service's `dependsOn`, in compose's `com.docker.compose.depends_on` format. */
  dependsOn: 'io.slipway.depends-on',
} as const

/** Labels compose sets on what it creates; compose's own, not the app's. */
export const COMPOSE_LABEL_PREFIX = 'com.docker.compose.'
export const COMPOSE_DEPENDS_ON = 'com.docker.compose.depends_on'

export const COMPOSE_PROJECT = 'com.docker.compose.project'
export const COMPOSE_SERVICE = 'com.docker.compose.service'
