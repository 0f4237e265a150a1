import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { HOOK_TIMEOUT_MAX_S } from '../../../../shared/contract'
import { SlipwayError } from '../../../../shared/errors'
import { hookPresetsFor, type HookPreset } from '../../../../shared/hookPresets'
import { LIMITS } from '../../../../shared/schema'
import type { ServiceSpec } from '../../../../shared/serviceSpec'
import type { HookPhase } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import {
  comparable,
  emptyRow,
  fieldKey,
  MAX_HOOKS,
  moveRow,
  parseHooks,
  rowOf,
  serverFieldKey,
  toText,
  type HookField,
  type HookRowText,
  type HooksText,
} from './captureHookForm'
import { useCaptureHooks, useSetCaptureHooks } from './queries'
import { hookPhaseLabel, hookPresetLabel } from './snapshotText'

const PHASES: readonly HookPhase[] = ['pre', 'post']

/** Commands run in the workload's services around each capture: a dump before, a clean-up after. */
export function CaptureHooksSection({
  workloadId,
  services,
}: {
  workloadId: string
  services: readonly ServiceSpec[]
}): React.JSX.Element {
  const { t } = useTranslation()
  const hooks = useCaptureHooks(workloadId)
  const save = useSetCaptureHooks(workloadId)
  return (
    <div className="subsection-block" data-testid="capture-hooks">
      <h3 className="subsection-title">{t('snapshots.hooks.title')}</h3>
      {hooks.isPending && <p className="muted">{t('common.loading')}</p>}
      {hooks.isError && <ErrorText error={hooks.error} />}
      {hooks.data !== undefined && (
        <HooksForm
          // A saved or refetched list starts the form over from what is stored.
          key={JSON.stringify(hooks.data)}
          workloadId={workloadId}
          initial={toText(hooks.data)}
          services={services}
          save={save}
        />
      )}
    </div>
  )
}

/** The service main refused (`unknown_service`), as the form's field key and the name it gave. */
function refusedService(error: unknown): { readonly key: string; readonly service: string } | null {
  if (!(error instanceof SlipwayError) || error.details?.reason !== 'unknown_service') return null
  const key = serverFieldKey(error.details.field)
  const service = error.details.service
  return key === null ? null : { key, service: typeof service === 'string' ? service : '' }
}

