import { EXTRACT_RULES, type ExtractRule } from '../../../shared/archiveRules'
import { AppError } from '../../errors'
import { isDeceptiveCodePoint } from './rules'

/** Why an archive was refused (declared once, in the shared contract, for main and renderer). */
export const REJECT_RULES = EXTRACT_RULES

export type RejectRule = ExtractRule

const PRINTABLE_LENGTH = 200

/**
 * An archive broke a rule. `entry` names the offending entry as the archive spelled it, made safe
 * to show: at most ~200 characters, with control, invisible and look-alike characters written as
 * `\u{…}` escapes. `null` when the fault is in the stream rather than in one entry.
 */
export class ArchiveRejected extends AppError {
  readonly rule: RejectRule
  readonly entry: string | null

  constructor(rule: RejectRule, entry: string | null, options?: { cause?: unknown }) {
    const shown = entry === null ? null : printableEntry(entry)
    super('BAD_INPUT', `archive rejected (${rule})${shown === null ? '' : `: ${shown}`}`, {
      details: { rule, entry: shown },
      cause: options?.cause,
    })
    this.name = 'ArchiveRejected'
    this.rule = rule
    this.entry = shown
  }
}

const COMBINING_MARK = /^\p{M}$/u

/** A name as it can be shown to a person or written to a log without deceiving either. */
export function printableEntry(raw: string): string {
  // In a name that is not NFC, show the combining marks so the difference is visible.
  const revealMarks = raw.normalize('NFC') !== raw
  let out = ''
  for (const char of raw) {
    const codePoint = char.codePointAt(0) ?? 0
    const hidden = isDeceptiveCodePoint(codePoint) || (revealMarks && COMBINING_MARK.test(char))
    const piece = hidden ? `\\u{${codePoint.toString(16).toUpperCase().padStart(4, '0')}}` : char
    if (out.length + piece.length > PRINTABLE_LENGTH) return `${out}…`
    out += piece
  }
  return out
}
