import { useHashLocation } from '../../app/route'
import { SnapshotBrowser } from './SnapshotBrowser'
import { SnapshotListPage } from './SnapshotListPage'

/** `#/snapshots`: every snapshot on this computer; `#/snapshots/<id>?volume=&dir=`: one, browsed. */
export function SnapshotsPage(): React.JSX.Element {
  const location = useHashLocation()
  const [snapshotId] = location.segments
  if (snapshotId === undefined) return <SnapshotListPage />
  const volume = Number(location.params.get('volume') ?? '0')
  return (
    <SnapshotBrowser
      key={snapshotId}
      snapshotId={snapshotId}
      volume={Number.isInteger(volume) && volume >= 0 ? volume : 0}
      dir={normalizeDir(location.params.get('dir') ?? '')}
    />
  )
}

/** `a/b/`, `/a//b` → `a/b`; anything with `..` → the root. */
function normalizeDir(dir: string): string {
  const parts = dir.split('/').filter((part) => part !== '' && part !== '.')
  return parts.includes('..') ? '' : parts.join('/')
}
