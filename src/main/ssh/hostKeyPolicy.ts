import { readFileSync } from 'node:fs'
import type { TrustedHostKeys } from '../hosts/trustedHostKeys'
import { AppError } from '../errors'
import { sha256Fingerprint } from './fingerprint'
import { checkHostKey, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './knownHosts'

export interface PresentedKey {
  readonly type: string
  readonly blob: Buffer
  readonly fingerprint: string
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return ''
  const length = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + length).toString('latin1')
}

export function presentedKey(blob: Buffer): PresentedKey {
  return { type: keyTypeOf(blob), blob, fingerprint: sha256Fingerprint(blob) }
}

const ALL_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

function algorithmsFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType]
}

/**
 * Whether to trust a server's host key: ~/.ssh/known_hosts (read only, hashed entries included)
 * together with the keys the user confirmed in Slipway. A key never seen is HOST_KEY_UNKNOWN
 * carrying its fingerprint; a host known with another key is HOST_KEY_CHANGED, never accepted.
 */
export class HostKeyPolicy {
  constructor(
    private readonly trusted: TrustedHostKeys,
    private readonly knownHostsFiles: readonly string[],
  ) {}

  private knownHosts(): KnownHostEntry[] {
    return this.knownHostsFiles.flatMap((path) => {
      try {
        return parseKnownHosts(readFileSync(path, 'utf8'))
      } catch {
        return []
      }
    })
  }

  /** Throws HOST_KEY_UNKNOWN / HOST_KEY_CHANGED unless the key is trusted. */
  verify(host: string, port: number, key: PresentedKey): void {
    const ours = this.trusted.forDestination(host, port)
    const verdict = checkHostKey(this.knownHosts(), host, port, key)
    if (verdict.kind === 'revoked') {
      throw new AppError('HOST_KEY_CHANGED', 'host key is revoked in known_hosts', {
        details: { fingerprint: key.fingerprint, expectedFingerprint: null, revoked: true },
      })
    }
    if (verdict.kind === 'trusted' || ours.some((k) => k.type === key.type && k.blob.equals(key.blob))) return

    const expected =
      verdict.kind === 'changed' ? verdict.expected.map((e) => e.fingerprint) : ours.map((k) => k.fingerprint)
    if (expected.length > 0) {
      throw new AppError('HOST_KEY_CHANGED', 'host key differs from the trusted one', {
        details: { fingerprint: key.fingerprint, expectedFingerprint: expected[0] ?? null },
      })
    }
    throw new AppError('HOST_KEY_UNKNOWN', 'host key not trusted yet', { details: { fingerprint: key.fingerprint } })
  }

  /** Host-key algorithms with the already-known key types first, so the server shows a key we can check. */
  preferredAlgorithms(host: string, port: number): string[] {
    const known = [
      ...knownKeyTypes(this.knownHosts(), host, port),
      ...this.trusted.forDestination(host, port).map((k) => k.type),
    ]
    const first = known.flatMap(algorithmsFor)
    return [...new Set([...first, ...ALL_HOST_KEY_ALGORITHMS])].filter((a) => ALL_HOST_KEY_ALGORITHMS.includes(a))
  }
}
