import { z } from 'zod'
import type { SnapshotDestinations, StoreDestination, StoreLocation } from '../../shared/types/stores'
import { AppError } from '../errors'
import type { Db } from '../store/database'

export interface StoreRecord {
  readonly id: string
  readonly name: string
  readonly location: StoreLocation
  readonly createdAt: string
}

export interface CopyRecord {
  readonly snapshotId: string
  readonly storeId: string
  /** -1: the manifest. */
  readonly volume: number
  readonly resticId: string
}

export const MANIFEST_VOLUME = -1

const locationSchema: z.ZodType<StoreLocation> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('folder'), path: z.string() }),
  z.strictObject({ kind: z.literal('sftp'), hostId: z.string(), path: z.string() }),
  z.strictObject({ kind: z.literal('rest'), url: z.string(), username: z.string().nullable() }),
  z.strictObject({
    kind: z.literal('s3'),
    endpoint: z.string(),
    bucket: z.string(),
    prefix: z.string(),
    region: z.string().nullable(),
    accessKeyId: z.string(),
  }),
])

interface StoreRow {
  id: string
  name: string
  location: string
  created_at: string
}

const toRecord = (row: StoreRow): StoreRecord => ({
  id: row.id,
  name: row.name,
  location: locationSchema.parse(JSON.parse(row.location)),
  createdAt: row.created_at,
})

/** The stores table, the copies each snapshot has in them, and each workload's destinations. */
export class StoreRegistry {
  constructor(private readonly db: Db) {}

  list(): StoreRecord[] {
    return (this.db.prepare('SELECT * FROM snapshot_stores ORDER BY name').all() as StoreRow[]).map(toRecord)
  }

  find(id: string): StoreRecord | undefined {
    const row = this.db.prepare('SELECT * FROM snapshot_stores WHERE id = ?').get(id) as StoreRow | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  require(id: string): StoreRecord {
    const found = this.find(id)
    if (found === undefined) throw new AppError('NOT_FOUND', 'unknown snapshot store')
    return found
  }

  insert(record: StoreRecord): void {
    try {
      this.db
        .prepare('INSERT INTO snapshot_stores (id, name, location, created_at) VALUES (?, ?, ?, ?)')
        .run(record.id, record.name, JSON.stringify(record.location), record.createdAt)
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new AppError('CONFLICT', 'a store with that name exists', {
          details: { field: 'name', reason: 'exists' },
        })
      }
      throw error
    }
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM snapshot_stores WHERE id = ?').run(id)
  }

  /** A store's location is identified by what reaches it: two stores never point at one repository. */
  findByLocation(location: StoreLocation): StoreRecord | undefined {
    return this.list().find((s) => JSON.stringify(s.location) === JSON.stringify(location))
  }

  addCopies(copies: readonly CopyRecord[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO snapshot_copies (snapshot_id, store_id, volume, restic_id) VALUES (?, ?, ?, ?)',
    )
    this.db.transaction(() => {
      for (const c of copies) insert.run(c.snapshotId, c.storeId, c.volume, c.resticId)
    })()
  }

  copies(snapshotId: string, storeId?: string): CopyRecord[] {
    const rows = this.db
      .prepare(
        `SELECT snapshot_id, store_id, volume, restic_id FROM snapshot_copies
         WHERE snapshot_id = ? AND (@store IS NULL OR store_id = @store) ORDER BY store_id, volume`,
      )
      .all(snapshotId, { store: storeId ?? null }) as {
      snapshot_id: string
      store_id: string
      volume: number
      restic_id: string
    }[]
    return rows.map((r) => ({
      snapshotId: r.snapshot_id,
      storeId: r.store_id,
      volume: r.volume,
      resticId: r.restic_id,
    }))
  }

  /** The snapshots of a workload that have a copy in the store. */
  snapshotsIn(storeId: string, workloadId?: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT c.snapshot_id AS id FROM snapshot_copies c JOIN snapshots s ON s.id = c.snapshot_id
           WHERE c.store_id = @store AND (@workload IS NULL OR s.workload_id = @workload)`,
        )
        .all({ store: storeId, workload: workloadId ?? null }) as { id: string }[]
    ).map((r) => r.id)
  }

  dropCopies(snapshotId: string, storeId: string): void {
    this.db.prepare('DELETE FROM snapshot_copies WHERE snapshot_id = ? AND store_id = ?').run(snapshotId, storeId)
  }

  countCopies(storeId: string): number {
    return (
      this.db
        .prepare('SELECT COUNT(DISTINCT snapshot_id) AS n FROM snapshot_copies WHERE store_id = ?')
        .get(storeId) as { n: number }
    ).n
  }

  destinations(workloadId: string): SnapshotDestinations {
    const local = this.db
      .prepare('SELECT local FROM workload_local_destination WHERE workload_id = ?')
      .get(workloadId) as { local: number } | undefined
    const stores = (
      this.db
        .prepare('SELECT * FROM workload_destinations WHERE workload_id = ? ORDER BY store_id')
        .all(workloadId) as { store_id: string; keep_last: number; keep_daily: number; keep_weekly: number }[]
    ).map((r): StoreDestination => ({
      storeId: r.store_id,
      keepLast: r.keep_last,
      keepDaily: r.keep_daily,
      keepWeekly: r.keep_weekly,
    }))
    return { local: local === undefined ? true : local.local === 1, stores }
  }

  setDestinations(workloadId: string, destinations: SnapshotDestinations): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO workload_local_destination (workload_id, local) VALUES (?, ?)
           ON CONFLICT (workload_id) DO UPDATE SET local = excluded.local`,
        )
        .run(workloadId, destinations.local ? 1 : 0)
      this.db.prepare('DELETE FROM workload_destinations WHERE workload_id = ?').run(workloadId)
      const insert = this.db.prepare(
        'INSERT INTO workload_destinations (workload_id, store_id, keep_last, keep_daily, keep_weekly) VALUES (?, ?, ?, ?, ?)',
      )
      for (const d of destinations.stores) insert.run(workloadId, d.storeId, d.keepLast, d.keepDaily, d.keepWeekly)
    })()
  }

  /** Workloads that send snapshots to the store. */
  workloadsUsing(storeId: string): string[] {
    return (
      this.db.prepare('SELECT workload_id FROM workload_destinations WHERE store_id = ?').all(storeId) as {
        workload_id: string
      }[]
    ).map((r) => r.workload_id)
  }
}
