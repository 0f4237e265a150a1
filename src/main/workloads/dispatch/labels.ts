/** Labels that tie a container to its workload, service and deploy. */
export const LABELS = {
  workload: 'io.slipway.workload',
  service: 'io.slipway.service',
  deploy: 'io.slipway.deploy',
} as const

export const COMPOSE_PROJECT = 'com.docker.compose.project'
export const COMPOSE_SERVICE = 'com.docker.compose.service'
