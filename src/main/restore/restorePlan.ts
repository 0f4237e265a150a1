import { z } from 'zod'

/** One volume of a restore, resolved from the workload's CURRENT config (never from the manifest). */
export const targetSchema = z.object({
  index: z.number().int().min(0),
  service: z.string(),
  target: z.string(),
  kind: z.enum(['bind', 'volume']),
  /** The live folder on the host, and its parent, where the sibling folders are made. */
  live: z.string(),
  parent: z.string(),
  base: z.string(),
  staging: z.string(),
  old: z.string(),
  bytes: z.number().int().min(0),
  root: z
    .object({ mode: z.number().int(), uid: z.number().int(), gid: z.number().int(), mtime: z.number().int() })
    .nullable(),
})

export const planSchema = z.object({
  restoreId: z.string(),
  workloadId: z.string(),
  snapshotId: z.string(),
  helperImage: z.string(),
  targets: z.array(targetSchema),
  /** Image id per service running when the app was stopped: the redeploy pins exactly these. */
  pins: z.array(z.object({ service: z.string(), imageRef: z.string(), imageId: z.string() })),
})

export type RestoreTarget = z.infer<typeof targetSchema>
export type RestorePlan = z.infer<typeof planSchema>

/** The steps in order; the journal holds the step about to be (or being) performed. */
export const STEPS = [
  'verify',
  'preflight',
  'stage',
  /** A restore from a database dump: the dump loaded into a fresh database in the staged folder. */
  'load',
  'stop',
  'swap',
  'swapped',
  'deploy',
  'preserve',
  'cleanup',
  'verify_app',
  'done',
] as const
export type Step = (typeof STEPS)[number]

export function stepIndex(step: string): number {
  const name = step.split(':')[0] ?? step
  return STEPS.indexOf(name as Step)
}

/** Slipway's own names for the folders beside a live one: only these are ever cleaned up. */
export function siblingNames(base: string, restoreId: string): { staging: string; old: string } {
  return { staging: `.${base}.slipway-new-${restoreId}`, old: `.${base}.slipway-old-${restoreId}` }
}

/** Where a dump waits, beside the staged folder, while it is loaded into it. */
export function dumpFolderName(base: string, restoreId: string): string {
  return `.${base}.slipway-dump-${restoreId}`
}

export const SIBLING_PATTERN = /^\.(.+)\.slipway-(new|old|dump)-([0-9a-f-]{36})$/
export const HOST_JOURNAL_PATTERN = /^\.slipway-restore-([0-9a-f-]{36})\.json$/

export function hostJournalName(restoreId: string): string {
  return `.slipway-restore-${restoreId}.json`
}
