import { z } from 'zod'

/** Every string that crosses IPC has an upper bound: oversize input is rejected, never truncated. */
export const LIMITS = {
  id: 64,
  name: 128,
  text: 4096,
  path: 4096,
} as const

export const idSchema = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .regex(/^[A-Za-z0-9_-]+$/, 'id')

export const nameSchema = z.string().trim().min(1).max(LIMITS.name)

export const emptyInput = z.strictObject({})

export const hostRef = z.strictObject({ hostId: idSchema })

export const languageSchema = z.enum(['en', 'ru'])
export type Language = z.infer<typeof languageSchema>
