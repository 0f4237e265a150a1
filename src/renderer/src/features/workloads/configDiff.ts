/**
 * What changes between two configurations, as the workload page words them: every setting line
 * (from `serviceSettings`) that one has and the other has not, per service, plus services,
 * networks and volumes that come or go. Secret values are in neither, so never in the diff.
 */
import type { TFunction } from 'i18next'
import type { DeployConfig } from '../../../../shared/types/workloads'
import { serviceSettings } from './serviceSettings'

export interface DiffLine {
  readonly change: 'added' | 'removed'
  /** The service, or '' for the workload's networks and volumes. */
  readonly scope: string
  readonly text: string
}

function lines(t: TFunction, language: string, config: DeployConfig): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const service of config.services)
    out.set(
      service.name,
      serviceSettings(t, language, service).flatMap((row) => row.lines.map((line) => `${row.label}: ${line}`)),
    )
  out.set('', [
    ...config.networks.map((n) => t('workloads.config.networkLine', { name: n.name })),
    ...config.volumes.map((v) => t('workloads.config.volumeLine', { name: v.name })),
  ])
  return out
}

/** From `before` to `after`. */
export function configDiff(t: TFunction, language: string, before: DeployConfig, after: DeployConfig): DiffLine[] {
  const from = lines(t, language, before)
  const to = lines(t, language, after)
  const diff: DiffLine[] = []
  for (const scope of new Set([...from.keys(), ...to.keys()])) {
    const old = from.get(scope) ?? []
    const now = to.get(scope) ?? []
    for (const text of old) if (!now.includes(text)) diff.push({ change: 'removed', scope, text })
    for (const text of now) if (!old.includes(text)) diff.push({ change: 'added', scope, text })
  }
  return diff
}
