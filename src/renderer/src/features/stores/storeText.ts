import type { TFunction } from 'i18next'
import { SlipwayError, type ErrorDetails } from '../../../../shared/errors'
import type { StoreKind, StoreLock } from '../../../../shared/types/stores'

export function storeKindLabel(t: TFunction, kind: StoreKind): string {
  switch (kind) {
    case 'folder':
      return t('stores.kind.folder')
    case 'sftp':
      return t('stores.kind.sftp')
    case 'rest':
      return t('stores.kind.rest')
    case 's3':
      return t('stores.kind.s3')
  }
}

/** `details.reason` of an error, when it is a string. */
export function errorReason(error: unknown): string | null {
  const reason = error instanceof SlipwayError ? error.details?.['reason'] : undefined
  return typeof reason === 'string' ? reason : null
}

/**
 * What a snapshot store's failure means for the user, by `details.reason`; null for a reason that is
 * not about stores (the caller shows the generic text of the code).
 */
export function storeReasonText(t: TFunction, reason: string | null, details: ErrorDetails | undefined): string | null {
  switch (reason) {
    case 'store_wrong_password':
      return t('stores.errors.wrongPassword')
    case 'store_locked':
      return t('stores.errors.locked')
    case 'store_unreachable':
      return t('stores.errors.unreachable')
    case 'store_no_space':
      return t('stores.errors.noSpace')
    case 'store_not_a_repository':
      return t('stores.errors.notARepository')
    case 'store_already_a_repository':
      return t('stores.errors.alreadyARepository')
    case 'store_restic_missing':
      return t('stores.errors.resticMissing')
    case 'store_failed':
      return t('stores.errors.failed')
    case 'store_no_password':
      return t('stores.errors.noPassword')
    case 'exists':
      return details?.['field'] === 'location' ? t('stores.errors.existsLocation') : t('stores.errors.existsName')
    case 'no_destination':
      return t('stores.errors.noDestination')
    case 'not_local':
      return t('stores.errors.notLocal')
    case 'no_copy':
      return t('stores.errors.noCopy')
    case 'hash_mismatch':
      return t('stores.errors.hashMismatch')
    default:
      return null
  }
}

/** Who holds a repository's lock, as restic named it (any part may be unknown). */
export function lockOf(details: ErrorDetails | undefined): StoreLock {
  const pid = details?.['lockPid']
  const host = details?.['lockHost']
  const createdAt = details?.['lockCreatedAt']
  return {
    pid: typeof pid === 'number' ? pid : null,
    host: typeof host === 'string' && host !== '' ? host : null,
    createdAt: typeof createdAt === 'string' && createdAt !== '' ? createdAt : null,
  }
}
