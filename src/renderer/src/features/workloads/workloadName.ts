/** Workload names are slugs: lower-case letters, digits, `_`, `.` and `-`, starting with a letter or digit. */
const MAX_LENGTH = 63

/** A valid workload name made from a container or compose project name, or '' when nothing is left. */
export function suggestWorkloadName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_LENGTH)
    .replace(/[-_.]+$/, '')
}
