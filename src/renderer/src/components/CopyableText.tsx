import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

interface CopyableTextProps {
  readonly value: string
  /** What the value is, already translated: names the Copy button for assistive technology. */
  readonly label: string
  readonly testId?: string
}

/** How long "Copied" shows after a copy. */
const COPIED_MS = 2_000

/**
 * A value shown verbatim in a monospace block, selected whole with one click, with a Copy button.
 * The clipboard API may be refused (no permission): then the text is selected and copied the old way.
 */
export function CopyableText({ value, label, testId }: CopyableTextProps): React.JSX.Element {
  const { t } = useTranslation()
  const ref = useRef<HTMLElement>(null)
  const [copied, setCopied] = useState(false)

  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS)
    return () => window.clearTimeout(timer)
  }, [copied])

  const selectAll = (): void => {
    const node = ref.current
    const selection = window.getSelection()
    if (node === null || selection === null) return
    const range = document.createRange()
    range.selectNodeContents(node)
    selection.removeAllRanges()
    selection.addRange(range)
  }

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
    } catch {
      selectAll()
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fallback when the clipboard API is refused
      setCopied(document.execCommand('copy'))
    }
  }

  return (
    <div className="copyable">
      <code ref={ref} className="copyable-value" onClick={selectAll} data-testid={testId}>
        {value}
      </code>
      <button
        type="button"
        className="small"
        onClick={() => void copy()}
        aria-label={t('common.copyLabel', { what: label })}
      >
        {copied ? t('common.copied') : t('common.copy')}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? t('common.copied') : ''}
      </span>
    </div>
  )
}
