import type { FieldErrors } from './formModel'
import { inputIdFor } from './formModel'

/** What every input of the workload form needs to tie itself to its label, hint and error. */
export interface FieldKit {
  /** The input's DOM id. */
  id(field: string): string
  error(field: string): string | undefined
  /** id, aria-invalid and aria-describedby for the input at `field`. */
  input(
    field: string,
    hintId?: string,
  ): {
    id: string
    'aria-invalid': boolean
    'aria-describedby': string | undefined
  }
  /** The error under a field (or a row, or a section), if it has one. */
  errorText(field: string): React.JSX.Element | null
}

export function fieldKit(formId: string, errors: FieldErrors): FieldKit {
  const id = (field: string): string => inputIdFor(formId, field)
  const error = (field: string): string | undefined => errors[field]
  return {
    id,
    error,
    input(field, hintId) {
      const described = [hintId, error(field) === undefined ? undefined : `${id(field)}-error`].filter(
        (part) => part !== undefined,
      )
      return {
        id: id(field),
        'aria-invalid': error(field) !== undefined,
        'aria-describedby': described.length === 0 ? undefined : described.join(' '),
      }
    },
    errorText(field) {
      const message = error(field)
      return message === undefined ? null : (
        <span className="field-error" id={`${id(field)}-error`} data-testid={`field-error-${field}`}>
          {message}
        </span>
      )
    },
  }
}
