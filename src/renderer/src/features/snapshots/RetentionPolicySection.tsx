import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { retentionInput } from '../../../../shared/contract'
import type { CaptureMode, RetentionPolicy } from '../../../../shared/types/snapshots'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { usePolicy, useSetPolicy } from './queries'
import { wholeNumber } from '../../components/parse'

type PolicyField = 'scheduleTime' | 'keepLast' | 'keepDaily' | 'keepWeekly'

interface PolicyText {
  readonly scheduleEnabled: boolean
  readonly scheduleMode: CaptureMode
  readonly acknowledgeInconsistent: boolean
  readonly scheduleTime: string
  readonly keepLast: string
  readonly keepDaily: string
  readonly keepWeekly: string
}

const MAX_KEEP = 1000
const MODES: readonly CaptureMode[] = ['stop', 'pause', 'live']

const toText = (policy: RetentionPolicy): PolicyText => ({
  scheduleEnabled: policy.scheduleEnabled,
  scheduleMode: policy.scheduleMode,
  // A saved live schedule of a database was acknowledged when it was saved.
  acknowledgeInconsistent: policy.scheduleMode === 'live',
  scheduleTime: policy.scheduleTime,
  keepLast: String(policy.keepLast),
  keepDaily: String(policy.keepDaily),
  keepWeekly: String(policy.keepWeekly),
})

/** The daily scheduled snapshot and how many snapshots the workload keeps. */
export function RetentionPolicySection({
  workloadId,
  databases,
}: {
  workloadId: string
  databases: readonly string[]
}): React.JSX.Element {
  const { t } = useTranslation()
  const policy = usePolicy(workloadId)
  const save = useSetPolicy(workloadId)
  return (
    <div className="subsection-block" data-testid="retention-policy">
      <h3 id={`policy-${workloadId}`} className="subsection-title">
        {t('snapshots.policy.title')}
      </h3>
      {policy.isPending && <p className="muted">{t('common.loading')}</p>}
      {policy.isError && <ErrorText error={policy.error} />}
      {policy.data !== undefined && (
        <PolicyForm
          // A saved or refetched policy starts the form over from what is stored.
          key={JSON.stringify(policy.data)}
          workloadId={workloadId}
          initial={policy.data}
          databases={databases}
          save={save}
        />
      )}
    </div>
  )
}

