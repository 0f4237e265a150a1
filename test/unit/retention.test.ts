import { afterEach, describe, expect, it } from 'vitest'
import { lastDueAt, snapshotsToPrune, type RetainedCandidate } from '../../src/main/snapshots/retention'
import type { RetentionPolicy } from '../../src/shared/types/snapshots'

const zoneBefore = process.env['TZ']
afterEach(() => {
  if (zoneBefore === undefined) delete process.env['TZ']
  else process.env['TZ'] = zoneBefore
})

/** A snapshot taken at a local wall time (month 1-12) in the zone the case sets. */
type At = readonly [
  id: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  pinned?: boolean,
]

const policy = (keepLast: number, keepDaily: number, keepWeekly: number): RetentionPolicy => ({
  scheduleEnabled: false,
  scheduleMode: 'stop',
  scheduleTime: '03:00',
  keepLast,
  keepDaily,
  keepWeekly,
})

interface Case {
  readonly name: string
  readonly zone: string
  readonly snapshots: readonly At[]
  readonly policy: RetentionPolicy
  readonly kept: readonly string[]
}

const cases: readonly Case[] = [
  {
    name: 'a day ends at local midnight, not at UTC midnight',
    zone: 'Europe/Berlin',
    snapshots: [
      ['tue-0001', 2026, 11, 24, 0, 1],
      ['mon-2359', 2026, 11, 23, 23, 59],
      ['mon-0030', 2026, 11, 23, 0, 30], // still Sunday in UTC
    ],
    policy: policy(1, 2, 0),
    kept: ['tue-0001', 'mon-2359'],
  },
  {
    name: 'the newest of each day, for D days that have snapshots (gaps do not count)',
    zone: 'UTC',
    snapshots: [
      ['d10-b', 2026, 11, 10, 18, 0],
      ['d10-a', 2026, 11, 10, 6, 0],
      ['d7', 2026, 11, 7, 6, 0],
      ['d1', 2026, 11, 1, 6, 0],
    ],
    policy: policy(1, 3, 0),
    kept: ['d10-b', 'd7', 'd1'],
  },
  {
    name: 'a month boundary is a day boundary like any other',
    zone: 'America/New_York',
    snapshots: [
      ['feb-1', 2026, 2, 1, 0, 10],
      ['jan-31-late', 2026, 1, 31, 23, 50],
      ['jan-31-early', 2026, 1, 31, 1, 0],
    ],
    policy: policy(1, 2, 0),
    kept: ['feb-1', 'jan-31-late'],
  },
  {
    name: 'an ISO week runs Monday to Sunday',
    zone: 'Europe/Berlin',
    snapshots: [
      ['mon', 2026, 11, 23, 10, 0], // W48
      ['sun', 2026, 11, 22, 10, 0], // W47
      ['mon-before', 2026, 11, 16, 10, 0], // W47
      ['sun-before', 2026, 11, 15, 10, 0], // W46
    ],
    policy: policy(1, 0, 3),
    kept: ['mon', 'sun', 'sun-before'],
  },
  {
    name: 'ISO week 53: 31 December 2026 and 1 January 2027 are the same week',
    zone: 'UTC',
    snapshots: [
      ['jan-4-2027', 2027, 1, 4, 12, 0], // 2027-W01
      ['jan-1-2027', 2027, 1, 1, 12, 0], // 2026-W53
      ['dec-31-2026', 2026, 12, 31, 12, 0], // 2026-W53
      ['dec-27-2026', 2026, 12, 27, 12, 0], // 2026-W52
    ],
    policy: policy(1, 0, 3),
    kept: ['jan-4-2027', 'jan-1-2027', 'dec-27-2026'],
  },
  {
    name: 'the ISO year is the Thursday’s: 3 January 2021 is in 2020-W53, 4 January in 2021-W01',
    zone: 'Asia/Tokyo',
    snapshots: [
      ['jan-4-2021', 2021, 1, 4, 9, 0],
      ['jan-3-2021', 2021, 1, 3, 9, 0],
      ['dec-28-2020', 2020, 12, 28, 9, 0], // 2020-W53 as well
    ],
    policy: policy(1, 0, 2),
    kept: ['jan-4-2021', 'jan-3-2021'],
  },
  {
    name: 'spring forward: a 23-hour day is one day, and its Sunday still closes the week',
    zone: 'Europe/Berlin',
    snapshots: [
      ['mon-0030', 2026, 3, 30, 0, 30], // W14
      ['sun-2330', 2026, 3, 29, 23, 30], // W13, the day clocks went forward
      ['sun-0130', 2026, 3, 29, 1, 30], // before the jump, same day
      ['sat', 2026, 3, 28, 12, 0],
    ],
    policy: policy(1, 3, 2),
    kept: ['mon-0030', 'sun-2330', 'sat'],
  },
  {
    name: 'fall back: the hour that happens twice is still one day',
    zone: 'America/New_York',
    snapshots: [
      ['nov-2-0001', 2025, 11, 2, 23, 0],
      ['nov-2-0130', 2025, 11, 2, 1, 30], // the first 01:30 (EDT); the second one is an hour later
      ['nov-1', 2025, 11, 1, 22, 0],
    ],
    policy: policy(1, 2, 0),
    kept: ['nov-2-0001', 'nov-1'],
  },
  {
    name: 'pins are never pruned, whatever the policy',
    zone: 'UTC',
    snapshots: [
      ['new', 2026, 11, 23, 10, 0],
      ['old-pinned', 2025, 1, 1, 10, 0, true],
      ['old', 2025, 1, 2, 10, 0],
    ],
    policy: policy(1, 0, 0),
    kept: ['new', 'old-pinned'],
  },
  {
    name: 'the newest always stays, even with every count at zero',
    zone: 'UTC',
    snapshots: [
      ['b', 2026, 11, 23, 10, 0],
      ['a', 2026, 11, 22, 10, 0],
    ],
    policy: policy(0, 0, 0),
    kept: ['b'],
  },
  {
    name: 'the newest N are kept beside the daily and weekly ones',
    zone: 'UTC',
    snapshots: [
      ['s5', 2026, 11, 23, 12, 0],
      ['s4', 2026, 11, 23, 11, 0],
      ['s3', 2026, 11, 23, 10, 0],
      ['s2', 2026, 11, 20, 10, 0],
      ['s1', 2026, 11, 2, 10, 0],
    ],
    policy: policy(2, 2, 0),
    kept: ['s5', 's4', 's2'],
  },
]

