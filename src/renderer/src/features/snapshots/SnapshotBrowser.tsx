import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotSummary, SnapshotVolume } from '../../../../shared/types/snapshots'
import { navigate } from '../../app/route'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatDateTime, formatNumber } from '../../components/format'
import { DirectoryView } from './DirectoryView'
import { IndexButton } from './IndexButton'
import { LocalDestinationDialog } from './LocalDestinationDialog'
import { PlacesBadges } from './PlacesBadges'
import { StoreVerifyButton } from './StoreVerifyButton'
import { snapshotHash, snapshotListHash } from './links'
import { useExportSnapshot, useSnapshot } from './queries'
import { captureModeLabel, originLabel, snapshotHostName, volumeKindLabel, volumeMounts } from './snapshotText'
import { VerifyButton } from './VerifyButton'

interface SnapshotBrowserProps {
  readonly snapshotId: string
  readonly volume: number
  readonly dir: string
}

/** One snapshot, read offline: its volumes, their folders and files, and what can be taken out. */
export function SnapshotBrowser({ snapshotId, volume, dir }: SnapshotBrowserProps): React.JSX.Element {
  const { t } = useTranslation()
  const snapshot = useSnapshot(snapshotId)
  return (
    <section className="snapshot-browser" data-testid="snapshot-browser" data-snapshot-id={snapshotId}>
      <p className="breadcrumb">
        <a href={snapshotListHash()} data-testid="back-to-snapshots">
          {t('snapshots.browser.back')}
        </a>
      </p>
      {snapshot.isPending && <p className="muted">{t('common.loading')}</p>}
      {snapshot.isError && <ErrorText error={snapshot.error} />}
      {snapshot.data !== undefined && <Loaded snapshot={snapshot.data} volume={volume} dir={dir} />}
    </section>
  )
}

function Loaded({
  snapshot,
  volume,
  dir,
}: {
  snapshot: SnapshotSummary
  volume: number
  dir: string
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const selectId = useId()
  const [exporting, setExporting] = useState(false)
  const current = snapshot.volumes.find((candidate) => candidate.index === volume) ?? snapshot.volumes[0]

  return (
    <>
      <header className="page-header">
        <div className="detail-title">
          <h1 data-testid="snapshot-title">{snapshot.workloadName}</h1>
          <time className="muted" dateTime={snapshot.createdAt}>
            {formatDateTime(language, snapshot.createdAt)}
          </time>
          {snapshot.pinned && <span className="badge badge-ok">{t('snapshots.pin.pinned')}</span>}
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('snapshots.browser.actions')}>
          <VerifyButton snapshotId={snapshot.id} local={snapshot.places.local} testId="browser-verify" small={false} />
          {snapshot.places.stores.map((store) => (
            <StoreVerifyButton key={store.storeId} snapshotId={snapshot.id} store={store} small={false} />
          ))}
          <button
            type="button"
            disabled={!snapshot.places.local}
            title={snapshot.places.local ? undefined : t('stores.notLocal.export')}
            onClick={() => setExporting(true)}
            data-testid="export-snapshot"
          >
            {t('snapshots.export.button')}
          </button>
        </div>
      </header>
      {!snapshot.places.local && (
        <p className="hint" data-testid="not-local-note">
          {t('stores.notLocal.note')}
        </p>
      )}

      <dl className="facts snapshot-facts">
        <dt>{t('snapshots.facts.host')}</dt>
        <dd>{snapshotHostName(t, snapshot)}</dd>
        {snapshot.label !== null && (
          <>
            <dt>{t('snapshots.facts.label')}</dt>
            <dd>{snapshot.label}</dd>
          </>
        )}
        <dt>{t('snapshots.facts.origin')}</dt>
        <dd>
          {originLabel(t, snapshot.origin)} · {captureModeLabel(t, snapshot.mode)}
        </dd>
        <dt>{t('snapshots.facts.contents')}</dt>
        <dd>
          {snapshot.places.local
            ? t('snapshots.facts.contentsValue', {
                files: formatNumber(language, snapshot.files),
                size: formatBytes(language, snapshot.bytes),
                archive: formatBytes(language, snapshot.archiveBytes),
              })
            : t('stores.contentsNotLocal', {
                files: formatNumber(language, snapshot.files),
                size: formatBytes(language, snapshot.bytes),
              })}
        </dd>
        <dt>{t('stores.places.column')}</dt>
        <dd>
          <PlacesBadges places={snapshot.places} />
        </dd>
      </dl>

      {current === undefined ? (
        <p className="muted" data-testid="no-volumes">
          {t('snapshots.browser.noVolumes')}
        </p>
      ) : (
        <>
          <div className="volume-picker">
            <label htmlFor={selectId}>{t('snapshots.browser.volume')}</label>
            <select
              id={selectId}
              value={current.index}
              onChange={(event) => navigate(snapshotHash(snapshot.id, { volume: Number(event.target.value), dir: '' }))}
              data-testid="volume-select"
            >
              {snapshot.volumes.map((candidate) => (
                <option key={candidate.index} value={candidate.index}>
                  {t('snapshots.browser.volumeOption', {
                    n: formatNumber(language, candidate.index + 1),
                    mounts: volumeMounts(candidate),
                    source: candidate.source,
                  })}
                </option>
              ))}
            </select>
          </div>
          <VolumeFacts volume={current} local={snapshot.places.local} />
          {snapshot.indexed ? (
            <DirectoryView
              key={`${current.index}/${dir}`}
              snapshotId={snapshot.id}
              volume={current.index}
              dir={current.index === volume ? dir : ''}
            />
          ) : (
            <div className="not-indexed" data-testid="not-indexed">
              <p className="hint">{t('stores.index.browseNote')}</p>
              <IndexButton snapshot={snapshot} small={false} />
            </div>
          )}
        </>
      )}

      {exporting && <ExportDialog snapshot={snapshot} onClose={() => setExporting(false)} />}
    </>
  )
}

