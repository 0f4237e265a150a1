import type { FileType } from '../../../../shared/types/snapshots'

/** A small outline glyph per entry type, drawn in the text colour (no emoji font needed). */
export function EntryIcon({ type }: { type: FileType }): React.JSX.Element {
  return (
    <svg className={`entry-icon entry-icon-${type}`} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      {type === 'directory' ? (
        <path d="M1.5 3.5h4.2l1.5 1.5h7.3v8.5h-13z" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" />
      )}
      {type === 'symlink' && <path d="M5.5 11.5l4-4 M6.5 7.5h3v3" />}
      {type === 'hardlink' && <path d="M5.5 9.5h5 M5.5 11.5h5" />}
    </svg>
  )
}
