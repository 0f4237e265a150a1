import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { destinationsInput } from '../../../../shared/contract'
import type { RetentionPolicy } from '../../../../shared/types/snapshots'
import type { SnapshotDestinations, StoreSummary } from '../../../../shared/types/stores'
import { hashFor } from '../../app/route'
import { ErrorText } from '../../components/ErrorText'
import { formatNumber } from '../../components/format'
import { useDestinations, useSetDestinations, useStores } from '../stores/queries'
import { StoreError } from '../stores/StoreError'
import { usePolicy } from './queries'
import { wholeNumber } from '../../components/parse'

const KEEP_FIELDS = ['keepLast', 'keepDaily', 'keepWeekly'] as const
type KeepField = (typeof KEEP_FIELDS)[number]
const MAX_KEEP = 1000

interface StoreRowText {
  readonly enabled: boolean
  readonly keepLast: string
  readonly keepDaily: string
  readonly keepWeekly: string
}

interface DestinationsText {
  readonly local: boolean
  readonly stores: Readonly<Record<string, StoreRowText>>
}

/** A store not chosen yet starts with the workload's own policy (or a week of dailies and a month of weeklies). */
const defaults = (policy: RetentionPolicy | undefined): Omit<StoreRowText, 'enabled'> => ({
  keepLast: String(policy?.keepLast ?? 7),
  keepDaily: String(policy?.keepDaily ?? 7),
  keepWeekly: String(policy?.keepWeekly ?? 4),
})

function toText(
  saved: SnapshotDestinations,
  stores: readonly StoreSummary[],
  policy: RetentionPolicy | undefined,
): DestinationsText {
  const rows: Record<string, StoreRowText> = {}
  for (const store of stores) {
    const chosen = saved.stores.find((d) => d.storeId === store.id)
    rows[store.id] =
      chosen === undefined
        ? { enabled: false, ...defaults(policy) }
        : {
            enabled: true,
            keepLast: String(chosen.keepLast),
            keepDaily: String(chosen.keepDaily),
            keepWeekly: String(chosen.keepWeekly),
          }
  }
  return { local: saved.local, stores: rows }
}

/**
 * "Where snapshots go": this computer and/or snapshot stores, each store with its own retention.
 * Manual and scheduled snapshots follow it; pre-deploy and pre-restore ones always stay local.
 */
