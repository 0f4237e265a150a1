import type { Db } from '../../store/database'

/**
 * Containers the dispatch point stopped on purpose (for a consistent capture) and owes a restart.
 * Written before the stop and cleared after the start, so a crash in between is repaired later.
 */
export class QuiesceJournal {
  constructor(private readonly db: Db) {}

  record(hostId: string, workloadId: string, containerId: string): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO quiesced_containers (container_id, workload_id, host_id, stopped_at) VALUES (?, ?, ?, ?)',
      )
      .run(containerId, workloadId, hostId, new Date().toISOString())
  }

  clear(workloadId: string): void {
    this.db.prepare('DELETE FROM quiesced_containers WHERE workload_id = ?').run(workloadId)
  }

  pending(hostId: string): { workloadId: string; containerId: string }[] {
    return (
      this.db.prepare('SELECT workload_id, container_id FROM quiesced_containers WHERE host_id = ?').all(hostId) as {
        workload_id: string
        container_id: string
      }[]
    ).map((r) => ({ workloadId: r.workload_id, containerId: r.container_id }))
  }
}
