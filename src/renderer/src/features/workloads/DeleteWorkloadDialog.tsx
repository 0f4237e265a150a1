import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkloadDetail } from '../../../../shared/types/workloads'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useDeleteWorkload } from './queries'

interface DeleteWorkloadDialogProps {
  readonly workload: WorkloadDetail
  readonly onClose: () => void
  readonly onDeleted: () => void
}

/** Removes the workload and its containers; named volumes only when asked, host folders never. */
export function DeleteWorkloadDialog({ workload, onClose, onDeleted }: DeleteWorkloadDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const remove = useDeleteWorkload(workload.id)
  const [removeVolumes, setRemoveVolumes] = useState(false)
  // External volumes belong to someone else: they are never removed, so they are not offered.
  const external = new Set(workload.volumes.filter((v) => v.external).map((v) => v.name))
  const volumes = [
    ...new Set(
      workload.services.flatMap((service) =>
        service.volumes.flatMap((volume) => (volume.kind === 'volume' ? [volume.source] : [])),
      ),
    ),
  ].filter((name) => !external.has(name))
  const binds = workload.services.some((service) => service.volumes.some((volume) => volume.kind === 'bind'))

  return (
    <Dialog
      title={t('workloads.delete.title', { name: workload.name })}
      onClose={onClose}
      busy={remove.isPending}
      tone="danger"
      testId="delete-dialog"
    >
      <p>{t('workloads.delete.body')}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={removeVolumes}
          disabled={remove.isPending}
          onChange={(event) => setRemoveVolumes(event.target.checked)}
          data-testid="remove-volumes"
        />
        <span>{t('workloads.delete.removeVolumes')}</span>
      </label>
      {volumes.length > 0 && (
        <p className="hint">{t('workloads.delete.volumesList', { volumes: volumes.join(', ') })}</p>
      )}
      {removeVolumes && <p className="error">{t('workloads.delete.volumesWarning')}</p>}
      <p className="hint">{binds ? t('workloads.delete.bindsKeptHere') : t('workloads.delete.bindsKept')}</p>
      {remove.isError && <ErrorText error={remove.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={remove.isPending} data-testid="cancel-delete" data-autofocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(!removeVolumes, { onSuccess: onDeleted })}
          data-testid="confirm-delete"
        >
          {remove.isPending ? t('workloads.delete.deleting') : t('workloads.delete.confirm')}
        </button>
      </div>
    </Dialog>
  )
}
