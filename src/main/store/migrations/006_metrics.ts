import type { Migration } from '../migrate'

const rollupTable = (name: string): string => `
  -- Per workload: its containers summed at each tick, then min/avg/max over the ticks of the bucket.
  CREATE TABLE ${name} (
    workload_id TEXT NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
    bucket INTEGER NOT NULL,
    ticks INTEGER NOT NULL,
    cpu_ticks INTEGER NOT NULL,
    cpu_min REAL,
    cpu_avg REAL,
    cpu_max REAL,
    mem_min REAL NOT NULL,
    mem_avg REAL NOT NULL,
    mem_max REAL NOT NULL,
    PRIMARY KEY (workload_id, bucket)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX ${name}_by_bucket ON ${name} (bucket);
`

export const metrics: Migration = {
  version: 6,
  name: 'metrics samples and rollups',
  up(db) {
    db.exec(`
      -- One row per container per tick; every container of a tick shares its 'at' (ms).
      CREATE TABLE metric_samples (
        workload_id TEXT NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        container_id TEXT NOT NULL,
        cpu REAL,
        mem INTEGER NOT NULL,
        PRIMARY KEY (workload_id, at, container_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX metric_samples_by_at ON metric_samples (at);
      ${rollupTable('metric_rollup_1m')}
      ${rollupTable('metric_rollup_15m')}
      -- How far each rollup is complete (ms, exclusive).
      CREATE TABLE metric_watermarks (
        name TEXT NOT NULL PRIMARY KEY,
        upto INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
