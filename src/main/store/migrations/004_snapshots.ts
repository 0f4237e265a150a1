import type { Migration } from '../migrate'

export const snapshots: Migration = {
  version: 4,
  name: 'snapshots, their file index, retention policies',
  up(db) {
    db.exec(`
      -- A row exists only for a complete snapshot whose files are durable on disk.
      CREATE TABLE snapshots (
        id TEXT NOT NULL PRIMARY KEY,
        host_id TEXT NOT NULL,
        host_name TEXT NOT NULL,
        workload_id TEXT REFERENCES workloads(id) ON DELETE SET NULL,
        workload_name TEXT NOT NULL,
        label TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('manual', 'schedule', 'pre-deploy', 'pre-restore', 'import')),
        mode TEXT NOT NULL CHECK (mode IN ('stop', 'live')),
        pinned INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        files INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        archive_bytes INTEGER NOT NULL,
        manifest TEXT NOT NULL
      ) STRICT;
      CREATE INDEX snapshots_by_workload ON snapshots (workload_id, created_at);

      -- Written while a capture streams; rows without a snapshot row are swept at start-up.
      CREATE TABLE snapshot_files (
        snapshot_id TEXT NOT NULL,
        volume INTEGER NOT NULL,
        parent TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        mode INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        gid INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        link TEXT,
        PRIMARY KEY (snapshot_id, volume, parent, name)
      ) STRICT, WITHOUT ROWID;

      -- Containers stopped for a capture, until they run again: a crash in between is undone at start-up.
      CREATE TABLE quiesced_containers (
        container_id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL,
        host_id TEXT NOT NULL,
        stopped_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE snapshot_policies (
        workload_id TEXT NOT NULL PRIMARY KEY REFERENCES workloads(id) ON DELETE CASCADE,
        schedule_enabled INTEGER NOT NULL,
        schedule_time TEXT NOT NULL,
        keep_last INTEGER NOT NULL,
        keep_daily INTEGER NOT NULL,
        keep_weekly INTEGER NOT NULL,
        last_scheduled_at TEXT
      ) STRICT;
    `)
  },
}
