import { useTranslation } from 'react-i18next'
import type { DeployConfig } from '../../../../shared/types/workloads'
import { configDiff } from './configDiff'

/** The lines that change from one configuration to the other; "no change" when none do. */
export function ConfigDiffList({ before, after }: { before: DeployConfig; after: DeployConfig }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const diff = configDiff(t, i18n.language, before, after)
  if (diff.length === 0) return <p className="muted small-text">{t('workloads.history.noConfigChange')}</p>
  return (
    <ul className="plain-list mono small-text config-diff" data-testid="config-diff">
      {diff.map((line, i) => (
        <li key={i} className={line.change === 'added' ? 'diff-added' : 'diff-removed'} data-change={line.change}>
          {`${line.change === 'added' ? '+' : '−'} ${line.scope === '' ? '' : `${line.scope}: `}${line.text}`}
        </li>
      ))}
    </ul>
  )
}
