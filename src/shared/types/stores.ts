/** Where a restic repository lives. Secrets (password, S3 secret key, REST password) are never in here. */
export type StoreLocation =
  | { readonly kind: 'folder'; readonly path: string }
  /** Reuses an SSH host Slipway already knows: its key, agent, passphrase and trusted host key. */
  | { readonly kind: 'sftp'; readonly hostId: string; readonly path: string }
  | { readonly kind: 'rest'; readonly url: string; readonly username: string | null }
  | {
      readonly kind: 's3'
      readonly endpoint: string
      readonly bucket: string
      readonly prefix: string
      readonly region: string | null
      readonly accessKeyId: string
    }

export type StoreKind = StoreLocation['kind']

/** Why a repository operation failed; crosses as `details.reason` = `store_<failure>`. */
export type StoreFailure =
  | 'restic_missing'
  | 'wrong_password'
  | 'locked'
  | 'not_a_repository'
  | 'already_a_repository'
  | 'unreachable'
  | 'no_space'
  | 'failed'

export interface StoreSummary {
  readonly id: string
  readonly name: string
  readonly location: StoreLocation
  /** What the user reads: a path, `sftp:host:/path`, a URL without credentials. */
  readonly display: string
  readonly createdAt: string
  /** Snapshots this desktop knows to have a copy in the store. */
  readonly snapshots: number
}

export interface StoreStats {
  /** Bytes the repository occupies (deduplicated, compressed, encrypted). */
  readonly storedBytes: number
  /** Bytes a restore of every snapshot in it would write. */
  readonly restoreBytes: number
  readonly resticSnapshots: number
}

export interface StoreLock {
  readonly pid: number | null
  readonly host: string | null
  readonly createdAt: string | null
}

export interface CatalogResult {
  /** Snapshots newly known to this desktop (listed from the repository's tags and manifests). */
  readonly added: number
  /** Already known: only their copy in this store was recorded. */
  readonly known: number
  /** Manifests that could not be read or did not validate (skipped, never trusted). */
  readonly skipped: number
}

export interface StoreVerifyResult {
  readonly checkOk: boolean
  /** The share of pack data `restic check` read back. */
  readonly readDataPercent: number
  /** The drill: every volume restored into a scratch folder and compared with the local index. */
  readonly volumes: readonly {
    readonly index: number
    readonly ok: boolean
    readonly files: number
    /** Index entries missing from, or differing in, the restored tree (0 when ok). */
    readonly mismatches: number
  }[]
}

export interface StoreDestination {
  readonly storeId: string
  readonly keepLast: number
  readonly keepDaily: number
  readonly keepWeekly: number
}

/** Where a workload's manual and scheduled snapshots go. Pre-deploy and pre-restore ones stay on this computer. */
export interface SnapshotDestinations {
  /** "This computer": the `.tar.gz` folder, retained by the workload's policy. */
  readonly local: boolean
  readonly stores: readonly StoreDestination[]
}

/** Where one snapshot's data is: this computer and/or stores. */
export interface SnapshotPlaces {
  readonly local: boolean
  readonly stores: readonly { readonly storeId: string; readonly name: string }[]
}
