import { memo, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotEntry } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatDateTime, formatNumber } from '../../components/format'
import { EntryIcon } from './EntryIcon'
import { LocalDestinationDialog } from './LocalDestinationDialog'
import { snapshotHash } from './links'
import { useDirectory, useExtract } from './queries'
import { PreviewPane } from './PreviewPane'
import { fileTypeLabel, permissionString } from './snapshotText'

interface DirectoryViewProps {
  readonly snapshotId: string
  readonly volume: number
  /** '' is the volume's root; no leading slash. */
  readonly dir: string
}

/** An entry's path inside the volume, as main expects it back: relative, no `./`, no leading slash. */
function entryPath(dir: string, entry: SnapshotEntry): string {
  const fromEntry = entry.path.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '')
  if (fromEntry !== '') return fromEntry
  return dir === '' ? entry.name : `${dir}/${entry.name}`
}

/**
 * A directory of the volume, a page at a time (never thousands of rows at once), with a preview of
 * the selected file and Extract… for the selection or, with nothing selected, this directory.
 */
export function DirectoryView({ snapshotId, volume, dir }: DirectoryViewProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const listing = useDirectory(snapshotId, volume, dir)
  const [selected, setSelected] = useState<SnapshotEntry | null>(null)
  const [extracting, setExtracting] = useState(false)
  const radioGroup = useId()
  const entries = listing.data?.pages.flatMap((page) => page.entries) ?? []
  const total = listing.data?.pages.at(-1)?.total ?? 0
  const selectedPath = selected === null ? null : entryPath(dir, selected)
  const extractPath = selectedPath ?? dir

  return (
    <div className="directory-view">
      <div className="directory-toolbar">
        <Breadcrumb snapshotId={snapshotId} volume={volume} dir={dir} />
        <button type="button" onClick={() => setExtracting(true)} data-testid="extract" data-path={extractPath}>
          {selected === null
            ? dir === ''
              ? t('snapshots.extract.volume')
              : t('snapshots.extract.folder')
            : t('snapshots.extract.selected', { name: selected.name })}
        </button>
      </div>
      <div className="browser-panes">
        <div className="directory-pane">
          {listing.isPending && <p className="muted">{t('common.loading')}</p>}
          {listing.isError && <ErrorText error={listing.error} />}
          {listing.isSuccess && entries.length === 0 && (
            <p className="muted" data-testid="dir-empty">
              {t('snapshots.browser.emptyDir')}
            </p>
          )}
          {entries.length > 0 && (
            <div className="table-wrap">
              <table className="table directory-table" data-testid="directory" data-total={total}>
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">{t('snapshots.browser.select')}</span>
                    </th>
                    <th scope="col">{t('snapshots.browser.name')}</th>
                    <th scope="col">{t('snapshots.browser.type')}</th>
                    <th scope="col" className="numeric">
                      {t('snapshots.browser.size')}
                    </th>
                    <th scope="col">{t('snapshots.browser.mode')}</th>
                    <th scope="col">{t('snapshots.browser.owner')}</th>
                    <th scope="col">{t('snapshots.browser.modified')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <EntryRow
                      key={entry.name}
                      entry={entry}
                      path={entryPath(dir, entry)}
                      snapshotId={snapshotId}
                      volume={volume}
                      radioGroup={radioGroup}
                      selected={selected?.name === entry.name}
                      onSelect={setSelected}
                      language={language}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {entries.length > 0 && (
            <div className="pager" aria-live="polite">
              <span className="muted" data-testid="dir-count" data-shown={entries.length} data-total={total}>
                {t('snapshots.browser.shown', {
                  shown: formatNumber(language, entries.length),
                  total: formatNumber(language, total),
                })}
              </span>
              {listing.hasNextPage && (
                <button
                  type="button"
                  className="small"
                  disabled={listing.isFetchingNextPage}
                  onClick={() => void listing.fetchNextPage()}
                  data-testid="load-more"
                >
                  {listing.isFetchingNextPage ? t('common.loading') : t('snapshots.browser.loadMore')}
                </button>
              )}
              {listing.isFetchNextPageError && <ErrorText error={listing.error} />}
            </div>
          )}
        </div>
        <PreviewPane snapshotId={snapshotId} volume={volume} entry={selected} path={selectedPath} />
      </div>
      {extracting && (
        <ExtractDialog
          snapshotId={snapshotId}
          volume={volume}
          path={extractPath}
          onClose={() => setExtracting(false)}
        />
      )}
    </div>
  )
}

function Breadcrumb({ snapshotId, volume, dir }: DirectoryViewProps): React.JSX.Element {
  const { t } = useTranslation()
  const parts = dir === '' ? [] : dir.split('/')
  return (
    <nav aria-label={t('snapshots.browser.path')} data-testid="breadcrumb" data-dir={dir}>
      <ol className="path-crumbs">
        <li>
          {parts.length === 0 ? (
            <span aria-current="location">{t('snapshots.browser.root')}</span>
          ) : (
            <a href={snapshotHash(snapshotId, { volume, dir: '' })}>{t('snapshots.browser.root')}</a>
          )}
        </li>
        {parts.map((part, index) => (
          <li key={parts.slice(0, index + 1).join('/')}>
            {index === parts.length - 1 ? (
              <span aria-current="location">{part}</span>
            ) : (
              <a href={snapshotHash(snapshotId, { volume, dir: parts.slice(0, index + 1).join('/') })}>{part}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}

interface EntryRowProps {
  readonly entry: SnapshotEntry
  readonly path: string
  readonly snapshotId: string
  readonly volume: number
  readonly radioGroup: string
  readonly selected: boolean
  readonly onSelect: (entry: SnapshotEntry) => void
  readonly language: string
}

/** Memoised: selecting one row of a 500-row page re-renders two rows, not all of them. */
const EntryRow = memo(function EntryRow({
  entry,
  path,
  snapshotId,
  volume,
  radioGroup,
  selected,
  onSelect,
  language,
}: EntryRowProps): React.JSX.Element {
  const { t } = useTranslation()
  const isDir = entry.type === 'directory'
  return (
    <tr className={selected ? 'selected' : undefined} data-testid={`dir-entry-${entry.name}`} data-type={entry.type}>
      <td className="select-cell">
        <input
          type="radio"
          name={radioGroup}
          checked={selected}
          onChange={() => onSelect(entry)}
          aria-label={t('snapshots.browser.selectEntry', { name: entry.name })}
        />
      </td>
      <td className="entry-name">
        <EntryIcon type={entry.type} />
        {isDir ? (
          <a href={snapshotHash(snapshotId, { volume, dir: path })} data-testid="open-dir">
            {entry.name}
          </a>
        ) : (
          <button type="button" className="link-button" onClick={() => onSelect(entry)} data-testid="open-file">
            {entry.name}
          </button>
        )}
        {entry.linkTarget !== null && (
          <span className="link-target mono" data-testid="link-target">
            {t('snapshots.browser.linkTarget', { target: entry.linkTarget })}
          </span>
        )}
      </td>
      <td className="muted nowrap">{fileTypeLabel(t, entry.type)}</td>
      <td className="numeric nowrap">
        {entry.type === 'file' || entry.type === 'hardlink' ? formatBytes(language, entry.size) : ''}
      </td>
      <td className="mono nowrap">{permissionString(entry.type, entry.mode)}</td>
      <td className="mono nowrap">
        {entry.uid}:{entry.gid}
      </td>
      <td className="nowrap">
        <time dateTime={entry.mtime}>{formatDateTime(language, entry.mtime)}</time>
      </td>
    </tr>
  )
})

function ExtractDialog({
  snapshotId,
  volume,
  path,
  onClose,
}: {
  snapshotId: string
  volume: number
  path: string
  onClose: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const extract = useExtract(snapshotId)
  const action = {
    isPending: extract.isPending,
    isError: extract.isError,
    error: extract.error,
    data: extract.data,
    mutate: (destination: string) => extract.mutate({ volume, path, destination }),
    reset: extract.reset,
  }
  const volumeNumber = formatNumber(i18n.language, volume + 1)
  return (
    <LocalDestinationDialog
      title={t('snapshots.extract.title')}
      summary={
        <p>
          {path === '' ? (
            t('snapshots.extract.wholeVolume', { n: volumeNumber })
          ) : (
            <>
              {t('snapshots.extract.what', { n: volumeNumber })} <span className="mono">{path}</span>
            </>
          )}
        </p>
      }
      hint={t('snapshots.extract.hint')}
      confirmLabel={t('snapshots.extract.confirm')}
      runningLabel={t('snapshots.extract.running')}
      doneLabel={t('snapshots.extract.done')}
      action={action}
      testPrefix="extract"
      onClose={onClose}
    />
  )
}
