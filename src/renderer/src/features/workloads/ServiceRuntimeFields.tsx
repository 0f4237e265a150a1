import { useTranslation } from 'react-i18next'
import { DEPENDENCY_CONDITIONS } from '../../../../shared/serviceSpec'
import type { DependencyCondition } from '../../../../shared/types/workloads'
import type { FieldKit } from './fieldKit'
import type { HealthcheckMode, RuntimeValues } from './formModel'
import { conditionLabel } from './serviceSettings'

interface ServiceRuntimeFieldsProps {
  /** `services.<i>` */
  readonly at: string
  readonly testId: (suffix: string) => string
  readonly runtime: RuntimeValues
  /** The workload's other services, by name: what this one may wait for. */
  readonly others: readonly string[]
  readonly kit: FieldKit
  readonly onChange: (next: RuntimeValues, field: string) => void
}

type TextKey = Exclude<keyof RuntimeValues, 'healthcheck' | 'dependsOn'>

const HEALTHCHECK_MODES: readonly HealthcheckMode[] = ['image', 'shell', 'exec', 'disabled']

/** How a service runs: entrypoint, user, networks, healthcheck, limits and what it starts after. */
export function ServiceRuntimeFields({
  at,
  testId,
  runtime,
  others,
  kit,
  onChange,
}: ServiceRuntimeFieldsProps): React.JSX.Element {
  const { t } = useTranslation()
  const probes = runtime.healthcheck === 'shell' || runtime.healthcheck === 'exec'
  const set = <K extends keyof RuntimeValues>(key: K, value: RuntimeValues[K], field: string): void =>
    onChange({ ...runtime, [key]: value }, `${at}.${field}`)

  const text = (key: TextKey, field: string, label: string, mono = true, hint?: string) => {
    const hintId = hint === undefined ? undefined : `${kit.id(`${at}.${field}`)}-hint`
    return (
      <div className="form-field">
        <label htmlFor={kit.id(`${at}.${field}`)}>{label}</label>
        <input
          {...kit.input(`${at}.${field}`, hintId)}
          autoComplete="off"
          spellCheck={false}
          className={mono ? 'mono' : undefined}
          data-testid={testId(key)}
          value={runtime[key]}
          onChange={(event) => set(key, event.target.value, field)}
        />
        {hint !== undefined && (
          <span className="hint" id={hintId}>
            {hint}
          </span>
        )}
        {kit.errorText(`${at}.${field}`)}
      </div>
    )
  }

  return (
    <section className="subsection" aria-labelledby={`${kit.id(at)}-runtime`}>
      <h4 id={`${kit.id(at)}-runtime`}>{t('workloads.form.runtime.title')}</h4>
      <div className="form-grid form-grid-3">
        {text(
          'entrypoint',
          'entrypoint',
          t('workloads.setting.entrypoint'),
          true,
          t('workloads.form.runtime.entrypointHint'),
        )}
        {text('user', 'user', t('workloads.setting.user'), true, t('workloads.form.runtime.userHint'))}
        {text('networks', 'networks', t('workloads.setting.networks'), true, t('workloads.form.runtime.networksHint'))}
      </div>

      <div className="form-grid form-grid-health">
        <div className="form-field">
          <label htmlFor={kit.id(`${at}.healthcheck`)}>{t('workloads.setting.healthcheck')}</label>
          <select
            {...kit.input(`${at}.healthcheck`)}
            data-testid={testId('healthcheck')}
            value={runtime.healthcheck}
            onChange={(event) => set('healthcheck', event.target.value as HealthcheckMode, 'healthcheck')}
          >
            {HEALTHCHECK_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {healthcheckModeLabel(t, mode)}
              </option>
            ))}
          </select>
          {kit.errorText(`${at}.healthcheck`)}
        </div>
        {probes && text('healthTest', 'healthcheck.test', t('workloads.form.runtime.healthTest'))}
      </div>
      {probes && (
        <div className="form-grid form-grid-4">
          {text('healthInterval', 'healthcheck.intervalMs', t('workloads.form.runtime.interval'), false)}
          {text('healthTimeout', 'healthcheck.timeoutMs', t('workloads.form.runtime.timeout'), false)}
          {text('healthStartPeriod', 'healthcheck.startPeriodMs', t('workloads.form.runtime.startPeriod'), false)}
          {text('healthRetries', 'healthcheck.retries', t('workloads.form.runtime.retries'), false)}
        </div>
      )}

      <div className="form-grid form-grid-3">
        {text('memLimit', 'memLimitBytes', t('workloads.form.runtime.memLimit'), false)}
        {text('cpus', 'cpus', t('workloads.setting.cpus'), false)}
        {text('pidsLimit', 'pidsLimit', t('workloads.setting.pidsLimit'), false)}
      </div>

      {others.length > 0 && (
        <fieldset className="plain-fieldset" data-testid={testId('depends-on')}>
          <legend>{t('workloads.setting.dependsOn')}</legend>
          <div className="form-grid form-grid-3">
            {others.map((other) => (
              <div className="form-field" key={other}>
                <label htmlFor={kit.id(`${at}.dependsOn.${other}`)}>{other}</label>
                <select
                  id={kit.id(`${at}.dependsOn.${other}`)}
                  data-testid={testId(`depends-${other}`)}
                  value={runtime.dependsOn[other] ?? ''}
                  onChange={(event) => {
                    const { [other]: _dropped, ...rest } = runtime.dependsOn
                    const condition = event.target.value as DependencyCondition | ''
                    set('dependsOn', condition === '' ? rest : { ...rest, [other]: condition }, 'dependsOn')
                  }}
                >
                  <option value="">{t('workloads.form.runtime.noWait')}</option>
                  {DEPENDENCY_CONDITIONS.map((condition) => (
                    <option key={condition} value={condition}>
                      {conditionLabel(t, condition)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          {kit.errorText(`${at}.dependsOn`)}
        </fieldset>
      )}
      <p className="hint">{t('workloads.form.runtime.moreHint')}</p>
    </section>
  )
}

function healthcheckModeLabel(t: ReturnType<typeof useTranslation>['t'], mode: HealthcheckMode): string {
  switch (mode) {
    case 'image':
      return t('workloads.form.runtime.healthImage')
    case 'shell':
      return t('workloads.form.runtime.healthShell')
    case 'exec':
      return t('workloads.form.runtime.healthExec')
    case 'disabled':
      return t('workloads.form.runtime.healthDisabled')
  }
}
