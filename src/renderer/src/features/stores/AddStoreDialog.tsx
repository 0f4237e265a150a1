import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { channels } from '../../../../shared/contract'
import { SlipwayError } from '../../../../shared/errors'
import type { StoreKind } from '../../../../shared/types/stores'
import { Dialog } from '../../components/Dialog'
import { LocalPathField } from '../../components/LocalPathField'
import { hostDisplayName } from '../hosts/hostText'
import { useHosts } from '../hosts/queries'
import { useAddStore } from './queries'
import { StoreError } from './StoreError'
import { storeKindLabel } from './storeText'

const KINDS: readonly StoreKind[] = ['folder', 'sftp', 'rest', 's3']
type Mode = 'create' | 'attach'
const MODES: readonly Mode[] = ['create', 'attach']

const FIELDS = [
  'name',
  'folderPath',
  'sftpHost',
  'sftpPath',
  'restUrl',
  'restUsername',
  's3Endpoint',
  's3Bucket',
  's3Prefix',
  's3Region',
  's3AccessKeyId',
  'password',
  'passwordRepeat',
  'backendSecret',
] as const
type Field = (typeof FIELDS)[number]
type FieldErrors = Partial<Record<Field, string>>

/** What the inputs hold, as typed. Secrets live here only while the dialog is open. */
interface StoreFormValues {
  readonly name: string
  readonly kind: StoreKind
  readonly mode: Mode
  readonly folderPath: string
  readonly sftpHost: string
  readonly sftpPath: string
  readonly restUrl: string
  readonly restUsername: string
  readonly s3Endpoint: string
  readonly s3Bucket: string
  readonly s3Prefix: string
  readonly s3Region: string
  readonly s3AccessKeyId: string
  readonly password: string
  readonly passwordRepeat: string
  readonly backendSecret: string
}

const emptyForm: StoreFormValues = {
  name: '',
  kind: 'folder',
  mode: 'create',
  folderPath: '',
  sftpHost: '',
  sftpPath: '',
  restUrl: '',
  restUsername: '',
  s3Endpoint: '',
  s3Bucket: '',
  s3Prefix: '',
  s3Region: '',
  s3AccessKeyId: '',
  password: '',
  passwordRepeat: '',
  backendSecret: '',
}

const optional = (text: string): string | null => (text.trim() === '' ? null : text.trim())

/** The object the contract's schema judges; the schema, not this function, decides what is valid. */
function toCandidate(values: StoreFormValues): Record<string, unknown> {
  const location = ((): Record<string, unknown> => {
    switch (values.kind) {
      case 'folder':
        return { kind: 'folder', path: values.folderPath.trim() }
      case 'sftp':
        return { kind: 'sftp', hostId: values.sftpHost, path: values.sftpPath.trim() }
      case 'rest':
        return { kind: 'rest', url: values.restUrl.trim(), username: optional(values.restUsername) }
      case 's3':
        return {
          kind: 's3',
          endpoint: values.s3Endpoint.trim(),
          bucket: values.s3Bucket.trim(),
          prefix: values.s3Prefix.trim(),
          region: optional(values.s3Region),
          accessKeyId: values.s3AccessKeyId.trim(),
        }
    }
  })()
  const needsSecret = values.kind === 'rest' || values.kind === 's3'
  return {
    name: values.name,
    location,
    password: values.password,
    backendSecret: needsSecret && values.backendSecret !== '' ? values.backendSecret : null,
    mode: values.mode,
  }
}

/** The form field a contract path (`location.url`) or a main-side `details.field` (`url`) is about. */
function fieldFor(kind: StoreKind, name: string | undefined): Field | null {
  switch (name) {
    case 'name':
      return 'name'
    case 'password':
      return 'password'
    case 'backendSecret':
      return 'backendSecret'
    case 'path':
      return kind === 'folder' ? 'folderPath' : kind === 'sftp' ? 'sftpPath' : null
    case 'hostId':
      return 'sftpHost'
    case 'url':
      return 'restUrl'
    case 'username':
      return 'restUsername'
    case 'endpoint':
      return 's3Endpoint'
    case 'bucket':
      return 's3Bucket'
    case 'prefix':
      return 's3Prefix'
    case 'region':
      return 's3Region'
    case 'accessKeyId':
      return 's3AccessKeyId'
    default:
      return null
  }
}

