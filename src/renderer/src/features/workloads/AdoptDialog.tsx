import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import { slugSchema } from '../../../../shared/schema'
import type { AdoptionCandidate } from '../../../../shared/types/workloads'
import { navigate } from '../../app/route'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { workloadHash } from './links'
import { useAdopt } from './queries'
import { suggestWorkloadName } from './workloadName'

interface AdoptDialogProps {
  readonly hostId: string
  readonly candidate: AdoptionCandidate
  readonly onClose: () => void
}

/** Names the workload an unmanaged container (or compose project) becomes, then opens it. */
export function AdoptDialog({ hostId, candidate, onClose }: AdoptDialogProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const id = useId()
  const adopt = useAdopt()
  const [name, setName] = useState(() => suggestWorkloadName(candidate.name))
  const [invalid, setInvalid] = useState(false)
  const nameError =
    adopt.error instanceof SlipwayError && adopt.error.details?.field === 'name' ? adopt.error.code : null
  const serverBadName = nameError === 'BAD_INPUT' || nameError === 'CONFLICT'
  const nameTaken = nameError === 'CONFLICT'
  const showInvalid = invalid || serverBadName

  const submit = (event: React.SyntheticEvent<HTMLFormElement, SubmitEvent>): void => {
    event.preventDefault()
    const parsed = slugSchema.safeParse(name.trim())
    if (!parsed.success) {
      setInvalid(true)
      document.getElementById(id)?.focus()
      return
    }
    adopt.mutate(
      { hostId, kind: candidate.kind, key: candidate.key, name: parsed.data },
      {
        onSuccess: (adopted) => {
          onClose()
          navigate(workloadHash(hostId, adopted.id))
        },
      },
    )
  }

  return (
    <Dialog
      title={t('workloads.adopt.title', { name: candidate.name })}
      onClose={onClose}
      busy={adopt.isPending}
      testId="adopt-dialog"
    >
      <form onSubmit={submit} noValidate className="stack">
        <p>
          {candidate.kind === 'compose'
            ? t('workloads.adopt.introCompose', {
                containers: formatNumber(i18n.language, candidate.containers.length),
              })
            : t('workloads.adopt.introContainer')}
        </p>
        <p className="hint">{t('workloads.adopt.secretsNote')}</p>
        <div className="form-field">
          <label htmlFor={id}>{t('workloads.adopt.name')}</label>
          <input
            id={id}
            autoComplete="off"
            spellCheck={false}
            data-testid="adopt-name"
            value={name}
            aria-invalid={showInvalid}
            aria-describedby={`${id}-hint${showInvalid ? ` ${id}-error` : ''}`}
            onChange={(event) => {
              setName(event.target.value)
              setInvalid(false)
              if (serverBadName) adopt.reset()
            }}
          />
          <span className="hint" id={`${id}-hint`}>
            {t('workloads.form.nameHint')}
          </span>
          {showInvalid && (
            <span className="field-error" id={`${id}-error`} data-testid="field-error-name">
              {nameTaken ? t('workloads.form.errors.nameTaken') : t('workloads.form.errors.workloadName')}
            </span>
          )}
        </div>
        {adopt.isError && !serverBadName && <ErrorText error={adopt.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={adopt.isPending} data-testid="cancel-adopt">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={adopt.isPending} data-testid="confirm-adopt">
            {adopt.isPending ? t('workloads.adopt.adopting') : t('workloads.adopt.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
