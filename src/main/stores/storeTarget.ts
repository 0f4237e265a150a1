import type { Duplex } from 'node:stream'
import type { StoreLocation } from '../../shared/types/stores'
import type { ResticAccess } from './restic/resticProcess'
import type { SftpBridge } from './sftpBridge'

export const storePasswordKey = (storeId: string): string => `store-password:${storeId}`
/** The backend's own secret: the S3 secret access key, or the REST server's password. */
export const storeSecretKey = (storeId: string): string => `store-secret:${storeId}`

export interface StoreSecrets {
  readonly password: string
  readonly backendSecret: string | null
}

export interface TargetDeps {
  readonly binary: string
  readonly cacheDir: string
  readonly bridge: SftpBridge
  readonly openSftp: (hostId: string) => Promise<Duplex>
}

/** How restic reaches a store: repository string, environment and options. */
export function resticAccess(location: StoreLocation, secrets: StoreSecrets, deps: TargetDeps): ResticAccess {
  const base = { binary: deps.binary, password: secrets.password, cacheDir: deps.cacheDir }
  switch (location.kind) {
    case 'folder':
      return { ...base, repository: location.path, env: {}, options: [] }
    case 'sftp':
      return {
        ...base,
        repository: `sftp:slipway:${location.path}`,
        env: {},
        options: [],
        session: async () => {
          const session = await deps.bridge.session(() => deps.openSftp(location.hostId))
          return {
            env: session.env,
            // An option, not env: restic has no variable for it. The command holds no secret.
            options: [`sftp.command=${session.command}`],
            close: () => session.close(),
          }
        },
      }
    case 'rest': {
      const url = new URL(location.url)
      if (location.username !== null) url.username = encodeURIComponent(location.username)
      if (secrets.backendSecret !== null) url.password = encodeURIComponent(secrets.backendSecret)
      return { ...base, repository: `rest:${url.toString()}`, env: {}, options: [] }
    }
    case 's3': {
      const endpoint = location.endpoint.replace(/\/+$/, '')
      const prefix = location.prefix.replace(/^\/+|\/+$/g, '')
      return {
        ...base,
        repository: `s3:${endpoint}/${location.bucket}${prefix === '' ? '' : `/${prefix}`}`,
        env: {
          AWS_ACCESS_KEY_ID: location.accessKeyId,
          AWS_SECRET_ACCESS_KEY: secrets.backendSecret ?? '',
          ...(location.region === null ? {} : { AWS_DEFAULT_REGION: location.region }),
        },
        options: [],
      }
    }
  }
}

/** What the user reads for a store: never a credential. */
export function displayLocation(location: StoreLocation, hostName: (hostId: string) => string): string {
  switch (location.kind) {
    case 'folder':
      return location.path
    case 'sftp':
      return `sftp:${hostName(location.hostId)}:${location.path}`
    case 'rest': {
      const url = new URL(location.url)
      url.username = location.username ?? ''
      url.password = ''
      return url.toString()
    }
    case 's3':
      return `s3:${location.endpoint}/${location.bucket}${location.prefix === '' ? '' : `/${location.prefix}`}`
  }
}
