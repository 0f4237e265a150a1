import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WorkloadDetail } from '../../../../shared/types/workloads'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { fieldKit } from './fieldKit'
import {
  emptyService,
  fieldMessage,
  fieldPaths,
  serverFieldError,
  validate,
  type FieldErrors,
  type ServiceValues,
  type WorkloadFormValues,
} from './formModel'
import { useSaveWorkload } from './queries'
import { ServiceFields } from './ServiceFields'

const MAX_SERVICES = 20

interface WorkloadFormProps {
  /** Where a new workload goes; ignored when editing. */
  readonly hostId: string
  readonly hostName: string
  /** The workload being edited; null to create one. */
  readonly workload: WorkloadDetail | null
  readonly initial: WorkloadFormValues
  readonly onSaved: (saved: WorkloadDetail) => void
  readonly onCancel: () => void
}

/** Creates or edits a workload; the contract's schema validates it before it is sent. */
export function WorkloadForm({
  hostId,
  hostName,
  workload,
  initial,
  onSaved,
  onCancel,
}: WorkloadFormProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const formId = useId()
  const save = useSaveWorkload()
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [formInvalid, setFormInvalid] = useState(false)

  const serverError = serverFieldError(values, save.error)
  const badField = serverError?.field ?? null
  const shownErrors: FieldErrors =
    serverError !== null && errors[serverError.field] === undefined
      ? {
          ...errors,
          [serverError.field]: serverError.taken
            ? t('workloads.form.errors.nameTaken')
            : fieldMessage(t, i18n.language, values, serverError.field),
        }
      : errors
  const kit = fieldKit(formId, shownErrors)

  /** `field` changed: its error goes; a structural change (rows added or removed) clears them all. */
  const change = (next: WorkloadFormValues, field: string | null): void => {
    setValues(next)
    setFormInvalid(false)
    if (field === null) {
      setErrors({})
      if (save.isError) save.reset()
      return
    }
    setErrors((before) => Object.fromEntries(Object.entries(before).filter(([name]) => name !== field)))
    if (badField === field) save.reset()
  }

  const setService = (index: number, service: ServiceValues, field: string | null): void =>
    change({ ...values, services: values.services.map((item, at) => (at === index ? service : item)) }, field)

  const submit = (event: React.SyntheticEvent<HTMLFormElement, SubmitEvent>): void => {
    event.preventDefault()
    const result = validate(t, i18n.language, values, workload === null ? { hostId } : { workloadId: workload.id })
    if (!result.ok) {
      setErrors(result.errors)
      setFormInvalid(result.formError)
      // Focus the first field in the order the form shows them.
      const first = [...fieldPaths(values)].find((field) => result.errors[field] !== undefined)
      if (first !== undefined) document.getElementById(kit.id(first))?.focus()
      return
    }
    setErrors({})
    const input = result.input
    save.mutate('workloadId' in input ? { kind: 'update', input } : { kind: 'create', input }, { onSuccess: onSaved })
  }

  const errorCount = Object.keys(shownErrors).length
  const formError =
    save.isError && badField === null ? (
      <ErrorText error={save.error} />
    ) : errorCount > 0 || formInvalid ? (
      <p className="error" role="alert">
        {t('workloads.form.checkFields')}
      </p>
    ) : null

  return (
    <Dialog
      title={
        workload === null
          ? t('workloads.form.createTitle', { host: hostName })
          : t('workloads.form.editTitle', { name: workload.name })
      }
      onClose={onCancel}
      busy={save.isPending}
      testId="workload-form"
      large
    >
      <form className="workload-form" onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <div className="form-field">
            <label htmlFor={kit.id('name')}>{t('workloads.form.name')}</label>
            <input
              {...kit.input('name', `${kit.id('name')}-hint`)}
              autoComplete="off"
              spellCheck={false}
              data-testid="workload-name"
              value={values.name}
              onChange={(event) => change({ ...values, name: event.target.value }, 'name')}
            />
            <span className="hint" id={`${kit.id('name')}-hint`}>
              {t('workloads.form.nameHint')}
            </span>
            {kit.errorText('name')}
          </div>
          <div className="form-field form-field-check">
            <label className="checkbox">
              <input
                {...kit.input('snapshotBeforeDeploy', `${kit.id('snapshotBeforeDeploy')}-hint`)}
                type="checkbox"
                data-testid="workload-snapshot-before-deploy"
                checked={values.snapshotBeforeDeploy}
                onChange={(event) =>
                  change({ ...values, snapshotBeforeDeploy: event.target.checked }, 'snapshotBeforeDeploy')
                }
              />
              <span>{t('workloads.form.snapshotBeforeDeploy')}</span>
            </label>
            <span className="hint" id={`${kit.id('snapshotBeforeDeploy')}-hint`}>
              {t('workloads.form.snapshotBeforeDeployHint')}
            </span>
          </div>
        </div>

        <div className="services">
          {values.services.map((service, index) => (
            <ServiceFields
              key={service.key}
              index={index}
              service={service}
              others={values.services
                .filter((_other, at) => at !== index)
                .map((other) => other.name.trim())
                .filter((name) => name !== '')}
              kit={kit}
              onChange={(next, field) => setService(index, next, field)}
              onRemove={
                values.services.length > 1
                  ? () => change({ ...values, services: values.services.filter((_item, at) => at !== index) }, null)
                  : undefined
              }
            />
          ))}
          {kit.errorText('services')}
          <div>
            <button
              type="button"
              data-testid="add-service"
              disabled={values.services.length >= MAX_SERVICES}
              onClick={() => change({ ...values, services: [...values.services, emptyService()] }, null)}
            >
              {t('workloads.form.addService')}
            </button>
          </div>
        </div>

        {workload !== null && <p className="hint">{t('workloads.form.deployToApply')}</p>}

        {formError !== null && (
          <div data-testid="workload-form-error" className="form-error">
            {formError}
          </div>
        )}

        <div className="dialog-actions">
          <button type="button" onClick={onCancel} disabled={save.isPending} data-testid="workload-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={save.isPending} data-testid="workload-submit">
            {save.isPending
              ? t('workloads.form.saving')
              : workload === null
                ? t('workloads.form.createSubmit')
                : t('workloads.form.editSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
