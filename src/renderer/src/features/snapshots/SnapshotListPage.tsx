import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotSummary } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatDateTime, formatNumber } from '../../components/format'
import { ImportDialog } from './ImportDialog'
import { snapshotHash } from './links'
import { PlacesBadges } from './PlacesBadges'
import { useSnapshots } from './queries'
import { originLabel, snapshotHostName } from './snapshotText'

interface WorkloadGroup {
  readonly key: string
  readonly name: string
  readonly snapshots: SnapshotSummary[]
}

interface HostGroup {
  readonly hostId: string
  readonly hostName: string
  readonly workloads: WorkloadGroup[]
}

/**
 * By host, then workload, with the names the snapshots recorded: it reads the same with every host
 * offline, and for workloads deleted since. Snapshots arrive newest first and keep that order.
 */
function groupSnapshots(
  snapshots: readonly SnapshotSummary[],
  collator: Intl.Collator,
  hostName: (snapshot: SnapshotSummary) => string,
): HostGroup[] {
  const hosts = new Map<string, { hostName: string; workloads: Map<string, WorkloadGroup> }>()
  for (const snapshot of snapshots) {
    let host = hosts.get(snapshot.hostId)
    if (host === undefined) {
      host = { hostName: hostName(snapshot), workloads: new Map() }
      hosts.set(snapshot.hostId, host)
    }
    const key = snapshot.workloadId ?? `name:${snapshot.workloadName}`
    let workload = host.workloads.get(key)
    if (workload === undefined) {
      workload = { key, name: snapshot.workloadName, snapshots: [] }
      host.workloads.set(key, workload)
    }
    workload.snapshots.push(snapshot)
  }
  return [...hosts.entries()]
    .map(([hostId, host]) => ({
      hostId,
      hostName: host.hostName,
      workloads: [...host.workloads.values()].sort((a, b) => collator.compare(a.name, b.name)),
    }))
    .sort((a, b) => collator.compare(a.hostName, b.hostName))
}

export function SnapshotListPage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const snapshots = useSnapshots({})
  const [importing, setImporting] = useState(false)
  const groups =
    snapshots.data === undefined
      ? []
      : groupSnapshots(snapshots.data, new Intl.Collator(i18n.language), (snapshot) => snapshotHostName(t, snapshot))

  return (
    <section data-testid="snapshots-page">
      <header className="page-header">
        <h1>{t('snapshots.title')}</h1>
        <div className="toolbar">
          <button type="button" onClick={() => setImporting(true)} data-testid="import-snapshot">
            {t('snapshots.import.button')}
          </button>
        </div>
      </header>
      <p className="hint">{t('snapshots.intro')}</p>
      {snapshots.isPending && <p className="muted">{t('common.loading')}</p>}
      {snapshots.isError && <ErrorText error={snapshots.error} />}
      {snapshots.isSuccess && groups.length === 0 && (
        <p className="muted" data-testid="snapshots-empty">
          {t('snapshots.empty')}
        </p>
      )}
      {groups.map((host) => (
        <section
          key={host.hostId}
          className="section"
          aria-labelledby={`snapshot-host-${host.hostId}`}
          data-testid={`snapshot-group-${host.hostId}`}
        >
          <h2 id={`snapshot-host-${host.hostId}`} className="section-title">
            {host.hostName}
          </h2>
          {host.workloads.map((workload) => (
            <div key={workload.key} className="snapshot-workload">
              <h3 className="subsection-title">{workload.name}</h3>
              <ul className="plain-list snapshot-items">
                {workload.snapshots.map((snapshot) => (
                  <SnapshotItem key={snapshot.id} snapshot={snapshot} />
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </section>
  )
}

function SnapshotItem({ snapshot }: { snapshot: SnapshotSummary }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  return (
    <li>
      <a
        className="snapshot-item"
        href={snapshotHash(snapshot.id)}
        data-testid={`snapshot-item-${snapshot.id}`}
        data-origin={snapshot.origin}
      >
        <time className="snapshot-item-time" dateTime={snapshot.createdAt}>
          {formatDateTime(language, snapshot.createdAt)}
        </time>
        <span className="snapshot-item-label">{snapshot.label ?? ''}</span>
        <span className={`badge origin-${snapshot.origin}`}>{originLabel(t, snapshot.origin)}</span>
        {snapshot.pinned && <span className="badge badge-ok">{t('snapshots.pin.pinned')}</span>}
        <PlacesBadges places={snapshot.places} />
        <span className="muted nowrap">
          {snapshot.places.local
            ? t('snapshots.itemFacts', {
                size: formatBytes(language, snapshot.bytes),
                archive: formatBytes(language, snapshot.archiveBytes),
                volumes: formatNumber(language, snapshot.volumes.length),
              })
            : t('stores.itemFactsNotLocal', {
                size: formatBytes(language, snapshot.bytes),
                volumes: formatNumber(language, snapshot.volumes.length),
              })}
        </span>
      </a>
    </li>
  )
}
