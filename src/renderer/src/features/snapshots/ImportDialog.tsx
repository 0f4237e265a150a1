import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { Dialog } from '../../components/Dialog'
import { formatBytes, formatDateTime } from '../../components/format'
import { LocalPathField } from '../../components/LocalPathField'
import { snapshotHash } from './links'
import { useImportSnapshot } from './queries'
import { SnapshotError } from './SnapshotError'
import { snapshotHostName } from './snapshotText'

/** Brings an exported snapshot file back in; main checks every entry before keeping it. */
export function ImportDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const importing = useImportSnapshot()
  const [path, setPath] = useState('')
  const [invalid, setInvalid] = useState(false)

  return (
    <Dialog title={t('snapshots.import.title')} onClose={onClose} busy={importing.isPending} testId="import-dialog">
      {importing.isSuccess ? (
        <Imported snapshot={importing.data} onClose={onClose} />
      ) : (
        <form
          className="stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            const trimmed = path.trim()
            if (trimmed === '') {
              setInvalid(true)
              return
            }
            importing.mutate(trimmed)
          }}
        >
          <p className="hint">{t('snapshots.import.intro')}</p>
          <LocalPathField
            kind="file"
            value={path}
            onChange={(next) => {
              setPath(next)
              setInvalid(false)
              importing.reset()
            }}
            label={t('snapshots.import.path')}
            hint={t('snapshots.import.pathHint')}
            error={invalid ? t('snapshots.pathRequired') : undefined}
            disabled={importing.isPending}
            testId="import-path"
          />
          {importing.isError && <SnapshotError error={importing.error} importing />}
          <div className="dialog-actions">
            <button type="button" onClick={onClose} disabled={importing.isPending}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={importing.isPending} data-testid="confirm-import">
              {importing.isPending ? t('snapshots.import.running') : t('snapshots.import.confirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

function Imported({ snapshot, onClose }: { snapshot: SnapshotSummary; onClose: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <div className="stack" data-testid="import-result" data-snapshot-id={snapshot.id}>
      <p className="ok-text" role="status">
        {t('snapshots.import.done', {
          name: snapshot.workloadName,
          host: snapshotHostName(t, snapshot),
          date: formatDateTime(i18n.language, snapshot.createdAt),
          size: formatBytes(i18n.language, snapshot.bytes),
        })}
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
        <a className="button-link primary" href={snapshotHash(snapshot.id)} onClick={onClose}>
          {t('snapshots.import.open')}
        </a>
      </div>
    </div>
  )
}
