import { join } from 'node:path'
import { archiveName } from './manifest'

/** Where a snapshot's files live on the desktop. */
export class SnapshotFiles {
  constructor(readonly root: string) {}

  dir(id: string): string {
    return join(this.root, id)
  }

  archive(id: string, volume: number): string {
    return join(this.root, id, archiveName(volume))
  }
}