describe('retention', () => {
  it.each(cases)('$name ($zone)', ({ zone, snapshots, policy: p, kept }) => {
    process.env['TZ'] = zone
    const candidates: RetainedCandidate[] = snapshots.map(([id, y, m, d, h, min, pinned]) => ({
      id,
      createdAt: new Date(y, m - 1, d, h, min).toISOString(),
      pinned: pinned === true,
    }))
    const pruned = snapshotsToPrune(candidates, p)
    expect(snapshots.map(([id]) => id).filter((id) => !pruned.includes(id))).toEqual(kept)
  })

  it('the same instants fall on other days in another zone', () => {
    process.env['TZ'] = 'UTC'
    // 23:30 and 00:30 UTC: two days in UTC, one day (the 24th) in Berlin.
    const candidates = [
      { id: 'late', createdAt: '2026-11-24T00:30:00.000Z', pinned: false },
      { id: 'early', createdAt: '2026-11-23T23:30:00.000Z', pinned: false },
    ]
    expect(snapshotsToPrune(candidates, policy(1, 2, 0))).toEqual([])
    process.env['TZ'] = 'Europe/Berlin'
    expect(snapshotsToPrune(candidates, policy(1, 2, 0))).toEqual(['early'])
  })

  it('knows when a daily schedule was last due, across a DST change', () => {
    process.env['TZ'] = 'Europe/Berlin'
    expect(lastDueAt(new Date(2026, 10, 23, 3, 30), '03:00')).toEqual(new Date(2026, 10, 23, 3, 0))
    expect(lastDueAt(new Date(2026, 10, 23, 2, 59), '03:00')).toEqual(new Date(2026, 10, 22, 3, 0))
    // The day clocks go forward: 03:00 comes 23 hours after the day before's, and is due that day.
    const due = lastDueAt(new Date(2026, 2, 29, 4, 0), '03:00')
    expect(due).toEqual(new Date(2026, 2, 29, 3, 0))
    expect(due.getTime() - lastDueAt(new Date(2026, 2, 29, 1, 30), '03:00').getTime()).toBe(23 * 3_600_000)
    // A time that does not exist that day (02:30) is still due that day, not skipped.
    expect(lastDueAt(new Date(2026, 2, 29, 12, 0), '02:30').getDate()).toBe(29)
  })
})
