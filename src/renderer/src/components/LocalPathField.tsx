import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { slipway } from '../api/client'

interface LocalPathFieldProps {
  /** Which native picker to offer. */
  readonly kind: 'directory' | 'file'
  readonly value: string
  readonly onChange: (path: string) => void
  /** The field's label, already translated. */
  readonly label: string
  readonly hint?: string | undefined
  readonly error?: string | undefined
  readonly disabled?: boolean
  readonly testId?: string
}

/**
 * A path on this computer. The native picker opens at once when there is one (Electron) and fills
 * the field; without one (the browser harness answers null) the path is typed. Either way the
 * field shows what will be used, and the caller confirms.
 */
export function LocalPathField({
  kind,
  value,
  onChange,
  label,
  hint,
  error,
  disabled = false,
  testId,
}: LocalPathFieldProps): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const [picking, setPicking] = useState(false)
  /** Whether a native picker answered once: only then is "Choose…" worth showing. */
  const [native, setNative] = useState(false)
  const asked = useRef(false)
  const latest = useRef(onChange)
  useEffect(() => {
    latest.current = onChange
  })

  const pick = async (): Promise<void> => {
    setPicking(true)
    try {
      const chosen = kind === 'directory' ? await slipway.dialogs.chooseDirectory() : await slipway.dialogs.chooseFile()
      if (chosen !== null) {
        setNative(true)
        latest.current(chosen)
      }
    } catch {
      // No picker: the path is typed.
    } finally {
      setPicking(false)
    }
  }

  useEffect(() => {
    // Once per field, also under StrictMode's double effects.
    if (asked.current) return
    asked.current = true
    void pick()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on mount
  }, [])

  const describedBy = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`]
    .filter((part) => part !== null)
    .join(' ')

  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <div className="path-field">
        <input
          id={id}
          type="text"
          className="mono"
          spellCheck={false}
          autoComplete="off"
          value={value}
          disabled={disabled}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          onChange={(event) => onChange(event.target.value)}
          data-testid={testId}
        />
        {native && (
          <button type="button" disabled={disabled || picking} onClick={() => void pick()}>
            {kind === 'directory' ? t('common.chooseFolder') : t('common.chooseFile')}
          </button>
        )}
      </div>
      {picking && (
        <span className="hint" role="status">
          {t('common.choosing')}
        </span>
      )}
      {hint !== undefined && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error !== undefined && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  )
}