function PolicyForm({
  workloadId,
  initial,
  databases,
  save,
}: {
  workloadId: string
  initial: RetentionPolicy
  databases: readonly string[]
  save: ReturnType<typeof useSetPolicy>
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [text, setText] = useState<PolicyText>(() => toText(initial))
  const [errors, setErrors] = useState<Partial<Record<PolicyField, string>>>({})
  const dirty = JSON.stringify(text) !== JSON.stringify(toText(initial))
  const n = (value: number): string => formatNumber(i18n.language, value)

  const messages: Record<PolicyField, string> = {
    scheduleTime: t('snapshots.policy.errors.time'),
    keepLast: t('snapshots.policy.errors.range', { min: n(1), max: n(MAX_KEEP) }),
    keepDaily: t('snapshots.policy.errors.range', { min: n(0), max: n(MAX_KEEP) }),
    keepWeekly: t('snapshots.policy.errors.range', { min: n(0), max: n(MAX_KEEP) }),
  }

  const update = (patch: Partial<PolicyText>): void => {
    setText((before) => ({ ...before, ...patch }))
    setErrors({})
    save.reset()
  }

  const submit = (): void => {
    const parsed = retentionInput.safeParse({
      workloadId,
      scheduleEnabled: text.scheduleEnabled,
      scheduleMode: text.scheduleMode,
      acknowledgeInconsistent: text.scheduleMode === 'live' && databases.length > 0 && text.acknowledgeInconsistent,
      scheduleTime: text.scheduleTime.trim(),
      keepLast: wholeNumber(text.keepLast),
      keepDaily: wholeNumber(text.keepDaily),
      keepWeekly: wholeNumber(text.keepWeekly),
    })
    if (!parsed.success) {
      const found: Partial<Record<PolicyField, string>> = {}
      for (const issue of parsed.error.issues) {
        const field = issue.path[0]
        if (field === 'scheduleTime' || field === 'keepLast' || field === 'keepDaily' || field === 'keepWeekly') {
          found[field] = messages[field]
        }
      }
      setErrors(found)
      return
    }
    save.mutate(parsed.data)
  }

  const fieldProps = (field: PolicyField) => ({
    id: `${id}-${field}`,
    'aria-invalid': errors[field] !== undefined,
    'aria-describedby': errors[field] === undefined ? undefined : `${id}-${field}-error`,
  })
  const fieldError = (field: PolicyField) =>
    errors[field] === undefined ? null : (
      <span className="field-error" id={`${id}-${field}-error`} data-testid={`policy-error-${field}`}>
        {errors[field]}
      </span>
    )
  const keepField = (field: 'keepLast' | 'keepDaily' | 'keepWeekly', label: string, testId: string, min: number) => (
    <div className="form-field">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        {...fieldProps(field)}
        type="number"
        inputMode="numeric"
        min={min}
        max={MAX_KEEP}
        step={1}
        value={text[field]}
        disabled={save.isPending}
        onChange={(event) => update({ [field]: event.target.value })}
        data-testid={testId}
      />
      {fieldError(field)}
    </div>
  )

  return (
    <form
      className="policy-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <div className="policy-schedule">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={text.scheduleEnabled}
            disabled={save.isPending}
            onChange={(event) => update({ scheduleEnabled: event.target.checked })}
            data-testid="policy-enabled"
          />
          <span>{t('snapshots.policy.enabled')}</span>
        </label>
        <div className="form-field">
          <label htmlFor={`${id}-scheduleTime`}>{t('snapshots.policy.time')}</label>
          <input
            {...fieldProps('scheduleTime')}
            type="time"
            value={text.scheduleTime}
            disabled={save.isPending}
            onChange={(event) => update({ scheduleTime: event.target.value })}
            data-testid="policy-time"
          />
          {fieldError('scheduleTime')}
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-scheduleMode`}>{t('snapshots.policy.mode')}</label>
          <select
            id={`${id}-scheduleMode`}
            value={text.scheduleMode}
            disabled={save.isPending}
            onChange={(event) => {
              const mode = MODES.find((m) => m === event.target.value)
              if (mode !== undefined) update({ scheduleMode: mode, acknowledgeInconsistent: false })
            }}
            data-testid="policy-mode"
          >
            <option value="stop">{t('snapshots.capture.modeStop')}</option>
            <option value="pause">{t('snapshots.capture.modePause')}</option>
            <option value="live">{t('snapshots.capture.modeLive')}</option>
          </select>
        </div>
      </div>
      {text.scheduleMode === 'live' && databases.length > 0 && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={text.acknowledgeInconsistent}
            disabled={save.isPending}
            onChange={(event) => update({ acknowledgeInconsistent: event.target.checked })}
            data-testid="policy-acknowledge-live"
          />
          <span>
            {t('snapshots.capture.modeLiveDatabaseHint', { services: databases.join(', ') })}{' '}
            {t('snapshots.capture.acknowledgeLive')}
          </span>
        </label>
      )}
      <p className="hint">{t('snapshots.policy.scheduleHint')}</p>
      <div className="policy-keep">
        {keepField('keepLast', t('snapshots.policy.keepLast'), 'policy-keep-last', 1)}
        {keepField('keepDaily', t('snapshots.policy.keepDaily'), 'policy-keep-daily', 0)}
        {keepField('keepWeekly', t('snapshots.policy.keepWeekly'), 'policy-keep-weekly', 0)}
      </div>
      <p className="hint">{t('snapshots.policy.keepHint')}</p>
      <p className="hint strong">{t('snapshots.policy.pinnedNote')}</p>
      {save.isError && <ErrorText error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={save.isPending} data-testid="policy-save">
          {save.isPending ? t('snapshots.policy.saving') : t('snapshots.policy.save')}
        </button>
        {save.isSuccess && !dirty && (
          <span className="hint" role="status" data-testid="policy-saved">
            {t('snapshots.policy.saved')}
          </span>
        )}
      </div>
    </form>
  )
}