function VolumeFacts({ volume, local }: { volume: SnapshotVolume; local: boolean }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  return (
    <dl className="facts volume-facts" data-testid="volume-facts" data-kind={volume.kind}>
      <dt>{t('snapshots.browser.mounts')}</dt>
      <dd>
        <ul className="plain-list">
          {volume.mounts.map((mount) => (
            <li key={`${mount.service}:${mount.target}`} className="mono">
              {mount.service}:{mount.target}
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t('snapshots.browser.kind')}</dt>
      <dd>{volumeKindLabel(t, volume.kind)}</dd>
      <dt>{t('snapshots.browser.source')}</dt>
      <dd className="mono">{volume.source}</dd>
      <dt>{t('snapshots.facts.contents')}</dt>
      <dd>
        {local
          ? t('snapshots.facts.contentsValue', {
              files: formatNumber(language, volume.files),
              size: formatBytes(language, volume.bytes),
              archive: formatBytes(language, volume.archiveBytes),
            })
          : t('stores.contentsNotLocal', {
              files: formatNumber(language, volume.files),
              size: formatBytes(language, volume.bytes),
            })}
      </dd>
    </dl>
  )
}

function ExportDialog({ snapshot, onClose }: { snapshot: SnapshotSummary; onClose: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const exporting = useExportSnapshot(snapshot.id)
  return (
    <LocalDestinationDialog
      title={t('snapshots.export.title')}
      summary={
        <p>
          {t('snapshots.export.summary', {
            name: snapshot.workloadName,
            date: formatDateTime(i18n.language, snapshot.createdAt),
            size: formatBytes(i18n.language, snapshot.archiveBytes),
          })}
        </p>
      }
      hint={t('snapshots.export.hint')}
      confirmLabel={t('snapshots.export.confirm')}
      runningLabel={t('snapshots.export.running')}
      doneLabel={t('snapshots.export.done')}
      action={exporting}
      testPrefix="export"
      onClose={onClose}
    />
  )
}
