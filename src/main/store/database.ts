import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for the running ABI (Electron's, in the app). */
  readonly nativeBinding?: string
}

/**
 * The database (and its -wal and -shm files, which SQLite creates with the database file's mode)
 * readable by its owner only: made 0600 before SQLite first opens it, and put right if an older
 * version left it wider.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600)
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') ownerOnly(path)
  const db = new Database(path, options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}