function fieldMessage(t: TFunction, language: string, field: Field, issue?: z.core.$ZodIssue): string {
  if (issue?.code === 'too_big') {
    return t('stores.add.errors.tooLong', { max: new Intl.NumberFormat(language).format(issue.maximum) })
  }
  switch (field) {
    case 'name':
      return t('stores.add.errors.name')
    case 'folderPath':
      return t('stores.add.errors.folderPath')
    case 'sftpHost':
      return t('stores.add.errors.sftpHost')
    case 'sftpPath':
      return t('stores.add.errors.sftpPath')
    case 'restUrl':
      return t('stores.add.errors.restUrl')
    case 's3Endpoint':
      return t('stores.add.errors.s3Endpoint')
    case 's3Bucket':
      return t('stores.add.errors.s3Bucket')
    case 's3AccessKeyId':
      return t('stores.add.errors.s3AccessKeyId')
    case 'password':
      return t('stores.add.errors.password')
    case 'passwordRepeat':
      return t('stores.add.errors.passwordRepeat')
    case 'backendSecret':
      return t('stores.add.errors.s3Secret')
    case 'restUsername':
    case 's3Prefix':
    case 's3Region':
      return t('stores.add.errors.invalid')
  }
}

function validate(t: TFunction, language: string, values: StoreFormValues) {
  const errors: FieldErrors = {}
  const parsed = channels['stores.add'].input.safeParse(toCandidate(values))
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path
      const field = fieldFor(values.kind, String(first === 'location' ? second : first))
      if (field !== null && errors[field] === undefined) errors[field] = fieldMessage(t, language, field, issue)
    }
  }
  // What the schema cannot say: the repeated password, and S3's secret key, which it always needs.
  if (values.mode === 'create' && values.password !== '' && values.password !== values.passwordRepeat) {
    errors.passwordRepeat = fieldMessage(t, language, 'passwordRepeat')
  }
  if (values.kind === 's3' && values.backendSecret === '') {
    errors.backendSecret = fieldMessage(t, language, 'backendSecret')
  }
  return { errors, input: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null }
}

/** A BAD_INPUT from main names the location field it refused in `details.field`. */
function serverField(kind: StoreKind, error: unknown): Field | null {
  if (!(error instanceof SlipwayError)) return null
  const field = error.details?.['field']
  if (error.code === 'BAD_INPUT' && typeof field === 'string') return fieldFor(kind, field.split('.').at(-1))
  // A duplicate name is said at the name; a duplicate location stays a form-level error.
  if (error.details?.['reason'] === 'exists' && field === 'name') return 'name'
  return null
}

/**
 * Adds a snapshot store: where the restic repository is, its password, the server's own secret, and
 * whether to make a new repository or attach one that exists (another computer's, say).
 */
