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

/** An absolute POSIX path, as used on a Docker host. */
export const absolutePathSchema = z
  .string()
  .min(1)
  .max(LIMITS.path)
  .refine((p) => p.startsWith('/') && !p.includes('\0'), 'absolute path')

/** A local file path; `~/` is expanded in main. */
export const localPathSchema = z
  .string()
  .min(1)
  .max(LIMITS.path)
  .refine((p) => !p.includes('\0'), 'path')

/** A DNS name, IPv4 or IPv6 address, or ~/.ssh/config alias: no spaces, no shell metacharacters. */
export const hostnameSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'hostname')

export const userSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'user')

export const portSchema = z.number().int().min(1).max(65535)

export const fingerprintSchema = z
  .string()
  .max(128)
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'fingerprint')

export const hostRef = z.strictObject({ hostId: idSchema })

export const languageSchema = z.enum(['en', 'ru'])
export type Language = z.infer<typeof languageSchema>

/** Names that end up in container names: lower-case, DNS-like. */
export const slugSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'slug')

/** An image reference (`repo[:tag][@digest]`) or an image id (`sha256:…`). */
export const imageRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'image')

export const volumeNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'volume')
