import type { Migration } from '../migrate'

export const dispatchCommit: Migration = {
  version: 7,
  name: 'live deploy per workload; restores that end with the app not running',
  up(db) {
    db.exec(`
      -- The deploy whose containers are the app: set at a deploy's point of no return, so the
      -- recovery after a crash knows which containers to keep and which were being replaced.
      ALTER TABLE workloads ADD COLUMN live_deploy_id TEXT;
      UPDATE workloads SET live_deploy_id = (
        SELECT d.id FROM deployments d
        WHERE d.workload_id = workloads.id AND d.status = 'success'
        ORDER BY d.seq DESC LIMIT 1
      );

      CREATE TABLE restores_new (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL,
        host_id TEXT NOT NULL,
        snapshot_id TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'restored', 'restored_not_running', 'reverted', 'failed')),
        plan TEXT NOT NULL,
        volume_states TEXT NOT NULL,
        pre_restore_snapshot_id TEXT,
        recovered INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      INSERT INTO restores_new SELECT * FROM restores;
      DROP TABLE restores;
      ALTER TABLE restores_new RENAME TO restores;
      CREATE INDEX restores_by_workload ON restores (workload_id, started_at);
    `)
  },
}
