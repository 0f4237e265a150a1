import type { RetentionPolicy } from '../../shared/types/snapshots'

export interface RetainedCandidate {
  readonly id: string
  readonly createdAt: string
  readonly pinned: boolean
}

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`
}

/** ISO week key (year of the week's Thursday, week number), in local time. */
function weekKey(date: Date): string {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate())
  const day = (d.getDay() + 6) % 7
  d.setDate(d.getDate() - day + 3)
  const firstThursday = new Date(d.getFullYear(), 0, 4)
  const week =
    1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7)
  return `${d.getFullYear()}-W${week}`
}

/**
 * Which snapshots a policy removes: everything not kept by "the newest N", "the newest of each of
 * the last D days", "the newest of each of the last W weeks", or a pin. The newest snapshot is
 * always kept, so pruning can never remove every snapshot.
 */
export function snapshotsToPrune(
  snapshots: readonly RetainedCandidate[],
  policy: Pick<RetentionPolicy, 'keepLast' | 'keepDaily' | 'keepWeekly'>,
): string[] {
  const newestFirst = [...snapshots].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id),
  )
  const keep = new Set<string>()
  newestFirst.slice(0, Math.max(1, policy.keepLast)).forEach((s) => keep.add(s.id))
  const bucket = (limit: number, key: (d: Date) => string): void => {
    const seen = new Set<string>()
    for (const s of newestFirst) {
      if (seen.size >= limit) break
      const k = key(new Date(s.createdAt))
      if (seen.has(k)) continue
      seen.add(k)
      keep.add(s.id)
    }
  }
  bucket(policy.keepDaily, dayKey)
  bucket(policy.keepWeekly, weekKey)
  return newestFirst.filter((s) => !s.pinned && !keep.has(s.id)).map((s) => s.id)
}

/** The most recent moment at or before `now` when a daily schedule at `time` (HH:MM, local) was due. */
export function lastDueAt(now: Date, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number)
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours ?? 0, minutes ?? 0, 0, 0)
  if (due.getTime() > now.getTime()) due.setDate(due.getDate() - 1)
  return due
}
