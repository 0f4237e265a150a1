/** The real engine and sshd that scripts/test-env.sh started, as the tests see them. */
export interface TestEnv {
  readonly dockerHost: string
  readonly dockerSocket: string
  readonly image: string
  /** PostgreSQL 15 from Debian's packages (its CMD starts it on $PGDATA, socket in /run/postgresql). */
  readonly postgresImage: string
  /** Redis 7 from Debian's packages, as the official image runs it: data in /data, no AOF, loopback only. */
  readonly redisImage: string
  readonly ssh: {
    readonly host: string
    readonly port: number
    readonly user: string
    readonly keyPath: string
    readonly hostKeyPub: string
    readonly authorizedKeys: string
    readonly sshdConfig: string
  }
  readonly chromium: string
  readonly envDir: string
}

function required(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the tests with \`npm test\` (it starts the test environment)`)
  }
  return value
}

export function testEnv(): TestEnv {
  return {
    dockerHost: required('SLIPWAY_TEST_DOCKER_HOST'),
    dockerSocket: required('SLIPWAY_TEST_DOCKER_SOCKET'),
    image: required('SLIPWAY_TEST_IMAGE'),
    postgresImage: required('SLIPWAY_TEST_POSTGRES_IMAGE'),
    redisImage: required('SLIPWAY_TEST_REDIS_IMAGE'),
    ssh: {
      host: required('SLIPWAY_TEST_SSH_HOST'),
      port: Number(required('SLIPWAY_TEST_SSH_PORT')),
      user: required('SLIPWAY_TEST_SSH_USER'),
      keyPath: required('SLIPWAY_TEST_SSH_KEY'),
      hostKeyPub: required('SLIPWAY_TEST_SSH_HOST_KEY_PUB'),
      authorizedKeys: required('SLIPWAY_TEST_SSH_AUTHORIZED_KEYS'),
      sshdConfig: required('SLIPWAY_TEST_SSHD_CONFIG'),
    },
    chromium: required('SLIPWAY_TEST_CHROMIUM'),
    envDir: required('SLIPWAY_TEST_ENV_DIR'),
  }
}
