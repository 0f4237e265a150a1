import type { Migration } from '../migrate'

interface OldService {
  id: string
  workload_id: string
  position: number
  name: string
  image: string
  command: string | null
  env: string
  ports: string
  restart: string
}

interface OldVolume {
  service_id: string
  kind: 'bind' | 'volume'
  source: string
  target: string
  read_only: number
  exclude_from_snapshots: number
}

/**
 * A service's whole spec as one JSON document (the fields the app reads fill in their defaults
 * when read); workload-level networks and volumes; the service a failed deploy names.
 */
export const serviceSpecs: Migration = {
  version: 9,
  name: 'full service specs, workload networks and volumes, the service a deploy failure names',
  up(db) {
    const services = db.prepare('SELECT * FROM services').all() as OldService[]
    const volumes = db.prepare('SELECT * FROM volumes ORDER BY position').all() as OldVolume[]
    db.exec(`
      CREATE TABLE services_new (
        id TEXT NOT NULL PRIMARY KEY,
        workload_id TEXT NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        -- The service spec as JSON; secret env values are null here (they live in the secret store).
        spec TEXT NOT NULL,
        UNIQUE (workload_id, name)
      ) STRICT;
    `)
    const insert = db.prepare('INSERT INTO services_new (id, workload_id, position, name, spec) VALUES (?, ?, ?, ?, ?)')
    for (const s of services) {
      const spec = {
        name: s.name,
        image: s.image,
        command: s.command === null ? null : (JSON.parse(s.command) as unknown),
        env: JSON.parse(s.env) as unknown,
        ports: JSON.parse(s.ports) as unknown,
        restart: s.restart,
        // Slipway mounted binds without making a missing folder: kept so.
        volumes: volumes
          .filter((v) => v.service_id === s.id)
          .map((v) => ({
            kind: v.kind,
            source: v.source,
            target: v.target,
            readOnly: v.read_only === 1,
            excludeFromSnapshots: v.exclude_from_snapshots === 1,
          })),
      }
      insert.run(s.id, s.workload_id, s.position, s.name, JSON.stringify(spec))
    }
    db.exec(`
      DROP TABLE volumes;
      DROP TABLE services;
      ALTER TABLE services_new RENAME TO services;

      ALTER TABLE workloads ADD COLUMN networks TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE workloads ADD COLUMN volumes TEXT NOT NULL DEFAULT '[]';

      ALTER TABLE deployments ADD COLUMN error_service TEXT;
    `)
  },
}
