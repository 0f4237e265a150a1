import { z } from 'zod'
import type { CaptureMode, SnapshotConsistency, SnapshotVolume } from '../../shared/types/snapshots'

export const MANIFEST_FORMAT = 'slipway-snapshot/1'

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)
const boundedString = z.string().max(4096)

/** The manifest is untrusted when it comes from a file: every field is checked and bounded. */
export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  createdAt: z.iso.datetime(),
  label: z.string().max(200).nullable(),
  mode: z.enum(['stop', 'pause', 'live']),
  /** Absent in manifests written before pause mode. */
  consistency: z
    .strictObject({ pausedMs: z.number().int().min(0).nullable(), mayBeInconsistent: z.boolean() })
    .optional(),
  host: z.strictObject({ id: z.string().max(64), name: boundedString }),
  workload: z.strictObject({ id: z.string().max(64), name: boundedString }),
  volumes: z
    .array(
      z.strictObject({
        index: z.number().int().min(0).max(1000),
        mounts: z
          .array(z.strictObject({ service: boundedString, target: boundedString }))
          .min(1)
          .max(100),
        kind: z.enum(['bind', 'volume']),
        source: boundedString,
        files: z.number().int().min(0),
        bytes: z.number().int().min(0),
        /** The local `.tar.gz` (0 and null when the snapshot went to stores only). */
        archiveBytes: z.number().int().min(0),
        sha256: hex64.nullable(),
        /** The plain tar a restic store holds (absent in manifests written before stores). */
        tarBytes: z.number().int().min(0).optional(),
        tarSha256: hex64.optional(),
      }),
    )
    .max(1000),
})

export type Manifest = z.infer<typeof manifestSchema>

export function archiveName(index: number): string {
  return `vol-${index}.tar.gz`
}

/** The file name a volume's plain tar has inside a restic snapshot. */
export function tarName(index: number): string {
  return `vol-${index}.tar`
}

export const MANIFEST_NAME = 'manifest.json'

export function manifestOf(input: {
  id: string
  createdAt: string
  label: string | null
  mode: CaptureMode
  consistency: SnapshotConsistency
  host: { id: string; name: string }
  workload: { id: string; name: string }
  volumes: SnapshotVolume[]
}): Manifest {
  return { format: MANIFEST_FORMAT, ...input, volumes: input.volumes.map((v) => ({ ...v, mounts: [...v.mounts] })) }
}
