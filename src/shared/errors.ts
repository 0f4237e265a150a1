/** The fixed set of error codes that may cross the IPC boundary. */
export const ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'BUSY',
  'CONFLICT',
  'UNAVAILABLE',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'AUTH_FAILED',
  'CANCELLED',
  'DEPLOY_FAILED',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * Structured, renderer-safe facts about an error (a field name, a fingerprint, a rule id).
 * Only values chosen on purpose by the code that raised the error go here: never engine text.
 */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>

export interface ErrorPayload {
  readonly code: ErrorCode
  readonly message: string
  readonly details?: ErrorDetails
}

export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorPayload }

/** Generic, English, detail-free messages. The renderer shows translated text keyed by code. */
export const GENERIC_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  BAD_INPUT: 'The request was not valid.',
  NOT_FOUND: 'The item was not found.',
  BUSY: 'Another operation is in progress.',
  CONFLICT: 'The request conflicts with the current state.',
  UNAVAILABLE: 'The service is not reachable.',
  HOST_KEY_UNKNOWN: 'The host key is not trusted yet.',
  HOST_KEY_CHANGED: 'The host key has changed.',
  AUTH_FAILED: 'Authentication failed.',
  CANCELLED: 'The operation was cancelled.',
  DEPLOY_FAILED: 'The deploy failed; the previous version keeps running.',
  INTERNAL: 'Something went wrong.',
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** The error a renderer-side call rejects with. */
export class SlipwayError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(payload: ErrorPayload) {
    super(payload.message)
    this.name = 'SlipwayError'
    this.code = payload.code
    this.details = payload.details
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw new SlipwayError(envelope.error)
}
