import type { Migration } from '../migrate'

export const restores: Migration = {
  version: 5,
  name: 'restore journal and audit',
  up(db) {
    db.exec(`
      -- Written before every step of a restore (a copy lives on the host beside the targets).
      CREATE TABLE restores (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL,
        host_id TEXT NOT NULL,
        snapshot_id TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'restored', 'reverted', 'failed')),
        plan TEXT NOT NULL,
        volume_states TEXT NOT NULL,
        pre_restore_snapshot_id TEXT,
        recovered INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX restores_by_workload ON restores (workload_id, started_at);
    `)
  },
}
