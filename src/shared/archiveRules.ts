/** Why an untrusted archive was refused: stable ids the renderer translates and tests assert. */
export const EXTRACT_RULES = [
  'absolute_path',
  'parent_segment',
  'backslash',
  'unicode',
  'control_char',
  'empty_name',
  'path_too_long',
  'too_deep',
  'name_too_long',
  'entry_type',
  'through_symlink',
  'hardlink_target',
  'duplicate_entry',
  'too_many_entries',
  'too_large',
  'corrupt_archive',
  'truncated_archive',
] as const

/** The extractor's rules plus what an exported snapshot file can fail on as a whole. */
export const ARCHIVE_RULES = [...EXTRACT_RULES, 'hash_mismatch', 'bad_manifest'] as const

export type ExtractRule = (typeof EXTRACT_RULES)[number]
export type ArchiveRule = (typeof ARCHIVE_RULES)[number]
