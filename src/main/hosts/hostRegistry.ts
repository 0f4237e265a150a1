import type { HostKind } from '../../shared/types/hosts'
import type { Db } from '../store/database'

export interface HostRecord {
  readonly id: string
  readonly name: string
  readonly kind: HostKind
}

export class HostRegistry {
  constructor(private readonly db: Db) {}

  list(): HostRecord[] {
    return this.db.prepare("SELECT id, name, kind FROM hosts ORDER BY kind = 'ssh', name").all() as HostRecord[]
  }

  find(id: string): HostRecord | undefined {
    return this.db.prepare('SELECT id, name, kind FROM hosts WHERE id = ?').get(id) as HostRecord | undefined
  }
}
