import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LogLine, WorkloadDetail } from '../../../../shared/types/workloads'
import { useTopic } from '../../api/useTopic'
import { formatNumber } from '../../components/format'

/** Lines asked for when the panel opens. */
const TAIL = 200
/** Lines kept in memory; older ones drop off the top. */
const MAX_LINES = 5000
/** Lines arrive in bursts: render them in batches rather than one by one. */
const FLUSH_MS = 50

interface ShownLine extends LogLine {
  readonly seq: number
}

/** The workload's container logs, live while the panel is open. */
export function LogsPanel({ workload }: { workload: WorkloadDetail }): React.JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(true)
  // Containers replaced or restarted: subscribe again, so the stream follows the new ones.
  const generation = workload.containers.map((container) => `${container.id}:${container.state}`).join(',')
  return (
    <section className="section" aria-labelledby="workload-logs" data-testid="logs-panel">
      <div className="section-header">
        <h2 id="workload-logs" className="section-title">
          {t('workloads.logs.title')}
        </h2>
        <button
          type="button"
          className="small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid="logs-toggle"
        >
          {open ? t('workloads.logs.hide') : t('workloads.logs.show')}
        </button>
      </div>
      {open && <LiveLogs key={generation} workloadId={workload.id} />}
    </section>
  )
}

function LiveLogs({ workloadId }: { workloadId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const [lines, setLines] = useState<readonly ShownLine[]>([])
  const [paused, setPaused] = useState(false)
  const pending = useRef<ShownLine[]>([])
  const seq = useRef(0)
  const timer = useRef<number | null>(null)
  const view = useRef<HTMLDivElement>(null)

  useTopic('workloads.logs', { workloadId, tail: TAIL }, (line) => {
    seq.current += 1
    pending.current.push({ ...line, seq: seq.current })
    timer.current ??= window.setTimeout(() => {
      timer.current = null
      const batch = pending.current
      pending.current = []
      setLines((before) => {
        const next = before.concat(batch)
        return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next
      })
    }, FLUSH_MS)
  })

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current)
    },
    [],
  )

  useLayoutEffect(() => {
    const element = view.current
    if (!paused && element !== null) element.scrollTop = element.scrollHeight
  }, [lines, paused])

  return (
    <div className="logs">
      <div className="logs-toolbar">
        <button
          type="button"
          className="small"
          aria-pressed={paused}
          onClick={() => setPaused(!paused)}
          data-testid="logs-pause"
        >
          {paused ? t('workloads.logs.resume') : t('workloads.logs.pause')}
        </button>
        <button type="button" className="small" onClick={() => setLines([])} data-testid="logs-clear">
          {t('workloads.logs.clear')}
        </button>
        <span className="muted small-text">
          {t('workloads.logs.keeps', { max: formatNumber(i18n.language, MAX_LINES) })}
        </span>
      </div>
      <div
        ref={view}
        className="log-view"
        role="log"
        aria-live="off"
        aria-label={t('workloads.logs.title')}
        tabIndex={0}
        data-testid="log-view"
      >
        {lines.length === 0 ? (
          <p className="muted">{t('workloads.logs.empty')}</p>
        ) : (
          lines.map((line) => (
            <div
              key={line.seq}
              className={`log-line log-${line.stream}`}
              data-testid="log-line"
              data-stream={line.stream}
            >
              <span className="log-service">{line.service}</span>
              <span className="log-text">{line.text}</span>
            </div>
          ))
        )}
      </div>
    </div>
  )
}
