import { useTranslation } from 'react-i18next'
import { HostsPage } from '../features/hosts/HostsPage'
import { RecoveryNotices } from '../features/restore/RecoveryNotices'
import { SettingsPage } from '../features/settings/SettingsPage'
import { useApplyLanguage } from '../features/settings/queries'
import { SnapshotsPage } from '../features/snapshots/SnapshotsPage'
import { WorkloadsPage } from '../features/workloads/WorkloadsPage'
import { ROUTES, useRoute, type Route } from './route'

const PAGES: Record<Route, () => React.JSX.Element> = {
  hosts: HostsPage,
  workloads: WorkloadsPage,
  snapshots: SnapshotsPage,
  settings: SettingsPage,
}

export function App(): React.JSX.Element {
  const { t } = useTranslation()
  const route = useRoute()
  useApplyLanguage()
  const Page = PAGES[route]
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <div className="brand">{t('app.name')}</div>
        <ul>
          {ROUTES.map((name) => (
            <li key={name}>
              <a href={`#/${name}`} aria-current={route === name ? 'page' : undefined} data-testid={`nav-${name}`}>
                {t(`nav.${name}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <RecoveryNotices />
        <Page />
      </main>
    </div>
  )
}
