import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { sshHostInput } from '../../../../shared/contract'
import { SlipwayError } from '../../../../shared/errors'
import type { HostView } from '../../../../shared/types/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useSaveHost, useSshAliases, type SaveHostResult } from './queries'

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock'

const FIELDS = [
  'name',
  'alias',
  'hostname',
  'port',
  'user',
  'identityFile',
  'passphrase',
  'useAgent',
  'socketPath',
] as const
type Field = (typeof FIELDS)[number]
type FieldErrors = Partial<Record<Field, string>>

const isField = (value: unknown): value is Field =>
  typeof value === 'string' && (FIELDS as readonly string[]).includes(value)

/** What the inputs hold: text as typed; turned into the contract's input on submit. */
export interface HostFormValues {
  readonly name: string
  readonly alias: string
  readonly hostname: string
  readonly port: string
  readonly user: string
  readonly identityFile: string
  /** Write-only: empty means "none" when adding and "keep the stored one" when editing. */
  readonly passphrase: string
  readonly removePassphrase: boolean
  readonly useAgent: boolean
  readonly socketPath: string
}

export const emptyHostForm: HostFormValues = {
  name: '',
  alias: '',
  hostname: '',
  port: '',
  user: '',
  identityFile: '',
  passphrase: '',
  removePassphrase: false,
  useAgent: true,
  socketPath: DEFAULT_SOCKET_PATH,
}

export function formValuesFromHost(host: HostView): HostFormValues {
  const ssh = host.ssh
  return {
    ...emptyHostForm,
    name: host.name,
    alias: ssh?.alias ?? '',
    hostname: ssh?.hostname ?? '',
    port: ssh?.port === null || ssh?.port === undefined ? '' : String(ssh.port),
    user: ssh?.user ?? '',
    identityFile: ssh?.identityFile ?? '',
    useAgent: ssh?.useAgent ?? true,
    socketPath: ssh?.socketPath ?? DEFAULT_SOCKET_PATH,
  }
}

const optionalText = (value: string): string | null => (value.trim() === '' ? null : value.trim())

/** The object the contract's schema judges; the schema, not this function, decides what is valid. */
function toCandidate(values: HostFormValues): Record<string, unknown> {
  const port = values.port.trim()
  const candidate: Record<string, unknown> = {
    name: values.name,
    alias: optionalText(values.alias),
    hostname: optionalText(values.hostname),
    port: port === '' ? null : /^\d+$/.test(port) ? Number(port) : Number.NaN,
    user: optionalText(values.user),
    identityFile: optionalText(values.identityFile),
    useAgent: values.useAgent,
    socketPath: values.socketPath.trim(),
  }
  if (values.removePassphrase) candidate.passphrase = null
  else if (values.passphrase !== '') candidate.passphrase = values.passphrase
  return candidate
}

function fieldMessage(t: TFunction, language: string, field: Field, issue?: z.core.$ZodIssue): string {
  if (issue?.code === 'too_big' && field !== 'port') {
    return t('hosts.form.errors.tooLong', { max: new Intl.NumberFormat(language).format(issue.maximum) })
  }
  switch (field) {
    case 'name':
      return t('hosts.form.errors.name')
    case 'alias':
      return t('hosts.form.errors.alias')
    case 'hostname':
      return issue?.code === 'custom' ? t('hosts.form.errors.destination') : t('hosts.form.errors.hostname')
    case 'port':
      return t('hosts.form.errors.port')
    case 'user':
      return t('hosts.form.errors.user')
    case 'identityFile':
      return t('hosts.form.errors.identityFile')
    case 'passphrase':
      return t('hosts.form.errors.passphrase')
    case 'useAgent':
      return t('hosts.form.errors.invalid')
    case 'socketPath':
      return t('hosts.form.errors.socketPath')
  }
}

function issuesToErrors(t: TFunction, language: string, issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const field = issue.path[0]
    if (isField(field) && errors[field] === undefined) errors[field] = fieldMessage(t, language, field, issue)
  }
  return errors
}

/** A BAD_INPUT from main names the offending field in `details.field` (a dotted path). */
function serverField(error: unknown): Field | null {
  if (!(error instanceof SlipwayError) || error.code !== 'BAD_INPUT') return null
  const field = error.details?.field
  const first = typeof field === 'string' ? field.split('.')[0] : undefined
  return isField(first) ? first : null
}

interface HostFormProps {
  /** The host being edited; null to add one. */
  readonly host: HostView | null
  readonly initial: HostFormValues
  readonly onSaved: (result: SaveHostResult, name: string) => void
  readonly onCancel: () => void
}

