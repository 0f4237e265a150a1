import { useTranslation } from 'react-i18next'
import type { RestartPolicy } from '../../../../shared/types/workloads'
import type { FieldKit } from './fieldKit'
import {
  emptyEnv,
  emptyPort,
  emptyVolume,
  RESTART_POLICIES,
  type EnvRow,
  type PortRow,
  type ServiceValues,
  type VolumeRow,
} from './formModel'
import { ServiceRuntimeFields } from './ServiceRuntimeFields'
import { restartLabel } from './workloadText'

interface ServiceFieldsProps {
  readonly index: number
  readonly service: ServiceValues
  /** The workload's other services, by name. */
  readonly others: readonly string[]
  readonly kit: FieldKit
  /** `field` is the dotted path that changed, or null when rows were added or removed. */
  readonly onChange: (next: ServiceValues, field: string | null) => void
  /** Absent while it is the only service. */
  readonly onRemove?: (() => void) | undefined
}

const replaceAt = <T,>(list: readonly T[], index: number, item: T): T[] =>
  list.map((existing, at) => (at === index ? item : existing))

const removeAt = <T,>(list: readonly T[], index: number): T[] => list.filter((_item, at) => at !== index)

/** One service of a workload: image, command, restart policy, environment, ports and mounts. */
export function ServiceFields({
  index,
  service,
  others,
  kit,
  onChange,
  onRemove,
}: ServiceFieldsProps): React.JSX.Element {
  const { t } = useTranslation()
  const at = `services.${index}`
  const testId = (suffix: string): string => `service-${index}-${suffix}`
  const set = <K extends keyof ServiceValues>(key: K, value: ServiceValues[K]): void =>
    onChange({ ...service, [key]: value }, `${at}.${key}`)

  const setEnv = (j: number, patch: Partial<EnvRow>, field: keyof EnvRow): void => {
    const row = service.env[j]
    if (row !== undefined)
      onChange({ ...service, env: replaceAt(service.env, j, { ...row, ...patch }) }, `${at}.env.${j}.${field}`)
  }
  const setPort = (j: number, patch: Partial<PortRow>, field: keyof PortRow): void => {
    const row = service.ports[j]
    if (row !== undefined) {
      onChange({ ...service, ports: replaceAt(service.ports, j, { ...row, ...patch }) }, `${at}.ports.${j}.${field}`)
    }
  }
  const setVolume = (j: number, patch: Partial<VolumeRow>, field: keyof VolumeRow): void => {
    const row = service.volumes[j]
    if (row !== undefined) {
      onChange(
        { ...service, volumes: replaceAt(service.volumes, j, { ...row, ...patch }) },
        `${at}.volumes.${j}.${field}`,
      )
    }
  }

  const commandHintId = `${kit.id(`${at}.command`)}-hint`
  const title = service.name.trim() === '' ? t('workloads.form.serviceN', { n: index + 1 }) : service.name

  return (
    <fieldset className="service-fields" data-testid={`service-${index}`}>
      <legend>{title}</legend>
      {kit.errorText(at)}
      <div className="form-grid form-grid-3">
        <div className="form-field">
          <label htmlFor={kit.id(`${at}.name`)}>{t('workloads.form.serviceName')}</label>
          <input
            {...kit.input(`${at}.name`)}
            autoComplete="off"
            spellCheck={false}
            data-testid={testId('name')}
            value={service.name}
            onChange={(event) => set('name', event.target.value)}
          />
          {kit.errorText(`${at}.name`)}
        </div>
        <div className="form-field">
          <label htmlFor={kit.id(`${at}.image`)}>{t('workloads.form.image')}</label>
          <input
            {...kit.input(`${at}.image`)}
            autoComplete="off"
            spellCheck={false}
            className="mono"
            placeholder={t('workloads.form.imagePlaceholder')}
            data-testid={testId('image')}
            value={service.image}
            onChange={(event) => set('image', event.target.value)}
          />
          {kit.errorText(`${at}.image`)}
        </div>
        <div className="form-field">
          <label htmlFor={kit.id(`${at}.restart`)}>{t('workloads.form.restart')}</label>
          <select
            {...kit.input(`${at}.restart`)}
            data-testid={testId('restart')}
            value={service.restart}
            onChange={(event) => set('restart', event.target.value as RestartPolicy)}
          >
            {RESTART_POLICIES.map((policy) => (
              <option key={policy} value={policy}>
                {restartLabel(t, policy)}
              </option>
            ))}
          </select>
          {kit.errorText(`${at}.restart`)}
        </div>
      </div>
      <div className="form-field">
        <label htmlFor={kit.id(`${at}.command`)}>{t('workloads.form.command')}</label>
        <input
          {...kit.input(`${at}.command`, commandHintId)}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          placeholder={t('workloads.form.commandPlaceholder')}
          data-testid={testId('command')}
          value={service.command}
          onChange={(event) => set('command', event.target.value)}
        />
        <span className="hint" id={commandHintId}>
          {t('workloads.form.commandHint')}
        </span>
        {kit.errorText(`${at}.command`)}
      </div>

      <ServiceRuntimeFields
        at={at}
        testId={testId}
        runtime={service.runtime}
        others={others}
        kit={kit}
        onChange={(runtime, field) => onChange({ ...service, runtime }, field)}
      />

      <section className="subsection" aria-labelledby={`${kit.id(at)}-env`}>
        <h4 id={`${kit.id(at)}-env`}>{t('workloads.form.env.title')}</h4>
        {service.env.length > 0 && (
          <div className="rows rows-env">
            <span className="rows-head">{t('workloads.form.env.name')}</span>
            <span className="rows-head">{t('workloads.form.env.value')}</span>
            <span className="rows-head" />
            <span className="rows-head" />
            {service.env.map((row, j) => {
              const field = `${at}.env.${j}`
              const keeps = row.secret && row.storedSecret !== null && row.storedSecret === row.name.trim()
              return (
                <div className="row-cells" key={row.key} data-testid={testId(`env-${j}`)}>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.name`)}
                      aria-label={t('workloads.form.env.nameOf', { n: j + 1 })}
                      autoComplete="off"
                      spellCheck={false}
                      className="mono"
                      data-testid={testId(`env-${j}-name`)}
                      value={row.name}
                      onChange={(event) => setEnv(j, { name: event.target.value }, 'name')}
                    />
                    {kit.errorText(`${field}.name`)}
                  </div>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.value`)}
                      aria-label={t('workloads.form.env.valueOf', { n: j + 1 })}
                      type={row.secret ? 'password' : 'text'}
                      autoComplete={row.secret ? 'new-password' : 'off'}
                      spellCheck={false}
                      className="mono"
                      placeholder={keeps ? t('workloads.form.env.keepSecret') : undefined}
                      data-testid={testId(`env-${j}-value`)}
                      value={row.value}
                      onChange={(event) => setEnv(j, { value: event.target.value }, 'value')}
                    />
                    {kit.errorText(`${field}.value`)}
                  </div>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      data-testid={testId(`env-${j}-secret`)}
                      checked={row.secret}
                      onChange={(event) => setEnv(j, { secret: event.target.checked }, 'secret')}
                    />
                    <span>{t('workloads.form.env.secret')}</span>
                  </label>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('workloads.form.env.remove', { n: j + 1 })}
                    title={t('workloads.form.env.remove', { n: j + 1 })}
                    data-testid={testId(`env-${j}-remove`)}
                    onClick={() => onChange({ ...service, env: removeAt(service.env, j) }, null)}
                  >
                    ×
                  </button>
                </div>
              )
            })}
          </div>
        )}
        {service.env.some((row) => row.storedSecret !== null) && (
          <p className="hint">{t('workloads.form.env.secretHint')}</p>
        )}
        {kit.errorText(`${at}.env`)}
        <button
          type="button"
          className="small"
          data-testid={testId('add-env')}
          onClick={() => onChange({ ...service, env: [...service.env, emptyEnv()] }, null)}
        >
          {t('workloads.form.env.add')}
        </button>
      </section>

      <section className="subsection" aria-labelledby={`${kit.id(at)}-ports`}>
        <h4 id={`${kit.id(at)}-ports`}>{t('workloads.form.ports.title')}</h4>
        {service.ports.length > 0 && (
          <div className="rows rows-ports">
            <span className="rows-head">{t('workloads.form.ports.hostIp')}</span>
            <span className="rows-head">{t('workloads.form.ports.hostPort')}</span>
            <span className="rows-head">{t('workloads.form.ports.containerPort')}</span>
            <span className="rows-head">{t('workloads.form.ports.protocol')}</span>
            <span className="rows-head" />
            {service.ports.map((row, j) => {
              const field = `${at}.ports.${j}`
              return (
                <div className="row-cells" key={row.key} data-testid={testId(`port-${j}`)}>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.hostIp`)}
                      aria-label={t('workloads.form.ports.hostIpOf', { n: j + 1 })}
                      autoComplete="off"
                      spellCheck={false}
                      className="mono"
                      placeholder={t('workloads.form.ports.anyAddress')}
                      data-testid={testId(`port-${j}-ip`)}
                      value={row.hostIp}
                      onChange={(event) => setPort(j, { hostIp: event.target.value }, 'hostIp')}
                    />
                    {kit.errorText(`${field}.hostIp`)}
                  </div>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.hostPort`)}
                      aria-label={t('workloads.form.ports.hostPortOf', { n: j + 1 })}
                      inputMode="numeric"
                      autoComplete="off"
                      data-testid={testId(`port-${j}-host`)}
                      value={row.hostPort}
                      onChange={(event) => setPort(j, { hostPort: event.target.value }, 'hostPort')}
                    />
                    {kit.errorText(`${field}.hostPort`)}
                  </div>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.containerPort`)}
                      aria-label={t('workloads.form.ports.containerPortOf', { n: j + 1 })}
                      inputMode="numeric"
                      autoComplete="off"
                      data-testid={testId(`port-${j}-container`)}
                      value={row.containerPort}
                      onChange={(event) => setPort(j, { containerPort: event.target.value }, 'containerPort')}
                    />
                    {kit.errorText(`${field}.containerPort`)}
                  </div>
                  <div className="cell">
                    <select
                      {...kit.input(`${field}.protocol`)}
                      aria-label={t('workloads.form.ports.protocolOf', { n: j + 1 })}
                      data-testid={testId(`port-${j}-protocol`)}
                      value={row.protocol}
                      onChange={(event) =>
                        setPort(j, { protocol: event.target.value as PortRow['protocol'] }, 'protocol')
                      }
                    >
                      <option value="tcp">{t('workloads.form.ports.tcp')}</option>
                      <option value="udp">{t('workloads.form.ports.udp')}</option>
                      <option value="sctp">{t('workloads.form.ports.sctp')}</option>
                    </select>
                  </div>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('workloads.form.ports.remove', { n: j + 1 })}
                    title={t('workloads.form.ports.remove', { n: j + 1 })}
                    data-testid={testId(`port-${j}-remove`)}
                    onClick={() => onChange({ ...service, ports: removeAt(service.ports, j) }, null)}
                  >
                    ×
                  </button>
                </div>
              )
            })}
          </div>
        )}
        {kit.errorText(`${at}.ports`)}
        <button
          type="button"
          className="small"
          data-testid={testId('add-port')}
          onClick={() => onChange({ ...service, ports: [...service.ports, emptyPort()] }, null)}
        >
          {t('workloads.form.ports.add')}
        </button>
      </section>

      <section className="subsection" aria-labelledby={`${kit.id(at)}-volumes`}>
        <h4 id={`${kit.id(at)}-volumes`}>{t('workloads.form.volumes.title')}</h4>
        {service.volumes.length > 0 && (
          <div className="rows rows-volumes">
            <span className="rows-head">{t('workloads.form.volumes.kind')}</span>
            <span className="rows-head">{t('workloads.form.volumes.source')}</span>
            <span className="rows-head">{t('workloads.form.volumes.target')}</span>
            <span className="rows-head" />
            <span className="rows-head" />
            {service.volumes.map((row, j) => {
              const field = `${at}.volumes.${j}`
              return (
                <div className="row-cells" key={row.key} data-testid={testId(`volume-${j}`)}>
                  <div className="cell">
                    <select
                      {...kit.input(`${field}.kind`)}
                      aria-label={t('workloads.form.volumes.kindOf', { n: j + 1 })}
                      data-testid={testId(`volume-${j}-kind`)}
                      value={row.kind}
                      onChange={(event) => setVolume(j, { kind: event.target.value as VolumeRow['kind'] }, 'kind')}
                    >
                      <option value="volume">{t('workloads.form.volumes.named')}</option>
                      <option value="bind">{t('workloads.form.volumes.bind')}</option>
                      <option value="tmpfs">{t('workloads.form.volumes.tmpfs')}</option>
                    </select>
                  </div>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.source`)}
                      aria-label={
                        row.kind === 'bind'
                          ? t('workloads.form.volumes.hostPathOf', { n: j + 1 })
                          : t('workloads.form.volumes.volumeNameOf', { n: j + 1 })
                      }
                      autoComplete="off"
                      spellCheck={false}
                      className="mono"
                      placeholder={
                        row.kind === 'bind'
                          ? t('workloads.form.volumes.hostPathPlaceholder')
                          : row.kind === 'tmpfs'
                            ? t('workloads.form.volumes.tmpfsPlaceholder')
                            : t('workloads.form.volumes.volumeNamePlaceholder')
                      }
                      data-testid={testId(`volume-${j}-source`)}
                      disabled={row.kind === 'tmpfs'}
                      value={row.kind === 'tmpfs' ? '' : row.source}
                      onChange={(event) => setVolume(j, { source: event.target.value }, 'source')}
                    />
                    {kit.errorText(`${field}.source`)}
                  </div>
                  <div className="cell">
                    <input
                      {...kit.input(`${field}.target`)}
                      aria-label={t('workloads.form.volumes.targetOf', { n: j + 1 })}
                      autoComplete="off"
                      spellCheck={false}
                      className="mono"
                      placeholder={t('workloads.form.volumes.targetPlaceholder')}
                      data-testid={testId(`volume-${j}-target`)}
                      value={row.target}
                      onChange={(event) => setVolume(j, { target: event.target.value }, 'target')}
                    />
                    {kit.errorText(`${field}.target`)}
                  </div>
                  <div className="cell cell-checks">
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        data-testid={testId(`volume-${j}-readonly`)}
                        checked={row.readOnly}
                        onChange={(event) => setVolume(j, { readOnly: event.target.checked }, 'readOnly')}
                      />
                      <span>{t('workloads.form.volumes.readOnly')}</span>
                    </label>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        data-testid={testId(`volume-${j}-exclude`)}
                        checked={row.kind === 'tmpfs' || row.excludeFromSnapshots}
                        disabled={row.kind === 'tmpfs'}
                        onChange={(event) =>
                          setVolume(j, { excludeFromSnapshots: event.target.checked }, 'excludeFromSnapshots')
                        }
                      />
                      <span>{t('workloads.form.volumes.exclude')}</span>
                    </label>
                  </div>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('workloads.form.volumes.remove', { n: j + 1 })}
                    title={t('workloads.form.volumes.remove', { n: j + 1 })}
                    data-testid={testId(`volume-${j}-remove`)}
                    onClick={() => onChange({ ...service, volumes: removeAt(service.volumes, j) }, null)}
                  >
                    ×
                  </button>
                </div>
              )
            })}
          </div>
        )}
        {service.volumes.length > 0 && <p className="hint">{t('workloads.form.volumes.hint')}</p>}
        {kit.errorText(`${at}.volumes`)}
        <button
          type="button"
          className="small"
          data-testid={testId('add-volume')}
          onClick={() => onChange({ ...service, volumes: [...service.volumes, emptyVolume()] }, null)}
        >
          {t('workloads.form.volumes.add')}
        </button>
      </section>

      {onRemove !== undefined && (
        <div className="service-actions">
          <button type="button" className="danger-text small" data-testid={testId('remove')} onClick={onRemove}>
            {t('workloads.form.removeService', { name: title })}
          </button>
        </div>
      )}
    </fieldset>
  )
}
