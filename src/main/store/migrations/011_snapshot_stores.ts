import type { Migration } from '../migrate'

/** restic repositories snapshots can live in, each snapshot's copies in them, and where each workload's go. */
export const snapshotStores: Migration = {
  version: 11,
  name: 'snapshot stores (restic repositories)',
  up(db) {
    db.exec(`
      -- Secrets (the repository password, a backend secret) live in the secret store, never here.
      CREATE TABLE snapshot_stores (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        location TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- One row per restic snapshot: a volume's tar, or (volume -1) the manifest.
      CREATE TABLE snapshot_copies (
        snapshot_id TEXT NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        store_id TEXT NOT NULL REFERENCES snapshot_stores(id) ON DELETE CASCADE,
        volume INTEGER NOT NULL,
        restic_id TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, store_id, volume)
      ) STRICT;
      CREATE INDEX snapshot_copies_by_store ON snapshot_copies (store_id);

      CREATE TABLE workload_destinations (
        workload_id TEXT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
        store_id TEXT NOT NULL REFERENCES snapshot_stores(id) ON DELETE CASCADE,
        keep_last INTEGER NOT NULL,
        keep_daily INTEGER NOT NULL,
        keep_weekly INTEGER NOT NULL,
        PRIMARY KEY (workload_id, store_id)
      ) STRICT;

      -- Whether "this computer" is one of the workload's destinations.
      CREATE TABLE workload_local_destination (
        workload_id TEXT NOT NULL PRIMARY KEY REFERENCES workloads(id) ON DELETE CASCADE,
        local INTEGER NOT NULL
      ) STRICT;

      -- local: the .tar.gz files are on this computer; indexed: snapshot_files holds its tree.
      ALTER TABLE snapshots ADD COLUMN local INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE snapshots ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
    `)
  },
}
