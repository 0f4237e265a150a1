import type { Db } from '../../store/database'

/** What the dispatch point did to a container and must undo: start it again, or thaw it. */
export type QuiesceKind = 'stopped' | 'paused'

export interface OwedStart {
  readonly workloadId: string
  readonly containerId: string
  readonly kind: QuiesceKind
  /** When the stop was asked for (ms): the engine may still be stopping it for the stop timeout after. */
  readonly stoppedAt: number
}

/**
 * Containers the dispatch point stopped on purpose (for a capture, a restore, a deploy's switch)
 * and owes a start. Written before the stop is asked for and cleared only once the app is seen
 * running again (or the container was replaced), so a crash anywhere in between is repaired.
 */
export class QuiesceJournal {
  constructor(private readonly db: Db) {}

  record(hostId: string, workloadId: string, containerId: string, at: number, kind: QuiesceKind = 'stopped'): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO quiesced_containers (container_id, workload_id, host_id, stopped_at, kind) VALUES (?, ?, ?, ?, ?)',
      )
      .run(containerId, workloadId, hostId, new Date(at).toISOString(), kind)
  }

  clear(workloadId: string): void {
    this.db.prepare('DELETE FROM quiesced_containers WHERE workload_id = ?').run(workloadId)
  }

  pending(hostId: string): OwedStart[] {
    return (
      this.db
        .prepare('SELECT workload_id, container_id, stopped_at, kind FROM quiesced_containers WHERE host_id = ?')
        .all(hostId) as { workload_id: string; container_id: string; stopped_at: string; kind: QuiesceKind }[]
    ).map((r) => ({
      workloadId: r.workload_id,
      containerId: r.container_id,
      stoppedAt: Date.parse(r.stopped_at),
      kind: r.kind,
    }))
  }
}
