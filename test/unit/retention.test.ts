import { describe, expect, it } from 'vitest'
import { lastDueAt, snapshotsToPrune, type RetainedCandidate } from '../../src/main/snapshots/retention'

const at = (iso: string, id = iso, pinned = false): RetainedCandidate => ({
  id,
  createdAt: new Date(iso).toISOString(),
  pinned,
})

describe('retention', () => {
  it('keeps the newest N, the newest per day and per week, and every pin', () => {
    const snaps = [
      at('2026-11-23T10:00'), // Mon (newest)
      at('2026-11-23T09:00'),
      at('2026-11-22T10:00'), // Sun
      at('2026-11-22T09:00'),
      at('2026-11-20T10:00'), // Fri
      at('2026-11-14T10:00'), // ISO week 46 (Sunday the 22nd closes week 47)
      at('2026-11-07T10:00'), // two weeks back
      at('2026-10-01T10:00', 'old-pinned', true),
    ]
    const pruned = snapshotsToPrune(snaps, {
      scheduleEnabled: false,
      scheduleTime: '03:00',
      keepLast: 1,
      keepDaily: 2,
      keepWeekly: 3,
    })
    expect(pruned.sort()).toEqual(
      [
        at('2026-11-23T09:00').id,
        at('2026-11-22T09:00').id,
        at('2026-11-20T10:00').id,
        at('2026-11-07T10:00').id,
      ].sort(),
    )
    expect(pruned).not.toContain('old-pinned')
  })

  it('never prunes everything', () => {
    const snaps = [at('2026-11-23T10:00'), at('2026-11-22T10:00')]
    expect(
      snapshotsToPrune(snaps, {
        scheduleEnabled: false,
        scheduleTime: '03:00',
        keepLast: 0,
        keepDaily: 0,
        keepWeekly: 0,
      }),
    ).toEqual([at('2026-11-22T10:00').id])
  })

  it('knows when a daily schedule was last due', () => {
    expect(lastDueAt(new Date(2026, 10, 23, 3, 30), '03:00')).toEqual(new Date(2026, 10, 23, 3, 0))
    expect(lastDueAt(new Date(2026, 10, 23, 2, 59), '03:00')).toEqual(new Date(2026, 10, 22, 3, 0))
  })
})
