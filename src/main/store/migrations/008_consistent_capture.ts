import type { Migration } from '../migrate'

export const consistentCapture: Migration = {
  version: 8,
  name: 'pause-mode captures, scheduled capture modes, expiring pre-restore pins, restores whose app is unhealthy',
  up(db) {
    db.exec(`
      CREATE TABLE snapshots_new (
        id TEXT NOT NULL PRIMARY KEY,
        host_id TEXT NOT NULL,
        host_name TEXT NOT NULL,
        workload_id TEXT REFERENCES workloads(id) ON DELETE SET NULL,
        workload_name TEXT NOT NULL,
        label TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('manual', 'schedule', 'pre-deploy', 'pre-restore', 'import')),
        mode TEXT NOT NULL CHECK (mode IN ('stop', 'pause', 'live')),
        pinned INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        files INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        archive_bytes INTEGER NOT NULL,
        manifest TEXT NOT NULL,
        -- Pinned by Slipway (a pre-restore snapshot), not by the user: such a pin expires.
        auto_pinned INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO snapshots_new SELECT *, CASE WHEN origin = 'pre-restore' AND pinned = 1 THEN 1 ELSE 0 END FROM snapshots;
      DROP TABLE snapshots;
      ALTER TABLE snapshots_new RENAME TO snapshots;
      CREATE INDEX snapshots_by_workload ON snapshots (workload_id, created_at);

      -- A container the dispatch point owes a start (it stopped it) or an unpause (it paused it).
      ALTER TABLE quiesced_containers ADD COLUMN kind TEXT NOT NULL DEFAULT 'stopped' CHECK (kind IN ('stopped', 'paused'));

      ALTER TABLE snapshot_policies ADD COLUMN schedule_mode TEXT NOT NULL DEFAULT 'stop'
        CHECK (schedule_mode IN ('stop', 'pause', 'live'));

      CREATE TABLE restores_new (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL,
        host_id TEXT NOT NULL,
        snapshot_id TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN
          ('running', 'restored', 'restored_not_running', 'restored_unhealthy', 'reverted', 'failed')),
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
