import { hashFor } from '../../app/route'

export const snapshotListHash = (): string => hashFor('snapshots')

/** The snapshot browser, optionally at a volume and a directory inside it. */
export function snapshotHash(snapshotId: string, at?: { volume: number; dir: string }): string {
  const base = hashFor('snapshots', snapshotId)
  if (at === undefined || (at.volume === 0 && at.dir === '')) return base
  const params = new URLSearchParams({ volume: String(at.volume) })
  if (at.dir !== '') params.set('dir', at.dir)
  return `${base}?${params.toString()}`
}
