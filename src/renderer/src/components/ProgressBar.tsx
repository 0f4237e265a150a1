import { useId, type HTMLAttributes } from 'react'

interface ProgressBarProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** What is in progress, already translated. */
  readonly label: string
  /** Between 0 and 1; null when the amount of work is not known (an indeterminate bar). */
  readonly fraction: number | null
  /** Right-aligned text, e.g. "42 %" or "3.1 MB of 12 MB", already formatted. */
  readonly detail?: string | undefined
}

/** A labelled progress bar; the native <progress> gives assistive technology the value. */
export function ProgressBar({ label, fraction, detail, className, ...rest }: ProgressBarProps): React.JSX.Element {
  const labelId = useId()
  const value = fraction === null ? undefined : Math.min(1, Math.max(0, fraction))
  return (
    <div className={`progress${className === undefined ? '' : ` ${className}`}`} {...rest}>
      <div className="progress-text">
        <span id={labelId}>{label}</span>
        {detail !== undefined && <span className="muted">{detail}</span>}
      </div>
      <progress aria-labelledby={labelId} max={1} value={value} />
    </div>
  )
}
