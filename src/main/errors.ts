import { GENERIC_MESSAGES, type ErrorCode, type ErrorDetails, type ErrorPayload } from '../shared/errors'

/**
 * An error a service raises on purpose. `details` crosses to the renderer and must hold only
 * values chosen for it; `cause` (engine text, stacks, paths) stays in the main-process log.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, logMessage?: string, options?: { details?: ErrorDetails; cause?: unknown }) {
    super(logMessage ?? GENERIC_MESSAGES[code], options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options?.details
  }
}

export function toPayload(error: AppError): ErrorPayload {
  const payload: ErrorPayload = { code: error.code, message: GENERIC_MESSAGES[error.code] }
  return error.details === undefined ? payload : { ...payload, details: error.details }
}
