import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../src/main/store/database'
import { currentVersion, migrate, type Migration } from '../../src/main/store/migrate'
import { migrations } from '../../src/main/store/migrations'
import { tempDir } from '../helpers/tempDir'

const tables = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  )

describe('the store', () => {
  it('migrates an empty database to the latest version, in WAL mode with foreign keys on', () => {
    const db = openDatabase(join(tempDir(), 'slipway.db'))
    const result = migrate(db, migrations)
    expect(result).toMatchObject({ from: 0, to: migrations.length })
    expect(result.applied).toEqual(migrations.map((m) => m.name))
    expect(tables(db)).toEqual(expect.arrayContaining(['schema_version', 'settings', 'hosts']))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.prepare('SELECT id, kind FROM hosts').all()).toEqual([{ id: 'local', kind: 'local' }])
    db.close()
  })

  it('is a no-op when run again, also after reopening the file', () => {
    const path = join(tempDir(), 'slipway.db')
    const first = openDatabase(path)
    migrate(first, migrations)
    first.prepare("INSERT INTO settings (key, value) VALUES ('language', '\"ru\"')").run()
    const before = first.prepare('SELECT * FROM schema_version').all()
    first.close()

    const again = openDatabase(path)
    const result = migrate(again, migrations)
    expect(result).toEqual({ from: migrations.length, to: migrations.length, applied: [] })
    expect(again.prepare('SELECT * FROM schema_version').all()).toEqual(before)
    expect(again.prepare('SELECT value FROM settings').get()).toEqual({ value: '"ru"' })
    expect(again.prepare('SELECT COUNT(*) AS n FROM hosts').get()).toEqual({ n: 1 })
    again.close()
  })

  it('rolls a failing migration back completely and stays at the previous version', () => {
    const db = openDatabase(join(tempDir(), 'slipway.db'))
    const ok: Migration = { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') }
    const broken: Migration = {
      version: 2,
      name: 'two',
      up: (d) => {
        d.exec('CREATE TABLE b (x INTEGER) STRICT')
        d.exec('INSERT INTO a (x) VALUES (1)')
        d.exec('THIS IS NOT SQL')
      },
    }
    expect(() => migrate(db, [ok, broken])).toThrow()
    expect(currentVersion(db)).toBe(1)
    expect(tables(db)).not.toContain('b')
    expect(db.prepare('SELECT COUNT(*) AS n FROM a').get()).toEqual({ n: 0 })

    const fixed: Migration = { ...broken, up: (d) => d.exec('CREATE TABLE b (x INTEGER) STRICT') }
    expect(migrate(db, [ok, fixed])).toEqual({ from: 1, to: 2, applied: ['two'] })
    db.close()
  })

  it('refuses a database written by a newer build and misnumbered migrations', () => {
    const db = openDatabase(join(tempDir(), 'slipway.db'))
    migrate(db, migrations)
    expect(() => migrate(db, migrations.slice(0, 0))).toThrow(/newer/)
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: () => undefined }])).toThrow(/expected 1/)
    db.close()
  })
})
