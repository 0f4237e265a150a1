import type { DeployErrorCode } from '../../../shared/types/workloads'

/** A deploy phase's failure: its history code, and the service it is about when it is about one. */
export class DeployFailure extends Error {
  readonly service: string | null

  constructor(
    readonly code: DeployErrorCode,
    options?: { cause?: unknown; service?: string },
  ) {
    super(`deploy failed: ${code}${options?.service === undefined ? '' : ` (${options.service})`}`, options)
    this.name = 'DeployFailure'
    this.service = options?.service ?? null
  }
}
