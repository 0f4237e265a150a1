import { AppError } from '../errors'

const CONNECTION_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EACCES',
  'EHOSTUNREACH',
])

/** Whether an engine call failed because the engine could not be reached at all. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as NodeJS.ErrnoException).code
  if (code !== undefined && CONNECTION_CODES.has(code)) return true
  return /timeout|socket hang up/i.test(error.message)
}

/** Engine failures become typed errors; the raw engine text travels only as the cause, to the log. */
export function engineError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (isConnectionError(error)) return new AppError('UNAVAILABLE', 'engine unreachable', { cause: error })
  const status = (error as { statusCode?: number }).statusCode
  if (status === 404) return new AppError('NOT_FOUND', 'engine object not found', { cause: error })
  if (status === 409) return new AppError('CONFLICT', 'engine conflict', { cause: error })
  return new AppError('INTERNAL', 'engine call failed', { cause: error })
}

/** The HTTP status the engine answered with, when the failure was an answer at all. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}