function HooksForm({
  workloadId,
  initial,
  services,
  save,
}: {
  workloadId: string
  initial: HooksText
  services: readonly ServiceSpec[]
  save: ReturnType<typeof useSetCaptureHooks>
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [text, setText] = useState<HooksText>(initial)
  const [errors, setErrors] = useState<ReadonlySet<string>>(new Set())
  const [tooMany, setTooMany] = useState(false)
  const dirty = comparable(text) !== comparable(initial)
  const n = (value: number): string => formatNumber(i18n.language, value)
  const refused = save.isError ? refusedService(save.error) : null
  const presets = services.flatMap(hookPresetsFor)
  const names = services.map((service) => service.name)

  const messages: Record<HookField, string> = {
    phase: t('snapshots.hooks.errors.phase'),
    service: t('snapshots.hooks.errors.service'),
    command: t('snapshots.hooks.errors.command', { max: n(LIMITS.text) }),
    timeoutSeconds: t('snapshots.hooks.errors.timeout', { min: n(1), max: n(HOOK_TIMEOUT_MAX_S) }),
  }
  const errorOf = (index: number, field: HookField): string | null =>
    errors.has(fieldKey(index, field))
      ? messages[field]
      : refused?.key === fieldKey(index, field)
        ? t('snapshots.hooks.errors.unknownService', { service: refused.service })
        : null

  const update = (change: (before: HooksText) => HooksText): void => {
    setText(change)
    setErrors(new Set())
    setTooMany(false)
    save.reset()
  }
  const setRows = (change: (rows: readonly HookRowText[]) => readonly HookRowText[]): void =>
    update((before) => ({ ...before, rows: change(before.rows) }))

  const submit = (): void => {
    const parsed = parseHooks(workloadId, text)
    if (!parsed.ok) {
      setErrors(parsed.fields)
      setTooMany(parsed.tooMany)
      return
    }
    save.mutate(parsed.input)
  }

  return (
    <form
      className="hooks-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <p className="hint">{t('snapshots.hooks.intro')}</p>
      {text.rows.length === 0 ? (
        <p className="muted" data-testid="hooks-empty">
          {t('snapshots.hooks.empty')}
        </p>
      ) : (
        <ol className="plain-list hook-list">
          {text.rows.map((row, index) => (
            <HookRowFields
              key={row.key}
              formId={id}
              index={index}
              count={text.rows.length}
              row={row}
              services={names}
              disabled={save.isPending}
              errorOf={(field) => errorOf(index, field)}
              onChange={(patch) =>
                setRows((rows) => rows.map((other, i) => (i === index ? { ...other, ...patch } : other)))
              }
              onMove={(to) => setRows((rows) => moveRow(rows, index, to))}
              onRemove={() => setRows((rows) => rows.filter((_, i) => i !== index))}
            />
          ))}
        </ol>
      )}
      <div className="hook-add">
        <button
          type="button"
          className="small"
          disabled={save.isPending || text.rows.length >= MAX_HOOKS}
          onClick={() => setRows((rows) => [...rows, emptyRow(names[0] ?? '')])}
          data-testid="hook-add"
        >
          {t('snapshots.hooks.add')}
        </button>
      </div>
      {presets.length > 0 && (
        <HookPresets
          presets={presets}
          room={MAX_HOOKS - text.rows.length}
          disabled={save.isPending}
          onAdd={(preset) => setRows((rows) => [...rows, ...preset.hooks.map(rowOf)])}
        />
      )}
      {tooMany && (
        <p className="error" role="alert" data-testid="hooks-too-many">
          {t('snapshots.hooks.errors.tooMany', { max: n(MAX_HOOKS) })}
        </p>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={text.continueOnPreFailure}
          disabled={save.isPending}
          onChange={(event) => {
            const continueOnPreFailure = event.target.checked
            update((before) => ({ ...before, continueOnPreFailure }))
          }}
          data-testid="hooks-continue-on-pre-failure"
        />
        <span>{t('snapshots.hooks.continueOnPreFailure')}</span>
      </label>
      <p className="hint">{t('snapshots.hooks.continueHint')}</p>
      {save.isError && <ErrorText error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={save.isPending} data-testid="hooks-save">
          {save.isPending ? t('snapshots.policy.saving') : t('snapshots.policy.save')}
        </button>
        {save.isSuccess && !dirty && (
          <span className="hint" role="status" data-testid="hooks-saved">
            {t('snapshots.policy.saved')}
          </span>
        )}
      </div>
    </form>
  )
}

function HookRowFields({
  formId,
  index,
  count,
  row,
  services,
  disabled,
  errorOf,
  onChange,
  onMove,
  onRemove,
}: {
  formId: string
  index: number
  count: number
  row: HookRowText
  services: readonly string[]
  disabled: boolean
  errorOf: (field: HookField) => string | null
  onChange: (patch: Partial<Omit<HookRowText, 'key'>>) => void
  onMove: (to: number) => void
  onRemove: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const at = (field: HookField): string => `${formId}-hook-${row.key}-${field}`
  const invalid = (field: HookField) => {
    const error = errorOf(field)
    return {
      id: at(field),
      'aria-invalid': error !== null,
      'aria-describedby': error === null ? undefined : `${at(field)}-error`,
    }
  }
  const fieldError = (field: HookField) => {
    const error = errorOf(field)
    return error === null ? null : (
      <span className="field-error" id={`${at(field)}-error`} data-testid={`hook-${index}-error-${field}`}>
        {error}
      </span>
    )
  }
  const ordinal = formatNumber(i18n.language, index + 1)
  // A hook saved for a service the workload no longer has stays visible, so it can be fixed or removed.
  const choices = services.includes(row.service) || row.service === '' ? services : [...services, row.service]

  return (
    <li className="hook-row" data-testid={`hook-${index}`} aria-label={t('snapshots.hooks.hookOf', { n: ordinal })}>
      <div className="hook-fields">
        <div className="form-field">
          <label htmlFor={at('phase')}>{t('snapshots.hooks.phase')}</label>
          <select
            {...invalid('phase')}
            value={row.phase}
            disabled={disabled}
            onChange={(event) => {
              const phase = PHASES.find((p) => p === event.target.value)
              if (phase !== undefined) onChange({ phase })
            }}
            data-testid={`hook-${index}-phase`}
          >
            {PHASES.map((phase) => (
              <option key={phase} value={phase}>
                {hookPhaseLabel(t, phase)}
              </option>
            ))}
          </select>
          {fieldError('phase')}
        </div>
        <div className="form-field">
          <label htmlFor={at('service')}>{t('snapshots.hooks.service')}</label>
          <select
            {...invalid('service')}
            value={row.service}
            disabled={disabled}
            onChange={(event) => onChange({ service: event.target.value })}
            data-testid={`hook-${index}-service`}
          >
            {row.service === '' && <option value="">{t('snapshots.hooks.chooseService')}</option>}
            {choices.map((name) => (
              <option key={name} value={name}>
                {services.includes(name) ? name : t('snapshots.hooks.serviceMissing', { service: name })}
              </option>
            ))}
          </select>
          {fieldError('service')}
        </div>
        <div className="form-field hook-timeout">
          <label htmlFor={at('timeoutSeconds')}>{t('snapshots.hooks.timeout')}</label>
          <input
            {...invalid('timeoutSeconds')}
            type="number"
            inputMode="numeric"
            min={1}
            max={HOOK_TIMEOUT_MAX_S}
            step={1}
            value={row.timeout}
            disabled={disabled}
            onChange={(event) => onChange({ timeout: event.target.value })}
            data-testid={`hook-${index}-timeout`}
          />
          {fieldError('timeoutSeconds')}
        </div>
        <div className="form-field hook-command">
          <label htmlFor={at('command')}>{t('snapshots.hooks.command')}</label>
          <textarea
            {...invalid('command')}
            className="mono"
            rows={2}
            spellCheck={false}
            autoComplete="off"
            value={row.command}
            disabled={disabled}
            onChange={(event) => onChange({ command: event.target.value })}
            data-testid={`hook-${index}-command`}
          />
          {fieldError('command')}
        </div>
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="small"
          disabled={disabled || index === 0}
          onClick={() => onMove(index - 1)}
          data-testid={`hook-${index}-up`}
        >
          {t('snapshots.hooks.moveUp')}
        </button>
        <button
          type="button"
          className="small"
          disabled={disabled || index === count - 1}
          onClick={() => onMove(index + 1)}
          data-testid={`hook-${index}-down`}
        >
          {t('snapshots.hooks.moveDown')}
        </button>
        <button
          type="button"
          className="small danger-text"
          disabled={disabled}
          onClick={onRemove}
          data-testid={`hook-${index}-remove`}
        >
          {t('snapshots.hooks.remove')}
        </button>
      </div>
    </li>
  )
}

/** One button per database service: its dump before the copy, removed from the live folder after. */
function HookPresets({
  presets,
  room,
  disabled,
  onAdd,
}: {
  presets: readonly HookPreset[]
  /** How many more hooks fit. */
  room: number
  disabled: boolean
  onAdd: (preset: HookPreset) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="hook-presets" data-testid="hook-presets">
      <ul className="plain-list">
        {presets.map((preset) => (
          <li key={`${preset.service}/${preset.id}`} className="hook-preset">
            <button
              type="button"
              className="small"
              disabled={disabled || preset.hooks.length > room}
              onClick={() => onAdd(preset)}
              data-testid={`hook-preset-${preset.service}-${preset.id}`}
            >
              {t('snapshots.hooks.preset', { service: preset.service, preset: hookPresetLabel(t, preset.id) })}
            </button>
            <span className="hint">
              {preset.id === 'redis-save'
                ? t('snapshots.hooks.presetHintRedis', { path: preset.dumpPath })
                : t('snapshots.hooks.presetHint', { path: preset.dumpPath })}
            </span>
          </li>
        ))}
      </ul>
      <p className="hint">{t('snapshots.hooks.presetsNote')}</p>
    </div>
  )
}
