import type { Migration } from '../migrate'

export const workloads: Migration = {
  version: 3,
  name: 'workloads, services, volumes and deploy history',
  up(db) {
    db.exec(`
      CREATE TABLE workloads (
        id TEXT NOT NULL PRIMARY KEY,
        host_id TEXT NOT NULL REFERENCES hosts(id),
        name TEXT NOT NULL,
        snapshot_before_deploy INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (host_id, name)
      ) STRICT;

      CREATE TABLE services (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        image TEXT NOT NULL,
        command TEXT,
        env TEXT NOT NULL,
        ports TEXT NOT NULL,
        restart TEXT NOT NULL CHECK (restart IN ('no', 'always', 'unless-stopped', 'on-failure')),
        UNIQUE (workload_id, name)
      ) STRICT;

      CREATE TABLE volumes (
        service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('bind', 'volume')),
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        read_only INTEGER NOT NULL,
        exclude_from_snapshots INTEGER NOT NULL,
        PRIMARY KEY (service_id, target)
      ) STRICT;

      CREATE TABLE deployments (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('deploy', 'redeploy', 'rollback', 'adopt', 'restore')),
        status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failure')),
        error_code TEXT,
        pre_deploy_snapshot TEXT NOT NULL DEFAULT 'skipped' CHECK (pre_deploy_snapshot IN ('skipped', 'taken', 'failed')),
        snapshot_id TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        UNIQUE (workload_id, seq)
      ) STRICT;

      CREATE TABLE deployment_pins (
        deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        service TEXT NOT NULL,
        image_ref TEXT NOT NULL,
        image_id TEXT NOT NULL,
        PRIMARY KEY (deployment_id, service)
      ) STRICT;
    `)
  },
}
