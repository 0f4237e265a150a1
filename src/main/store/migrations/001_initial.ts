import type { Migration } from '../migrate'

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE hosts (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('local', 'ssh')),
        created_at TEXT NOT NULL
      ) STRICT;

      INSERT INTO hosts (id, name, kind, created_at) VALUES ('local', 'Local engine', 'local', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    `)
  },
}
