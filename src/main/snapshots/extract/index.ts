/**
 * The one extractor for untrusted archives (restore, import, single-file extract). Every archive
 * is untrusted, even one Slipway wrote. The rules are in rules.ts and untrustedArchive.ts.
 */
export { ArchiveRejected, REJECT_RULES, type RejectRule } from './archiveRejected'
export type { AcceptedEntry, ExtractSummary } from './entrySink'
export { extractUntrusted, type ExtractOptions } from './extractUntrusted'
export { HARD_LIMITS, limitsFor, type ExtractLimits } from './limits'
export { validateUntrusted, type ValidateOptions } from './validateUntrusted'
export type { ArchiveCompression } from './untrustedArchive'
