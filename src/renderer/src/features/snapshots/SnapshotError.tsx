import { useTranslation } from 'react-i18next'
import { ArchiveRefusal } from './ArchiveRefusal'
import { SlipwayError } from '../../../../shared/errors'
import { ErrorText } from '../../components/ErrorText'
import { StoreError } from '../stores/StoreError'
import { storeReasonText } from '../stores/storeText'
import { preHookFailedText } from './snapshotText'

/**
 * An error by its code, with what the snapshot engine said about it: a destination that already
 * holds the name or is not a folder, or, when main refused an untrusted archive, which rule it
 * broke and the entry that broke it (`details.rule`, `details.entry`); a capture that a failing
 * pre-capture hook stopped, with the service and how the hook ended.
 */
export function SnapshotError({
  error,
  importing = false,
}: {
  error: unknown
  /** For an import, "exists" means the snapshot itself is already here, not a file in the way. */
  importing?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const details = error instanceof SlipwayError ? error.details : undefined
  const name = typeof details?.name === 'string' && details.name !== '' ? details.name : null
  const reason = details?.reason
  // A snapshot store refused (a capture going to one, a snapshot that is only in one): said as such.
  if (reason !== 'exists' && storeReasonText(t, typeof reason === 'string' ? reason : null, details) !== null) {
    return (
      <div className="snapshot-error">
        <StoreError error={error} />
      </div>
    )
  }
  const explanation =
    reason === 'exists' && importing
      ? t('snapshots.import.exists')
      : reason === 'exists'
        ? name === null
          ? t('snapshots.existsNoName')
          : t('snapshots.exists', { name })
        : reason === 'no_helper_image'
          ? t('snapshots.noHelperImage')
          : reason === 'unrestorable'
            ? t('snapshots.unrestorable', { volume: typeof details?.volume === 'string' ? details.volume : '' })
            : reason === 'not_a_file'
              ? t('snapshots.notAFile')
              : reason === 'restart_failed'
                ? t('snapshots.restartFailed')
                : reason === 'pre_hook_failed'
                  ? preHookFailedText(t, details)
                  : details?.field === 'destination'
                    ? t('snapshots.notAFolder')
                    : null
  return (
    <div className="snapshot-error">
      <ErrorText error={error} />
      {explanation !== null && (
        <p className="error" data-testid="error-explanation">
          {explanation}
        </p>
      )}
      <ArchiveRefusal details={details} />
    </div>
  )
}
