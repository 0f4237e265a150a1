import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { VerifyResult } from '../../../../shared/types/snapshots'
import { formatNumber } from '../../components/format'
import { SnapshotError } from './SnapshotError'
import { useVerify } from './queries'

/**
 * Re-reads the snapshot's archives against their recorded hashes and says whether they are intact.
 * A snapshot that is only in stores has no archives here: the button says so and stays disabled.
 */
export function VerifyButton({
  snapshotId,
  local = true,
  testId = `verify-${snapshotId}`,
  small = true,
}: {
  snapshotId: string
  /** Whether the snapshot's archives are on this computer (`places.local`). */
  local?: boolean
  testId?: string
  /** The compact size for table rows; a page toolbar wants the normal one. */
  small?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const verify = useVerify(snapshotId)
  const notHereId = useId()
  return (
    <span className="verify">
      <button
        type="button"
        className={small ? 'small' : undefined}
        disabled={verify.isPending || !local}
        title={local ? t('snapshots.verify.hint') : t('stores.notLocal.verify')}
        aria-describedby={local ? undefined : notHereId}
        onClick={() => verify.mutate()}
        data-testid={testId}
      >
        {verify.isPending ? t('snapshots.verify.running') : t('snapshots.verify.button')}
      </button>
      <span aria-live="polite">
        {verify.isSuccess && <VerifyOutcome snapshotId={snapshotId} result={verify.data} />}
      </span>
      {!local && (
        <span id={notHereId} className="visually-hidden">
          {t('stores.notLocal.verify')}
        </span>
      )}
      {verify.isError && <SnapshotError error={verify.error} />}
    </span>
  )
}

function VerifyOutcome({ snapshotId, result }: { snapshotId: string; result: VerifyResult }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const damaged = result.volumes.filter((volume) => !volume.ok).map((volume) => volume.index + 1)
  return (
    <span
      className={`badge ${result.ok ? 'badge-ok' : 'badge-bad'}`}
      role="status"
      data-testid={`verify-result-${snapshotId}`}
      data-ok={String(result.ok)}
    >
      {result.ok
        ? t('snapshots.verify.ok')
        : damaged.length === 0
          ? t('snapshots.verify.failed')
          : t('snapshots.verify.damaged', {
              volumes: damaged.map((n) => formatNumber(i18n.language, n)).join(', '),
            })}
    </span>
  )
}
