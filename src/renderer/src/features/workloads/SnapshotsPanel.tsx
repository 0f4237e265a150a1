import { useTranslation } from 'react-i18next'

/**
 * PLACEHOLDER: the workload's volume snapshots. A later change fills this in (list, take, browse,
 * restore); for now it only holds the section's place on the workload page.
 */
export function SnapshotsPanel({ workloadId }: { workloadId: string }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section
      className="section"
      aria-labelledby="workload-snapshots"
      data-testid="snapshots-panel"
      data-workload-id={workloadId}
    >
      <h2 id="workload-snapshots" className="section-title">
        {t('workloads.snapshots.title')}
      </h2>
      <p className="muted">{t('workloads.snapshots.empty')}</p>
    </section>
  )
}
