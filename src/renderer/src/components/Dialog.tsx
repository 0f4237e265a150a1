import { useEffect, useId, useRef, useState, type ReactNode } from 'react'

interface DialogProps {
  readonly title: ReactNode
  readonly onClose: () => void
  readonly children: ReactNode
  readonly testId?: string
  /** While true, Escape does not close the dialog (an operation is running). */
  readonly busy?: boolean
  readonly tone?: 'normal' | 'danger'
  readonly wide?: boolean
  /** For big forms: nearly the whole window. */
  readonly large?: boolean
}

const FIRST_FIELD = 'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled)'
const FIRST_BUTTON = 'button:not(:disabled)'

/**
 * A modal dialog: open while mounted. The page behind it is inert (native modal <dialog>), focus
 * goes to the element marked `data-autofocus`, else the first field, else the first button, and
 * returns to whatever had it before once the dialog goes away. Escape closes it unless busy.
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  busy = false,
  tone = 'normal',
  wide = false,
  large = false,
}: DialogProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  /** Set while we close it ourselves (unmounting), so that close is not reported back. */
  const closing = useRef(false)
  const titleId = useId()
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null))

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    closing.current = false
    if (!dialog.open) dialog.showModal()
    const target =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(FIRST_FIELD) ??
      dialog.querySelector<HTMLElement>(FIRST_BUTTON)
    target?.focus()
    return () => {
      closing.current = true
      if (dialog.open) dialog.close()
      if (opener?.isConnected === true) opener.focus()
    }
  }, [opener])

  return (
    <dialog
      ref={ref}
      className={`dialog${tone === 'danger' ? ' dialog-danger' : ''}${wide ? ' dialog-wide' : ''}${large ? ' dialog-large' : ''}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault()
        if (!busy) onClose()
      }}
      onClose={() => {
        // The browser may close a modal on its own (a repeated Escape): keep React's view in step.
        const dialog = ref.current
        if (closing.current || dialog === null || dialog.open) return
        if (busy) dialog.showModal()
        else onClose()
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  )
}
