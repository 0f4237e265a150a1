import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SlipwayError } from '../../../../shared/errors'
import { slugSchema } from '../../../../shared/schema'
import type { AdoptionCandidate, AdoptionPreview } from '../../../../shared/types/workloads'
import { navigate } from '../../app/route'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { workloadHash } from './links'
import { useAdopt, useAdoptionPreview } from './queries'
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
  const preview = useAdoptionPreview({ hostId, kind: candidate.kind, key: candidate.key })
  const unsupported = preview.data?.unsupported ?? []
  const [acknowledged, setAcknowledged] = useState(false)
  const blocked = preview.data === undefined || (unsupported.length > 0 && !acknowledged)
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
      {
        hostId,
        kind: candidate.kind,
        key: candidate.key,
        name: parsed.data,
        acknowledgeUnsupported: unsupported.length > 0 && acknowledged,
      },
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
        {preview.isPending && <p className="hint">{t('workloads.adopt.reading')}</p>}
        {preview.isError && <ErrorText error={preview.error} />}
        {preview.data !== undefined && <AdoptionSummary preview={preview.data} />}
        {unsupported.length > 0 && (
          <div className="stack" data-testid="adopt-unsupported">
            <p className="error">
              {t('workloads.adopt.unsupported', { n: formatNumber(i18n.language, unsupported.length) })}
            </p>
            <ul className="plain-list mono small-text">
              {unsupported.map((item) => (
                <li key={`${item.service}/${item.setting}`}>{`${item.service}: ${item.setting} = ${item.value}`}</li>
              ))}
            </ul>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={acknowledged}
                disabled={adopt.isPending}
                onChange={(event) => setAcknowledged(event.target.checked)}
                data-testid="adopt-acknowledge"
              />
              <span>{t('workloads.adopt.acknowledge')}</span>
            </label>
          </div>
        )}
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
          <button type="submit" className="primary" disabled={adopt.isPending || blocked} data-testid="confirm-adopt">
            {adopt.isPending ? t('workloads.adopt.adopting') : t('workloads.adopt.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

/** What the workload will be made of: its services, the networks they share and the volumes that keep their data. */
function AdoptionSummary({ preview }: { preview: AdoptionPreview }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <dl className="facts" data-testid="adopt-preview">
      <dt>{t('workloads.adopt.services')}</dt>
      <dd className="mono">{preview.services.map((s) => s.name).join(', ')}</dd>
      {preview.networks.length > 0 && (
        <>
          <dt>{t('workloads.setting.networks')}</dt>
          <dd className="mono">
            {preview.networks
              .map((n) => (n.external ? t('workloads.adopt.externalName', { name: n.name }) : n.name))
              .join(', ')}
          </dd>
        </>
      )}
      {preview.volumes.length > 0 && (
        <>
          <dt>{t('workloads.adopt.volumes')}</dt>
          <dd className="mono">
            {preview.volumes
              .map((v) => (v.external ? t('workloads.adopt.externalName', { name: v.name }) : v.name))
              .join(', ')}
          </dd>
        </>
      )}
    </dl>
  )
}
