import { useTranslation } from 'react-i18next'

export function WorkloadsPage(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section>
      <h1>{t('workloads.title')}</h1>
      <p className="muted">{t('workloads.empty')}</p>
    </section>
  )
}
