import type { Migration } from '../migrate'

/** Commands run inside a workload's services around each capture, and what each run said. */
export const captureHooks: Migration = {
  version: 12,
  name: 'capture hooks',
  up(db) {
    db.exec(`
      CREATE TABLE workload_capture_hooks (
        workload_id TEXT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
        service TEXT NOT NULL,
        command TEXT NOT NULL,
        timeout_seconds INTEGER NOT NULL,
        PRIMARY KEY (workload_id, position)
      ) STRICT;

      -- Absent: a failing pre-capture hook aborts the capture (the default).
      CREATE TABLE workload_hook_settings (
        workload_id TEXT NOT NULL PRIMARY KEY REFERENCES workloads(id) ON DELETE CASCADE,
        continue_on_pre_failure INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE snapshot_hook_runs (
        snapshot_id TEXT NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        phase TEXT NOT NULL,
        service TEXT NOT NULL,
        command TEXT NOT NULL,
        outcome TEXT NOT NULL,
        exit_code INTEGER,
        output TEXT NOT NULL,
        truncated INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (snapshot_id, position)
      ) STRICT;
    `)
  },
}
