import { useTranslation } from 'react-i18next'
import type { SnapshotEntry } from '../../../../shared/types/snapshots'
import { formatBytes, formatDateTime } from '../../components/format'
import { usePreview } from './queries'
import { SnapshotError } from './SnapshotError'
import { fileTypeLabel, permissionString } from './snapshotText'

interface PreviewPaneProps {
  readonly snapshotId: string
  readonly volume: number
  readonly entry: SnapshotEntry | null
  readonly path: string | null
}

/** The selected entry: its facts, and for a file the start of its text. */
export function PreviewPane({ snapshotId, volume, entry, path }: PreviewPaneProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  // Main reads regular files only; a hard link names the file that holds its contents.
  const readable = entry?.type === 'file'
  const preview = usePreview(snapshotId, volume, readable ? path : null)
  const state =
    entry === null
      ? 'empty'
      : !readable
        ? entry.type
        : preview.isPending
          ? 'loading'
          : preview.isError
            ? 'error'
            : preview.data.text === null
              ? 'binary'
              : 'text'

  return (
    <aside
      className="preview-pane"
      aria-label={t('snapshots.preview.label')}
      data-testid="preview"
      data-state={state}
      data-path={path ?? undefined}
    >
      {entry === null ? (
        <p className="muted">{t('snapshots.preview.none')}</p>
      ) : (
        <>
          <h3 className="preview-title mono">{path}</h3>
          <p className="hint">
            {t('snapshots.preview.facts', {
              type: fileTypeLabel(t, entry.type),
              size: formatBytes(i18n.language, entry.size),
              mode: permissionString(entry.type, entry.mode),
              owner: `${entry.uid}:${entry.gid}`,
              date: formatDateTime(i18n.language, entry.mtime),
            })}
          </p>
          {entry.linkTarget !== null && entry.type === 'symlink' && (
            <p className="mono small-text">{t('snapshots.browser.linkTarget', { target: entry.linkTarget })}</p>
          )}
          {entry.type === 'hardlink' && (
            <p className="muted">{t('snapshots.preview.hardlink', { target: entry.linkTarget ?? '' })}</p>
          )}
          {entry.type === 'directory' && <p className="muted">{t('snapshots.preview.directory')}</p>}
          {entry.type === 'symlink' && <p className="muted">{t('snapshots.preview.symlink')}</p>}
          {readable && preview.isPending && <p className="muted">{t('common.loading')}</p>}
          {readable && preview.isError && <SnapshotError error={preview.error} />}
          {readable && preview.data !== undefined && (
            <>
              {preview.data.text === null ? (
                <p className="notice" data-testid="preview-binary">
                  {t('snapshots.preview.binary', { size: formatBytes(i18n.language, preview.data.size) })}
                </p>
              ) : (
                <pre className="preview-text" data-testid="preview-text" tabIndex={0}>
                  {preview.data.text}
                </pre>
              )}
              {preview.data.truncated && (
                <p className="notice" data-testid="preview-truncated">
                  {t('snapshots.preview.truncated', { size: formatBytes(i18n.language, preview.data.size) })}
                </p>
              )}
            </>
          )}
        </>
      )}
    </aside>
  )
}
