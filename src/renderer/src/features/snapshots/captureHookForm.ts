import { captureHooksInput, type InputOf } from '../../../../shared/contract'
import type { CaptureHook, CaptureHooks, HookPhase } from '../../../../shared/types/snapshots'
import { wholeNumber } from '../../components/parse'

/** As many hooks as main keeps for one workload (the contract's bound). */
export const MAX_HOOKS = 16
/** Five minutes: enough for a maintenance command, short enough that a hung one is noticed. */
export const DEFAULT_TIMEOUT_S = 300

export type HookField = 'phase' | 'service' | 'command' | 'timeoutSeconds'

/** One hook as the form holds it: the timeout as typed. */
export interface HookRowText {
  /** Stable across moves, so React keeps each row's inputs with it. */
  readonly key: number
  readonly phase: HookPhase
  readonly service: string
  readonly command: string
  readonly timeout: string
}

export interface HooksText {
  readonly rows: readonly HookRowText[]
  readonly continueOnPreFailure: boolean
}

let lastRowKey = 0
const rowKey = (): number => (lastRowKey += 1)

export const rowOf = (hook: CaptureHook): HookRowText => ({
  key: rowKey(),
  phase: hook.phase,
  service: hook.service,
  command: hook.command,
  timeout: String(hook.timeoutSeconds),
})

export const emptyRow = (service: string): HookRowText => ({
  key: rowKey(),
  phase: 'pre',
  service,
  command: '',
  timeout: String(DEFAULT_TIMEOUT_S),
})

export const toText = (saved: CaptureHooks): HooksText => ({
  rows: saved.hooks.map(rowOf),
  continueOnPreFailure: saved.continueOnPreFailure,
})

/** What the form would save, without the row keys: to tell whether anything changed. */
export const comparable = (text: HooksText): string =>
  JSON.stringify([text.continueOnPreFailure, text.rows.map(({ key: _key, ...row }) => row)])

/** The row at `from` swapped with its neighbour at `to`; unchanged when `to` is out of range. */
export function moveRow(rows: readonly HookRowText[], from: number, to: number): readonly HookRowText[] {
  const moving = rows[from]
  const other = rows[to]
  if (moving === undefined || other === undefined) return rows
  const next = [...rows]
  next[from] = other
  next[to] = moving
  return next
}

/** A field's error key: `<row index>.<field>`, as main's `hooks.N.field` without the list name. */
export const fieldKey = (index: number, field: HookField): string => `${index}.${field}`

export type ParsedHooks =
  | { readonly ok: true; readonly input: InputOf<'snapshots.setHooks'> }
  | { readonly ok: false; readonly fields: ReadonlySet<string>; readonly tooMany: boolean }

/** Checks the form against the contract's own schema; errors by row and field. */
export function parseHooks(workloadId: string, text: HooksText): ParsedHooks {
  const parsed = captureHooksInput.safeParse({
    workloadId,
    hooks: text.rows.map((row) => ({
      phase: row.phase,
      service: row.service,
      command: row.command,
      timeoutSeconds: wholeNumber(row.timeout),
    })),
    continueOnPreFailure: text.continueOnPreFailure,
  })
  if (parsed.success) return { ok: true, input: parsed.data }
  const fields = new Set<string>()
  let tooMany = false
  for (const issue of parsed.error.issues) {
    const [list, index, field] = issue.path
    if (list !== 'hooks') continue
    if (index === undefined) tooMany = true
    else if (typeof index === 'number' && isHookField(field)) fields.add(fieldKey(index, field))
  }
  return { ok: false, fields, tooMany }
}

function isHookField(field: unknown): field is HookField {
  return field === 'phase' || field === 'service' || field === 'command' || field === 'timeoutSeconds'
}

/** `hooks.3.service` from main's BAD_INPUT details → the form's `3.service`. */
export function serverFieldKey(field: unknown): string | null {
  if (typeof field !== 'string') return null
  const match = /^hooks\.(\d+)\.(phase|service|command|timeoutSeconds)$/.exec(field)
  return match === null ? null : `${match[1]}.${match[2]}`
}