export function DestinationsSection({ workloadId }: { workloadId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const destinations = useDestinations(workloadId)
  const stores = useStores()
  const policy = usePolicy(workloadId)
  const save = useSetDestinations(workloadId)
  const loading = destinations.isPending || stores.isPending || policy.isPending
  return (
    <div className="subsection-block" data-testid="snapshot-destinations">
      <h3 className="subsection-title">{t('stores.destinations.title')}</h3>
      {loading && <p className="muted">{t('common.loading')}</p>}
      {destinations.isError && <ErrorText error={destinations.error} />}
      {stores.isError && <ErrorText error={stores.error} />}
      {!loading && destinations.data !== undefined && stores.data !== undefined && (
        <DestinationsForm
          // A saved or refetched choice starts the form over from what is stored.
          key={JSON.stringify([destinations.data, stores.data.map((s) => s.id)])}
          workloadId={workloadId}
          initial={toText(destinations.data, stores.data, policy.data)}
          stores={stores.data}
          save={save}
        />
      )}
    </div>
  )
}

function DestinationsForm({
  workloadId,
  initial,
  stores,
  save,
}: {
  workloadId: string
  initial: DestinationsText
  stores: readonly StoreSummary[]
  save: ReturnType<typeof useSetDestinations>
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [text, setText] = useState<DestinationsText>(initial)
  const [errors, setErrors] = useState<ReadonlySet<string>>(new Set())
  const [nowhere, setNowhere] = useState(false)
  const dirty = JSON.stringify(text) !== JSON.stringify(initial)
  const n = (value: number): string => formatNumber(i18n.language, value)
  const rangeError = t('snapshots.policy.errors.range', { min: n(0), max: n(MAX_KEEP) })

  const touch = (): void => {
    setErrors(new Set())
    setNowhere(false)
    save.reset()
  }
  const setLocal = (local: boolean): void => {
    setText((before) => ({ ...before, local }))
    touch()
  }
  const setRow = (storeId: string, patch: Partial<StoreRowText>): void => {
    setText((before) => {
      const row = before.stores[storeId]
      return row === undefined ? before : { ...before, stores: { ...before.stores, [storeId]: { ...row, ...patch } } }
    })
    touch()
  }

  const submit = (): void => {
    const chosen = stores.filter((store) => text.stores[store.id]?.enabled === true)
    if (!text.local && chosen.length === 0) {
      setNowhere(true)
      return
    }
    const parsed = destinationsInput.safeParse({
      workloadId,
      local: text.local,
      stores: chosen.map((store) => {
        const row = text.stores[store.id]
        return {
          storeId: store.id,
          keepLast: wholeNumber(row?.keepLast ?? ''),
          keepDaily: wholeNumber(row?.keepDaily ?? ''),
          keepWeekly: wholeNumber(row?.keepWeekly ?? ''),
        }
      }),
    })
    if (!parsed.success) {
      const found = new Set<string>()
      for (const issue of parsed.error.issues) {
        const [list, index, field] = issue.path
        const store = list === 'stores' && typeof index === 'number' ? chosen[index] : undefined
        if (store !== undefined && typeof field === 'string') found.add(`${store.id}/${field}`)
      }
      setErrors(found)
      return
    }
    save.mutate(parsed.data)
  }

  const keepLabel = (field: KeepField): string =>
    field === 'keepLast'
      ? t('snapshots.policy.keepLast')
      : field === 'keepDaily'
        ? t('snapshots.policy.keepDaily')
        : t('snapshots.policy.keepWeekly')

  return (
    <form
      className="destinations-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <p className="hint">{t('stores.destinations.intro')}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={text.local}
          disabled={save.isPending}
          onChange={(event) => setLocal(event.target.checked)}
          data-testid="destination-local"
        />
        <span>{t('stores.destinations.local')}</span>
      </label>
      <p className="hint">{t('stores.destinations.localHint')}</p>
      {stores.length === 0 ? (
        <p className="muted" data-testid="destinations-no-stores">
          {t('stores.destinations.noStores')}{' '}
          <a href={hashFor('settings')} data-testid="destinations-settings-link">
            {t('stores.destinations.addInSettings')}
          </a>
        </p>
      ) : (
        <ul className="plain-list destination-stores">
          {stores.map((store) => {
            const row = text.stores[store.id]
            if (row === undefined) return null
            return (
              <li key={store.id} className="destination-store" data-testid={`destination-store-${store.id}`}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={row.enabled}
                    disabled={save.isPending}
                    onChange={(event) => setRow(store.id, { enabled: event.target.checked })}
                    data-testid={`destination-store-enabled-${store.id}`}
                  />
                  <span>
                    <span className="strong">{store.name}</span> <span className="muted mono">{store.display}</span>
                  </span>
                </label>
                {row.enabled && (
                  <div className="policy-keep">
                    {KEEP_FIELDS.map((field) => {
                      const inputId = `${id}-${store.id}-${field}`
                      const invalid = errors.has(`${store.id}/${field}`)
                      return (
                        <div className="form-field" key={field}>
                          <label htmlFor={inputId}>{keepLabel(field)}</label>
                          <input
                            id={inputId}
                            type="number"
                            inputMode="numeric"
                            min={0}
                            max={MAX_KEEP}
                            step={1}
                            value={row[field]}
                            disabled={save.isPending}
                            aria-invalid={invalid}
                            aria-describedby={invalid ? `${inputId}-error` : undefined}
                            onChange={(event) => setRow(store.id, { [field]: event.target.value })}
                            data-testid={`destination-${field}-${store.id}`}
                          />
                          {invalid && (
                            <span className="field-error" id={`${inputId}-error`}>
                              {rangeError}
                            </span>
                          )}
                        </div>
                      )
                    })}
                  </div>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {stores.length > 0 && <p className="hint">{t('stores.destinations.keepHint')}</p>}
      <p className="hint strong">{t('stores.destinations.alwaysLocal')}</p>
      {nowhere && (
        <p className="error" role="alert" data-testid="destinations-nowhere">
          {t('stores.errors.noDestination')}
        </p>
      )}
      {save.isError && <StoreError error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={save.isPending} data-testid="destinations-save">
          {save.isPending ? t('snapshots.policy.saving') : t('snapshots.policy.save')}
        </button>
        {save.isSuccess && !dirty && (
          <span className="hint" role="status" data-testid="destinations-saved">
            {t('snapshots.policy.saved')}
          </span>
        )}
      </div>
    </form>
  )
}
