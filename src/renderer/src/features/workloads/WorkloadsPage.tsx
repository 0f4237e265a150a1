import { useHashLocation } from '../../app/route'
import { WorkloadDetailPage } from './WorkloadDetailPage'
import { LOCAL_HOST_ID } from './links'
import { WorkloadListPage } from './WorkloadListPage'

/**
 * `#/workloads` (the local engine), `#/workloads/<hostId>` (also `?host=<hostId>`) and
 * `#/workloads/<hostId>/<workloadId>` for one workload.
 */
export function WorkloadsPage(): React.JSX.Element {
  const location = useHashLocation()
  const [hostSegment, workloadId] = location.segments
  const hostId = hostSegment ?? location.params.get('host') ?? LOCAL_HOST_ID
  return workloadId === undefined ? (
    <WorkloadListPage key={hostId} hostId={hostId} />
  ) : (
    <WorkloadDetailPage key={workloadId} hostId={hostId} workloadId={workloadId} />
  )
}