export function AddStoreDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const formId = useId()
  const hosts = useHosts()
  const add = useAddStore()
  const [values, setValues] = useState<StoreFormValues>(emptyForm)
  const [errors, setErrors] = useState<FieldErrors>({})
  const sshHosts = hosts.data?.filter((host) => host.kind === 'ssh') ?? []

  const badField = serverField(values.kind, add.error)
  const shownErrors: FieldErrors =
    badField !== null && errors[badField] === undefined
      ? {
          ...errors,
          [badField]: badField === 'name' ? t('stores.errors.existsName') : fieldMessage(t, i18n.language, badField),
        }
      : errors
  const inputId = (field: Field): string => `${formId}-${field}`

  const set = <K extends keyof StoreFormValues>(key: K, value: StoreFormValues[K]): void => {
    setValues((before) => ({ ...before, [key]: value }))
    setErrors((before) => Object.fromEntries(Object.entries(before).filter(([name]) => name !== key)))
    add.reset()
  }

  const submit = (event: React.SyntheticEvent<HTMLFormElement, SubmitEvent>): void => {
    event.preventDefault()
    const { errors: found, input } = validate(t, i18n.language, values)
    setErrors(found)
    if (input === null) {
      const first = FIELDS.find((name) => found[name] !== undefined)
      if (first !== undefined) document.getElementById(inputId(first))?.focus()
      return
    }
    add.mutate(input, { onSuccess: onClose })
  }

  const hints: Partial<Record<Field, string>> = {
    sftpPath: t('stores.add.sftpPathHint'),
    restUrl: t('stores.add.restUrlHint'),
    s3Endpoint: t('stores.add.s3EndpointHint'),
    s3Prefix: t('stores.add.s3PrefixHint'),
    password: values.mode === 'create' ? t('stores.add.passwordCreateHint') : t('stores.add.passwordAttachHint'),
    backendSecret: values.kind === 'rest' ? t('stores.add.restPasswordHint') : t('stores.add.s3SecretHint'),
  }

  const describedBy = (name: Field): string | undefined => {
    const ids = [
      hints[name] === undefined ? null : `${inputId(name)}-hint`,
      shownErrors[name] === undefined ? null : `${inputId(name)}-error`,
    ].filter((id) => id !== null)
    return ids.length === 0 ? undefined : ids.join(' ')
  }

  const below = (name: Field): React.JSX.Element => (
    <>
      {hints[name] !== undefined && (
        <span className="hint" id={`${inputId(name)}-hint`}>
          {hints[name]}
        </span>
      )}
      {shownErrors[name] !== undefined && (
        <span className="field-error" id={`${inputId(name)}-error`} data-testid={`store-field-error-${name}`}>
          {shownErrors[name]}
        </span>
      )}
    </>
  )

  const textField = (
    name: Exclude<Field, 'folderPath' | 'sftpHost'>,
    label: string,
    testId: string,
    extra: React.InputHTMLAttributes<HTMLInputElement> = {},
  ): React.JSX.Element => (
    <div className="form-field">
      <label htmlFor={inputId(name)}>{label}</label>
      <input
        type="text"
        autoComplete="off"
        spellCheck={false}
        {...extra}
        id={inputId(name)}
        data-testid={testId}
        value={values[name]}
        disabled={add.isPending}
        onChange={(event) => set(name, event.target.value)}
        aria-invalid={shownErrors[name] !== undefined}
        aria-describedby={describedBy(name)}
      />
      {below(name)}
    </div>
  )

  const secret = { type: 'password', autoComplete: 'new-password' } as const
  const storeError = add.isError && badField === null ? add.error : null

  return (
    <Dialog title={t('stores.add.title')} onClose={onClose} busy={add.isPending} testId="add-store-dialog" wide>
      <form className="host-form store-form" onSubmit={submit} noValidate>
        {textField('name', t('stores.add.name'), 'store-name', { placeholder: t('stores.add.namePlaceholder') })}

        <fieldset className="choice-group">
          <legend>{t('stores.add.kind')}</legend>
          <div className="choice-row">
            {KINDS.map((kind) => (
              <label className="choice" key={kind}>
                <input
                  type="radio"
                  name={`${formId}-kind`}
                  value={kind}
                  checked={values.kind === kind}
                  disabled={add.isPending}
                  onChange={() => set('kind', kind)}
                  data-testid={`store-kind-${kind}`}
                />
                <span className="choice-title">{storeKindLabel(t, kind)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('stores.add.where')}</legend>
          {values.kind === 'folder' && (
            <LocalPathField
              kind="directory"
              value={values.folderPath}
              onChange={(path) => set('folderPath', path)}
              label={t('stores.add.folderPath')}
              hint={t('stores.add.folderPathHint')}
              error={shownErrors.folderPath}
              disabled={add.isPending}
              testId="store-folder-path"
            />
          )}
          {values.kind === 'sftp' && (
            <>
              <div className="form-field">
                <label htmlFor={inputId('sftpHost')}>{t('stores.add.sftpHost')}</label>
                <select
                  id={inputId('sftpHost')}
                  value={values.sftpHost}
                  disabled={add.isPending || sshHosts.length === 0}
                  onChange={(event) => set('sftpHost', event.target.value)}
                  aria-invalid={shownErrors.sftpHost !== undefined}
                  aria-describedby={describedBy('sftpHost')}
                  data-testid="store-sftp-host"
                >
                  <option value="">{t('stores.add.sftpHostChoose')}</option>
                  {sshHosts.map((host) => (
                    <option key={host.id} value={host.id}>
                      {hostDisplayName(t, host)}
                    </option>
                  ))}
                </select>
                {hosts.isSuccess && sshHosts.length === 0 && (
                  <span className="hint" data-testid="store-no-ssh-hosts">
                    {t('stores.add.noSshHosts')}
                  </span>
                )}
                <span className="hint">{t('stores.add.sftpHostHint')}</span>
                {below('sftpHost')}
              </div>
              {textField('sftpPath', t('stores.add.sftpPath'), 'store-sftp-path', {
                placeholder: '/srv/restic/slipway',
              })}
            </>
          )}
          {values.kind === 'rest' && (
            <div className="form-row">
              {textField('restUrl', t('stores.add.restUrl'), 'store-rest-url', {
                placeholder: 'https://backup.example.lan:8000/slipway',
                inputMode: 'url',
              })}
              {textField('restUsername', t('stores.add.restUsername'), 'store-rest-username')}
            </div>
          )}
          {values.kind === 's3' && (
            <>
              {textField('s3Endpoint', t('stores.add.s3Endpoint'), 'store-s3-endpoint', {
                placeholder: 'https://s3.amazonaws.com',
                inputMode: 'url',
              })}
              <div className="form-row">
                {textField('s3Bucket', t('stores.add.s3Bucket'), 'store-s3-bucket')}
                {textField('s3Prefix', t('stores.add.s3Prefix'), 'store-s3-prefix')}
                {textField('s3Region', t('stores.add.s3Region'), 'store-s3-region', { placeholder: 'us-east-1' })}
              </div>
              {textField('s3AccessKeyId', t('stores.add.s3AccessKeyId'), 'store-s3-access-key')}
            </>
          )}
        </fieldset>

        <fieldset className="choice-group">
          <legend>{t('stores.add.mode')}</legend>
          {MODES.map((mode) => (
            <label className="choice" key={mode}>
              <input
                type="radio"
                name={`${formId}-mode`}
                value={mode}
                checked={values.mode === mode}
                disabled={add.isPending}
                onChange={() => set('mode', mode)}
                aria-describedby={`${formId}-mode-${mode}-hint`}
                data-testid={`store-mode-${mode}`}
              />
              <span>
                <span className="choice-title">
                  {mode === 'create' ? t('stores.add.modeCreate') : t('stores.add.modeAttach')}
                </span>
                <span className="hint" id={`${formId}-mode-${mode}-hint`}>
                  {mode === 'create' ? t('stores.add.modeCreateHint') : t('stores.add.modeAttachHint')}
                </span>
              </span>
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('stores.add.secrets')}</legend>
          {textField('password', t('stores.add.password'), 'store-password', secret)}
          {values.mode === 'create' &&
            textField('passwordRepeat', t('stores.add.passwordRepeat'), 'store-password-repeat', secret)}
          {(values.kind === 'rest' || values.kind === 's3') &&
            textField(
              'backendSecret',
              values.kind === 'rest' ? t('stores.add.restPassword') : t('stores.add.s3Secret'),
              'store-backend-secret',
              secret,
            )}
          <p className="hint">{t('stores.add.secretsHint')}</p>
        </fieldset>

        {storeError !== null && (
          <div className="form-error" data-testid="add-store-error">
            <StoreError error={storeError} />
          </div>
        )}

        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={add.isPending} data-testid="store-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={add.isPending} data-testid="store-submit">
            {add.isPending
              ? values.mode === 'create'
                ? t('stores.add.creating')
                : t('stores.add.attaching')
              : values.mode === 'create'
                ? t('stores.add.submitCreate')
                : t('stores.add.submitAttach')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
