import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TrustedHostKeys } from '../../src/main/hosts/trustedHostKeys'
import { HostKeyPolicy, presentedKey } from '../../src/main/ssh/hostKeyPolicy'
import { openDatabase } from '../../src/main/store/database'
import { migrate } from '../../src/main/store/migrate'
import { migrations } from '../../src/main/store/migrations'
import { tempDir } from '../helpers/tempDir'

function key(dir: string, name: string, type = 'ed25519') {
  const path = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path])
  const [kind, base64] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/)
  return { line: `${kind ?? ''} ${base64 ?? ''}`, key: presentedKey(Buffer.from(base64 ?? '', 'base64')) }
}

function setup() {
  const dir = tempDir()
  const db = openDatabase(join(dir, 'db.sqlite'))
  migrate(db, migrations)
  const trusted = new TrustedHostKeys(db)
  const knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, '')
  return { dir, trusted, knownHosts, policy: new HostKeyPolicy(trusted, [knownHosts, join(dir, 'missing')]) }
}

describe('host key policy', () => {
  it('refuses an unknown key with its fingerprint, and accepts it once trusted in Slipway', () => {
    const { dir, trusted, policy } = setup()
    const a = key(dir, 'a')
    expect(() => policy.verify('nas.lan', 22, a.key)).toThrow(
      expect.objectContaining({ code: 'HOST_KEY_UNKNOWN', details: { fingerprint: a.key.fingerprint } }),
    )
    trusted.trust('nas.lan', 22, a.key)
    expect(() => policy.verify('NAS.lan', 22, a.key)).not.toThrow()
    expect(() => policy.verify('nas.lan', 2222, a.key)).toThrow(expect.objectContaining({ code: 'HOST_KEY_UNKNOWN' }))
  })

  it('reports a different key for a trusted destination as HOST_KEY_CHANGED with both fingerprints', () => {
    const { dir, trusted, policy } = setup()
    const a = key(dir, 'a')
    const b = key(dir, 'b')
    trusted.trust('nas.lan', 22, a.key)
    expect(() => policy.verify('nas.lan', 22, b.key)).toThrow(
      expect.objectContaining({
        code: 'HOST_KEY_CHANGED',
        details: { fingerprint: b.key.fingerprint, expectedFingerprint: a.key.fingerprint },
      }),
    )
  })

  it('reads known_hosts (hashed too): known key passes, another key for the host is CHANGED, revoked is refused', () => {
    const { dir, knownHosts, policy } = setup()
    const a = key(dir, 'a')
    const b = key(dir, 'b', 'ecdsa')
    writeFileSync(knownHosts, `[nas.lan]:2222 ${a.line}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' })
    expect(readFileSync(knownHosts, 'utf8')).not.toContain('nas.lan')
    expect(() => policy.verify('nas.lan', 2222, a.key)).not.toThrow()
    expect(() => policy.verify('nas.lan', 2222, b.key)).toThrow(
      expect.objectContaining({
        code: 'HOST_KEY_CHANGED',
        details: { fingerprint: b.key.fingerprint, expectedFingerprint: a.key.fingerprint },
      }),
    )
    writeFileSync(knownHosts, `@revoked * ${a.line}\n[nas.lan]:2222 ${a.line}\n`)
    expect(() => policy.verify('nas.lan', 2222, a.key)).toThrow(expect.objectContaining({ code: 'HOST_KEY_CHANGED' }))
  })

  it('prefers the host-key algorithms of keys already known for the destination', () => {
    const { dir, knownHosts, policy } = setup()
    const b = key(dir, 'b', 'ecdsa')
    writeFileSync(knownHosts, `nas.lan ${b.line}\n`)
    expect(policy.preferredAlgorithms('nas.lan', 22)[0]).toBe('ecdsa-sha2-nistp256')
    expect(policy.preferredAlgorithms('other', 22)[0]).toBe('ssh-ed25519')
  })
})
