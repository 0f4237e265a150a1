import type { Db } from '../store/database'

export interface TrustedKey {
  readonly type: string
  readonly blob: Buffer
  readonly fingerprint: string
}

/** Host keys the user confirmed in Slipway, per SSH destination (host and port). */
export class TrustedHostKeys {
  constructor(private readonly db: Db) {}

  forDestination(host: string, port: number): TrustedKey[] {
    const rows = this.db
      .prepare('SELECT key_type, key_base64, fingerprint FROM trusted_host_keys WHERE host = ? AND port = ?')
      .all(host.toLowerCase(), port) as { key_type: string; key_base64: string; fingerprint: string }[]
    return rows.map((r) => ({
      type: r.key_type,
      blob: Buffer.from(r.key_base64, 'base64'),
      fingerprint: r.fingerprint,
    }))
  }

  /** Adds a key; never replaces a different key of the same type (that is a changed key). */
  trust(host: string, port: number, key: TrustedKey): void {
    this.db
      .prepare(
        `INSERT INTO trusted_host_keys (host, port, key_type, key_base64, fingerprint, trusted_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(host.toLowerCase(), port, key.type, key.blob.toString('base64'), key.fingerprint, new Date().toISOString())
  }

  forget(host: string, port: number): void {
    this.db.prepare('DELETE FROM trusted_host_keys WHERE host = ? AND port = ?').run(host.toLowerCase(), port)
  }
}