export function HostForm({ host, initial, onSaved, onCancel }: HostFormProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const formId = useId()
  const aliases = useSshAliases()
  const save = useSaveHost()
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const hasStoredPassphrase = host?.ssh?.hasPassphrase === true

  const badField = serverField(save.error)
  const shownErrors: FieldErrors =
    badField !== null && errors[badField] === undefined
      ? { ...errors, [badField]: fieldMessage(t, i18n.language, badField) }
      : errors
  const invalid = FIELDS.filter((field) => shownErrors[field] !== undefined)
  const inputId = (field: Field): string => `${formId}-${field}`

  const set = <K extends keyof HostFormValues>(key: K, value: HostFormValues[K]): void => {
    setValues((before) => ({ ...before, [key]: value }))
    if (isField(key)) {
      setErrors((before) => Object.fromEntries(Object.entries(before).filter(([name]) => name !== key)))
      if (badField === key) save.reset()
    }
  }

  const submit = (event: React.SyntheticEvent<HTMLFormElement, SubmitEvent>): void => {
    event.preventDefault()
    const candidate = toCandidate(values)
    const parsed = sshHostInput.safeParse(candidate)
    if (!parsed.success) {
      const found = issuesToErrors(t, i18n.language, parsed.error.issues)
      // zod runs the schema's "alias or hostname" refinement only once every field is valid; say it now.
      if (candidate.alias === null && candidate.hostname === null && found.hostname === undefined) {
        found.hostname = t('hosts.form.errors.destination')
      }
      setErrors(found)
      const first = FIELDS.find((name) => found[name] !== undefined)
      if (first !== undefined) document.getElementById(inputId(first))?.focus()
      return
    }
    setErrors({})
    const name = parsed.data.name
    save.mutate({ hostId: host?.id ?? null, host: parsed.data }, { onSuccess: (result) => onSaved(result, name) })
  }

  const hints: Partial<Record<Field, string>> = {
    alias: t('hosts.form.aliasHint'),
    identityFile: t('hosts.form.identityFileHint'),
    passphrase: hasStoredPassphrase ? t('hosts.form.passphraseKeep') : t('hosts.form.passphraseHint'),
    socketPath: t('hosts.form.socketPathHint'),
  }

  const describedBy = (name: Field): string | undefined => {
    const ids = [
      hints[name] === undefined ? null : `${inputId(name)}-hint`,
      shownErrors[name] === undefined ? null : `${inputId(name)}-error`,
    ].filter((id) => id !== null)
    return ids.length === 0 ? undefined : ids.join(' ')
  }

  const errorOf = (name: Field): React.JSX.Element | null =>
    shownErrors[name] === undefined ? null : (
      <span className="field-error" id={`${inputId(name)}-error`} data-testid={`field-error-${name}`}>
        {shownErrors[name]}
      </span>
    )

  const textField = (
    name: Exclude<Field, 'useAgent'>,
    label: string,
    testId: string,
    extra: React.InputHTMLAttributes<HTMLInputElement> = {},
  ): React.JSX.Element => (
    <div className="form-field">
      <label htmlFor={inputId(name)}>{label}</label>
      <input
        autoComplete="off"
        spellCheck={false}
        {...extra}
        id={inputId(name)}
        data-testid={testId}
        value={values[name]}
        onChange={(event) => set(name, event.target.value)}
        aria-invalid={shownErrors[name] !== undefined}
        aria-describedby={describedBy(name)}
      />
      {hints[name] !== undefined && (
        <span className="hint" id={`${inputId(name)}-hint`}>
          {hints[name]}
        </span>
      )}
      {errorOf(name)}
    </div>
  )

  const aliasListId = `${formId}-aliases`
  const formError =
    save.isError && badField === null ? (
      <ErrorText error={save.error} />
    ) : invalid.length > 0 ? (
      <p className="error" role="alert">
        {t('hosts.form.checkFields')}
      </p>
    ) : null

  return (
    <Dialog
      title={host === null ? t('hosts.form.addTitle') : t('hosts.form.editTitle', { name: host.name })}
      onClose={onCancel}
      busy={save.isPending}
      testId="host-form"
      wide
    >
      <form className="host-form" onSubmit={submit} noValidate>
        {textField('name', t('hosts.form.name'), 'host-name')}

        <fieldset>
          <legend>{t('hosts.form.destination')}</legend>
          <p className="hint">{t('hosts.form.destinationHint')}</p>
          {textField('alias', t('hosts.form.alias'), 'host-alias', { list: aliasListId })}
          <datalist id={aliasListId}>
            {aliases.data?.map((alias) => (
              <option key={alias} value={alias} />
            ))}
          </datalist>
          <div className="form-row">
            {textField('user', t('hosts.form.user'), 'host-user')}
            {textField('hostname', t('hosts.form.hostname'), 'host-hostname')}
            {textField('port', t('hosts.form.port'), 'host-port', { inputMode: 'numeric', placeholder: '22' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('hosts.form.authentication')}</legend>
          {textField('identityFile', t('hosts.form.identityFile'), 'host-identity-file', {
            placeholder: t('hosts.form.identityFilePlaceholder'),
          })}
          {textField('passphrase', t('hosts.form.passphrase'), 'host-passphrase', {
            type: 'password',
            autoComplete: 'new-password',
            disabled: values.removePassphrase,
          })}
          {hasStoredPassphrase && (
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="host-remove-passphrase"
                checked={values.removePassphrase}
                onChange={(event) => set('removePassphrase', event.target.checked)}
              />
              <span>{t('hosts.form.removePassphrase')}</span>
            </label>
          )}
          <label className="checkbox">
            <input
              id={inputId('useAgent')}
              type="checkbox"
              data-testid="host-use-agent"
              checked={values.useAgent}
              onChange={(event) => set('useAgent', event.target.checked)}
              aria-describedby={describedBy('useAgent')}
            />
            <span>{t('hosts.form.useAgent')}</span>
          </label>
          {errorOf('useAgent')}
        </fieldset>

        <fieldset>
          <legend>{t('hosts.form.engine')}</legend>
          {textField('socketPath', t('hosts.form.socketPath'), 'host-socket-path')}
        </fieldset>

        {formError !== null && (
          <div data-testid="host-form-error" className="form-error">
            {formError}
          </div>
        )}

        <div className="dialog-actions">
          <button type="button" onClick={onCancel} disabled={save.isPending} data-testid="host-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={save.isPending} data-testid="host-submit">
            {save.isPending
              ? t('hosts.form.saving')
              : host === null
                ? t('hosts.form.addSubmit')
                : t('hosts.form.editSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
