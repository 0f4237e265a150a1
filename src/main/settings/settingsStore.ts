import type { z } from 'zod'
import type { Db } from '../store/database'

/** Typed key/value settings kept in SQLite as JSON. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    if (row === undefined) return undefined
    const parsed = schema.safeParse(JSON.parse(row.value))
    return parsed.success ? parsed.data : undefined
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value))
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  }
}
