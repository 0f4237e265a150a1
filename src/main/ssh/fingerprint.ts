import { createHash } from 'node:crypto'

export interface PublicKey {
  readonly type: string
  readonly blob: Buffer
  readonly comment: string
}

/** The fingerprint exactly as `ssh-keygen -l` prints it, so users can compare it with what their server shows. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64')
  return `SHA256:${digest.replace(/=+$/, '')}`
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Node's decoder skips characters it does not know; key material that is not clean base64 must be refused. */
export function decodeBase64(text: string): Buffer | null {
  return text !== '' && BASE64.test(text) ? Buffer.from(text, 'base64') : null
}

/** The type name a key blob carries in its first SSH string (uint32 length, then the bytes). */
export function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null
  const length = blob.readUInt32BE(0)
  if (length === 0 || 4 + length > blob.length) return null
  return blob.toString('latin1', 4, 4 + length)
}

/** Reads `type base64 [comment]`, the line an `id_*.pub` file or `ssh-keygen -y` holds. */
export function parsePublicKey(line: string): PublicKey {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line)
  const type = match?.[1]
  const encoded = match?.[2]
  if (type === undefined || encoded === undefined) throw new Error('not an OpenSSH public key line')
  const blob = decodeBase64(encoded)
  if (blob === null) throw new Error('public key data is not base64')
  const embedded = blobKeyType(blob)
  if (embedded === null) throw new Error('public key data is truncated')
  if (embedded !== type) throw new Error(`public key data is a ${embedded} key, not ${type}`)
  return { type, blob, comment: match?.[3] ?? '' }
}
