import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blobKeyType, parsePublicKey, sha256Fingerprint } from '../../src/main/ssh/fingerprint'
import { tempDir } from '../helpers/tempDir'

function generateKey(dir: string, name: string, args: string[], comment: string): string {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', file])
  return `${file}.pub`
}

/** `256 SHA256:… comment (ED25519)` → the fingerprint field. */
function keygenFingerprint(pubFile: string): string {
  const output = execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' })
  return output.split(' ')[1] ?? ''
}

function sshString(text: string): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(Buffer.byteLength(text))
  return Buffer.concat([length, Buffer.from(text)])
}

describe('sha256Fingerprint', () => {
  it.each([
    ['ed25519', ['-t', 'ed25519']],
    ['rsa', ['-t', 'rsa', '-b', '2048']],
    ['ecdsa', ['-t', 'ecdsa', '-b', '256']],
  ])('matches ssh-keygen -lf for an %s key', (name, args) => {
    const pubFile = generateKey(tempDir(), `id_${name}`, args, 'me@laptop')
    const key = parsePublicKey(readFileSync(pubFile, 'utf8'))

    expect(sha256Fingerprint(key.blob)).toBe(keygenFingerprint(pubFile))
    expect(sha256Fingerprint(key.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })
})

describe('parsePublicKey', () => {
  it('reads the type, blob and comment of a generated key', () => {
    const pubFile = generateKey(tempDir(), 'id_ed25519', ['-t', 'ed25519'], 'deploy key  for web')
    const line = readFileSync(pubFile, 'utf8')
    const key = parsePublicKey(line)

    expect(key.type).toBe('ssh-ed25519')
    expect(key.comment).toBe('deploy key  for web')
    expect(key.blob.toString('base64')).toBe(line.split(' ')[1])
    expect(blobKeyType(key.blob)).toBe('ssh-ed25519')
  })

  it('accepts a line without a comment, with CRLF and surrounding spaces', () => {
    const blob = Buffer.concat([sshString('ssh-ed25519'), sshString('k'.repeat(32))])
    const key = parsePublicKey(`  ssh-ed25519 ${blob.toString('base64')}\r\n`)

    expect(key).toEqual({ type: 'ssh-ed25519', blob, comment: '' })
  })

  it('refuses a blob whose embedded type is not the named type', () => {
    const pubFile = generateKey(tempDir(), 'id_ed25519', ['-t', 'ed25519'], 'x')
    const [, base64] = readFileSync(pubFile, 'utf8').split(' ')

    expect(() => parsePublicKey(`ssh-rsa ${base64 ?? ''} x`)).toThrow(/ssh-ed25519 key, not ssh-rsa/)
  })

  it.each([
    ['an empty line', ''],
    ['a type alone', 'ssh-ed25519'],
    ['data that is not base64', 'ssh-ed25519 AAAA$$$$'],
    ['badly padded base64', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5A'],
    ['a blob too short for its type', `ssh-ed25519 ${Buffer.from([0, 0, 0, 11, 115, 115, 104]).toString('base64')}`],
    ['a blob with a zero-length type', `ssh-ed25519 ${Buffer.from([0, 0, 0, 0]).toString('base64')}`],
  ])('refuses %s', (_label, line) => {
    expect(() => parsePublicKey(line)).toThrow(Error)
  })
})
