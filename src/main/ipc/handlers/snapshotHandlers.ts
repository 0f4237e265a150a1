import type { Dialogs } from '../../platform/ports'
import type { SnapshotService } from '../../snapshots/snapshotService'
import type { Handlers } from '../router'

type SnapshotChannels = Exclude<
  Extract<keyof Handlers, `snapshots.${string}` | `dialogs.${string}`>,
  'snapshots.destinations' | 'snapshots.setDestinations' | 'snapshots.index'
>

export function snapshotHandlers(snapshots: SnapshotService, dialogs: Dialogs): Pick<Handlers, SnapshotChannels> {
  return {
    'snapshots.list': ({ hostId, workloadId }) => snapshots.list({ hostId, workloadId }),
    'snapshots.get': ({ snapshotId }) => snapshots.get(snapshotId),
    'snapshots.capture': ({ workloadId, mode, label, acknowledgeInconsistent }) =>
      snapshots.capture(workloadId, mode, label === '' ? null : label, 'manual', acknowledgeInconsistent === true),
    'snapshots.browse': ({ snapshotId, volume, dir, offset, limit }) =>
      snapshots.browse(snapshotId, volume, dir, offset, limit),
    'snapshots.preview': ({ snapshotId, volume, path }) => snapshots.preview(snapshotId, volume, path),
    'snapshots.extract': ({ snapshotId, volume, path, destination }) =>
      snapshots.extract(snapshotId, volume, path, destination),
    'snapshots.export': ({ snapshotId, destination }) => snapshots.export(snapshotId, destination),
    'snapshots.import': ({ path }) => snapshots.import(path),
    'snapshots.verify': ({ snapshotId }) => snapshots.verify(snapshotId),
    'snapshots.pin': ({ snapshotId, pinned }) => snapshots.pin(snapshotId, pinned),
    'snapshots.delete': async ({ snapshotId }) => {
      await snapshots.delete(snapshotId)
      return null
    },
    'snapshots.policy': ({ workloadId }) => snapshots.policy(workloadId),
    'snapshots.setPolicy': ({ workloadId, acknowledgeInconsistent, ...policy }) =>
      snapshots.setPolicy(workloadId, policy, acknowledgeInconsistent === true),
    'snapshots.hooks': ({ workloadId }) => snapshots.hooks(workloadId),
    'snapshots.setHooks': ({ workloadId, ...hooks }) => snapshots.setHooks(workloadId, hooks),
    'snapshots.hookRuns': ({ snapshotId }) => snapshots.hookRuns(snapshotId),
    'dialogs.chooseDirectory': () => dialogs.chooseDirectory(),
    'dialogs.chooseFile': () => dialogs.chooseFile(),
  }
}
