import { useTranslation } from 'react-i18next'
import type { RestoreVolumeReport } from '../../../../shared/types/restore'
import { VOLUME_STATE_BADGE, volumeName, volumeStateLabel } from './restoreText'

/** What each volume holds after a restore: the data from before (`old`) or the snapshot's (`new`). */
export function VolumeStates({
  volumes,
  testId,
}: {
  volumes: readonly RestoreVolumeReport[]
  testId?: string
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <ul className="plain-list volume-states" data-testid={testId}>
      {volumes.map((volume) => (
        <li
          key={`${volume.index}-${volume.service}-${volume.target}`}
          data-index={volume.index}
          data-state={volume.state}
        >
          <span className="mono">{volumeName(volume)}</span>{' '}
          <span className={`badge ${VOLUME_STATE_BADGE[volume.state]}`}>{volumeStateLabel(t, volume.state)}</span>
        </li>
      ))}
    </ul>
  )
}
