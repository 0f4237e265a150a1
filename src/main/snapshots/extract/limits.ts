import { AppError } from '../../errors'

/** Caps that hold for one archive. Every byte and name count is in UTF-8 bytes. */
export interface ExtractLimits {
  /** Sum of the regular files' sizes (as declared in the headers and as actually streamed). */
  readonly maxTotalBytes: number
  readonly maxEntries: number
  /** Bytes of a normalized entry path (no `./` prefix), and of a symlink target. */
  readonly maxPathLength: number
  /** Segments of a normalized entry path: `a/b/c` is 3 deep. */
  readonly maxDepth: number
  /** Bytes of one path segment. */
  readonly maxNameLength: number
}

const MIB = 1024 * 1024

/** No archive goes past these, whatever a manifest claims. */
export const HARD_LIMITS: ExtractLimits = Object.freeze({
  maxTotalBytes: 1024 * 1024 * MIB,
  maxEntries: 5_000_000,
  maxPathLength: 4096,
  maxDepth: 256,
  maxNameLength: 255,
})

const MARGIN_RATIO = 0.01
const MARGIN_BYTES = 64 * MIB

/**
 * The limits for an archive whose manifest announced `expectedBytes` of file content: that plus a
 * margin (1 % + 64 MiB), never above HARD_LIMITS. `null` (nothing announced) gives HARD_LIMITS.
 */
export function limitsFor(expectedBytes: number | null): ExtractLimits {
  if (expectedBytes === null) return HARD_LIMITS
  if (!Number.isFinite(expectedBytes) || expectedBytes < 0) {
    throw new AppError('BAD_INPUT', `expected archive size is not a byte count: ${String(expectedBytes)}`)
  }
  const withMargin = Math.ceil(expectedBytes * (1 + MARGIN_RATIO)) + MARGIN_BYTES
  return Object.freeze({ ...HARD_LIMITS, maxTotalBytes: Math.min(HARD_LIMITS.maxTotalBytes, withMargin) })
}

/** The caller's limits, each clamped to HARD_LIMITS; anything that is not a positive count is refused. */
export function effectiveLimits(limits: ExtractLimits): ExtractLimits {
  const clamp = (key: keyof ExtractLimits): number => {
    const value = limits[key]
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new AppError('BAD_INPUT', `extract limit ${key} is not a count: ${String(value)}`)
    }
    return Math.min(value, HARD_LIMITS[key])
  }
  return Object.freeze({
    maxTotalBytes: clamp('maxTotalBytes'),
    maxEntries: clamp('maxEntries'),
    maxPathLength: clamp('maxPathLength'),
    maxDepth: clamp('maxDepth'),
    maxNameLength: clamp('maxNameLength'),
  })
}
