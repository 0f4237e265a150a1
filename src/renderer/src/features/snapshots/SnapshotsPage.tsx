import { useTranslation } from 'react-i18next'

export function SnapshotsPage(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section>
      <h1>{t('snapshots.title')}</h1>
      <p className="muted">{t('snapshots.empty')}</p>
    </section>
  )
}
