import type { ErrorCode } from '../../../shared/errors'
import type { StoreFailure, StoreLock } from '../../../shared/types/stores'
import { AppError } from '../../errors'

/** Ordered: restic's "unreachable" messages also ask "Is there a repository …?". */
const PATTERNS: readonly (readonly [StoreFailure, RegExp])[] = [
  ['no_space', /no space left on device|disk quota exceeded|ENOSPC/i],
  ['locked', /repository is already locked|unable to create lock in backend/i],
  ['wrong_password', /wrong password or no key found/i],
  ['already_a_repository', /config file already exists|already initialized|repository master key and config already/i],
  [
    'unreachable',
    /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|unable to start the sftp session|ssh command exited|connection reset|handshake failed|host key verification failed|permission denied \(publickey|timeout awaiting|server response unexpected|EOF$/im,
  ],
  ['not_a_repository', /Is there a repository at the following location|unable to open config file|does not exist/i],
]

export function classifyStderr(stderr: string): StoreFailure {
  for (const [failure, pattern] of PATTERNS) if (pattern.test(stderr)) return failure
  return 'failed'
}

/** The holder restic names when a lock is in the way: shown to the user before an explicit unlock. */
export function lockHolder(stderr: string): StoreLock {
  const pid = /locked(?: exclusively)? by PID (\d+)/i.exec(stderr)
  const host = /by PID \d+ on (\S+)/i.exec(stderr)
  const created = /lock was created at ([0-9-]+ [0-9:]+)/i.exec(stderr)
  return { pid: pid ? Number(pid[1]) : null, host: host?.[1] ?? null, createdAt: created?.[1] ?? null }
}

const CODES: Readonly<Record<StoreFailure, ErrorCode>> = {
  restic_missing: 'UNAVAILABLE',
  wrong_password: 'AUTH_FAILED',
  locked: 'BUSY',
  not_a_repository: 'NOT_FOUND',
  already_a_repository: 'CONFLICT',
  unreachable: 'UNAVAILABLE',
  no_space: 'CONFLICT',
  failed: 'INTERNAL',
}

/** A typed error the renderer can explain; restic's own text stays in the log (as the cause). */
export function storeError(failure: StoreFailure, stderr: string, cause?: unknown): AppError {
  const lock = failure === 'locked' ? lockHolder(stderr) : null
  return new AppError(CODES[failure], `snapshot store: ${failure}`, {
    details: {
      reason: `store_${failure}`,
      ...(lock === null ? {} : { lockPid: lock.pid, lockHost: lock.host, lockCreatedAt: lock.createdAt }),
    },
    cause: cause ?? new Error(stderr.slice(-4000)),
  })
}

/** The failure a store error carries, if it is one. */
export function storeFailureOf(error: unknown): StoreFailure | null {
  if (!(error instanceof AppError)) return null
  const reason = error.details?.['reason']
  return typeof reason === 'string' && reason.startsWith('store_') ? (reason.slice(6) as StoreFailure) : null
}

/** The same store error, naming the store it came from (so the UI can offer that store's unlock). */
export function fromStore(error: unknown, storeId: string): unknown {
  if (storeFailureOf(error) === null || !(error instanceof AppError)) return error
  return new AppError(error.code, error.message, { details: { ...error.details, storeId }, cause: error.cause })
}
