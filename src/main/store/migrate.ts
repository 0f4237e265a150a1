import type { Db } from './database'

export interface Migration {
  /** Consecutive from 1; never renumbered once released. */
  readonly version: number
  readonly name: string
  readonly up: (db: Db) => void
}

export interface MigrationResult {
  readonly from: number
  readonly to: number
  readonly applied: readonly string[]
}

export function currentVersion(db: Db): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }
  return row.v ?? 0
}

/**
 * Applies every pending migration, each in its own transaction together with its schema_version
 * row, so a failing migration leaves the database exactly at the previous version.
 */
export function migrate(db: Db, migrations: readonly Migration[]): MigrationResult {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`)
  })
  const from = currentVersion(db)
  if (from > migrations.length) {
    throw new Error(`database schema version ${from} is newer than this build knows (${migrations.length})`)
  }
  const applied: string[] = []
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      m.up(db)
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      )
    })()
    applied.push(m.name)
  }
  return { from, to: currentVersion(db), applied }
}
