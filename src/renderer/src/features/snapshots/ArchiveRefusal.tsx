import { useTranslation } from 'react-i18next'
import type { ErrorDetails } from '../../../../shared/errors'
import { archiveRuleText } from './snapshotText'

/** Which rule an untrusted archive broke, and at which entry, when an error says so. */
export function ArchiveRefusal({ details }: { details: ErrorDetails | undefined }): React.JSX.Element | null {
  const { t } = useTranslation()
  const rule = archiveRuleText(t, details)
  const entry = typeof details?.entry === 'string' && details.entry !== '' ? details.entry : null
  if (rule === null && entry === null) return null
  return (
    <>
      {rule !== null && (
        <p className="error" data-testid="archive-rule" data-rule={String(details?.rule)}>
          {t('snapshots.refused', { reason: rule })}
        </p>
      )}
      {entry !== null && (
        <p className="error small-text" data-testid="archive-entry">
          {t('snapshots.refusedEntry')} <span className="mono entry-name">{entry}</span>
        </p>
      )}
    </>
  )
}
