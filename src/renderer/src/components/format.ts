/** Locale-aware formatting of dates, durations and sizes, all through Intl with the UI language. */

/** `when` is an ISO string or ms since the epoch. */
export function formatDateTime(language: string, when: string | number): string {
  const date = new Date(when)
  if (Number.isNaN(date.getTime())) return String(when)
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(date)
}

/** "14:05" or "2:05 PM": a time of day, for chart axes. */
export function formatClockTime(language: string, ms: number): string {
  return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }).format(ms)
}

/** "Jun 3" or "3 июн.": a day without the year, for chart axes. */
export function formatShortDate(language: string, ms: number): string {
  return new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' }).format(ms)
}

const RELATIVE_STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
]

/** "3 minutes ago", "yesterday": the largest unit that keeps the number small. */
export function formatRelative(language: string, when: string | number, now: number = Date.now()): string {
  const time = new Date(when).getTime()
  if (Number.isNaN(time)) return String(when)
  let value = (time - now) / 1000
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit)
    value /= size
  }
  return format.format(Math.round(value), 'year')
}

/** A duration as "850 ms", "12.4 s" or "3 min 5 s". */
export function formatDuration(language: string, ms: number): string {
  const unit = (name: string, digits = 0) =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits })
  if (ms < 1000) return unit('millisecond').format(ms)
  if (ms < 60_000) return unit('second', 1).format(ms / 1000)
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const parts =
    hours > 0
      ? [unit('hour').format(hours), unit('minute').format(minutes)]
      : [unit('minute').format(minutes), unit('second').format(seconds)]
  return parts.join(' ')
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const

export function formatBytes(language: string, bytes: number): string {
  let value = bytes
  let index = 0
  while (value >= 1024 && index < BYTE_UNITS.length - 1) {
    value /= 1024
    index += 1
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: BYTE_UNITS[index] ?? 'byte',
    unitDisplay: 'short',
    maximumFractionDigits: index === 0 ? 0 : 1,
  }).format(value)
}

export function formatNumber(language: string, value: number, maximumFractionDigits = 3): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits }).format(value)
}

export function formatPercent(language: string, fraction: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits }).format(fraction)
}

/** "15 s" / "15 с": a whole number of seconds, kept in seconds (unlike formatDuration). */
export function formatSeconds(language: string, seconds: number): string {
  const text = new Intl.NumberFormat(language, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds)
  // Some locales put a plain space before the unit; the figure must not wrap away from it.
  return text.replace(/ /g, '\u00a0')
}
