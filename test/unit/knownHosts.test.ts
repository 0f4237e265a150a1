import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePublicKey, sha256Fingerprint, type PublicKey } from '../../src/main/ssh/fingerprint'
import {
  checkHostKey,
  formatKnownHostsLine,
  knownKeyTypes,
  matchesHost,
  parseKnownHosts,
  type HostKey,
} from '../../src/main/ssh/knownHosts'
import { tempDir } from '../helpers/tempDir'

function sshString(data: string | Buffer): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

/** A well-formed blob for logic tests; only its leading type string is ever inspected. */
function fakeKey(type: string, seed: string): HostKey {
  return { type, blob: Buffer.concat([sshString(type), sshString(seed)]) }
}

const keyText = (key: HostKey): string => `${key.type} ${key.blob.toString('base64')}`

const ed = fakeKey('ssh-ed25519', 'ed-1')
const edOther = fakeKey('ssh-ed25519', 'ed-2')
const rsa = fakeKey('ssh-rsa', 'rsa-1')
const ca = fakeKey('ssh-ed25519', 'ca')

function realKey(dir: string, name: string, type: string): PublicKey {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', file])
  return parsePublicKey(readFileSync(`${file}.pub`, 'utf8'))
}

/** The line numbers `ssh-keygen -F` reports for a name: OpenSSH's own matching, markers included. */
function keygenMatches(file: string, name: string): number[] {
  const result = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' })
  return [...result.stdout.matchAll(/^# Host .* found: line (\d+)/gm)].map((m) => Number(m[1]))
}

const matchingLines = (text: string, host: string, port: number): number[] =>
  parseKnownHosts(text)
    .filter((entry) => matchesHost(entry, host, port))
    .map((entry) => entry.line)

describe('parseKnownHosts', () => {
  it('reads markers, pattern lists and comments', () => {
    const entries = parseKnownHosts(
      [
        '# a comment',
        '',
        `web.lan,10.0.0.5 ${keyText(ed)} added by hand`,
        `@cert-authority *.lan ${keyText(ca)}`,
        `@revoked * ${keyText(rsa)}`,
      ].join('\n'),
    )

    expect(entries.map(({ line, marker, names, type, comment }) => ({ line, marker, names, type, comment }))).toEqual([
      {
        line: 3,
        marker: null,
        names: { kind: 'patterns', patterns: ['web.lan', '10.0.0.5'] },
        type: 'ssh-ed25519',
        comment: 'added by hand',
      },
      {
        line: 4,
        marker: 'cert-authority',
        names: { kind: 'patterns', patterns: ['*.lan'] },
        type: 'ssh-ed25519',
        comment: '',
      },
      { line: 5, marker: 'revoked', names: { kind: 'patterns', patterns: ['*'] }, type: 'ssh-rsa', comment: '' },
    ])
    expect(entries[0]?.blob.equals(ed.blob)).toBe(true)
  })

  it('skips malformed lines without throwing and keeps counting lines', () => {
    const text = [
      'only-a-host',
      `host-without-key ssh-ed25519`,
      `bad-base64 ssh-ed25519 AAAA$$$`,
      `type-mismatch ssh-rsa ${ed.blob.toString('base64')}`,
      `@unknown-marker host ${keyText(ed)}`,
      `@revoked`,
      `|1|c2FsdA==|aGFzaA== ${keyText(ed)}`,
      `|2|${Buffer.alloc(20).toString('base64')}|${Buffer.alloc(20).toString('base64')} ${keyText(ed)}`,
      'rsa1-style.host 2048 35 12345678901234567890',
      `, ${keyText(ed)}`,
      `good.host ${keyText(ed)}`,
    ].join('\n')

    const entries = parseKnownHosts(text)

    expect(entries.map((entry) => entry.line)).toEqual([11])
  })

  it('reads CRLF files the same as LF files', () => {
    const lines = ['# c', `a.host ${keyText(ed)} note`, `@revoked * ${keyText(rsa)}`, '']

    expect(parseKnownHosts(lines.join('\r\n'))).toEqual(parseKnownHosts(lines.join('\n')))
    expect(parseKnownHosts(lines.join('\r\n'))[0]?.comment).toBe('note')
  })
})

describe('checkHostKey', () => {
  it('trusts a key on record and calls a host with no line unknown', () => {
    const entries = parseKnownHosts(`web.lan ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ed)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'WEB.lan', 22, ed)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'db.lan', 22, ed)).toEqual({ kind: 'unknown' })
  })

  it('tells the default port from [host]:port', () => {
    const entries = parseKnownHosts(`web.lan ${keyText(ed)}\n[web.lan]:2222 ${keyText(edOther)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ed)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'web.lan', 2222, edOther)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'web.lan', 2222, ed).kind).toBe('changed')
    expect(checkHostKey(entries, 'web.lan', 22, edOther).kind).toBe('changed')
    expect(checkHostKey(entries, 'web.lan', 2200, ed)).toEqual({ kind: 'unknown' })
  })

  it('reports a changed key with the types and fingerprints on record, even of another type', () => {
    const entries = parseKnownHosts(`web.lan ${keyText(rsa)}\nweb.lan,other ${keyText(edOther)}\nelse ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ed)).toEqual({
      kind: 'changed',
      expected: [
        { type: 'ssh-rsa', fingerprint: sha256Fingerprint(rsa.blob) },
        { type: 'ssh-ed25519', fingerprint: sha256Fingerprint(edOther.blob) },
      ],
    })
  })

  it('honours wildcards and negated patterns', () => {
    const entries = parseKnownHosts(`*.lan,!*.guest.lan,db?.vpn ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ed).kind).toBe('trusted')
    expect(checkHostKey(entries, 'deep.web.lan', 22, ed).kind).toBe('trusted')
    expect(checkHostKey(entries, 'phone.guest.lan', 22, ed).kind).toBe('unknown')
    expect(checkHostKey(entries, 'db1.vpn', 22, ed).kind).toBe('trusted')
    expect(checkHostKey(entries, 'db12.vpn', 22, ed).kind).toBe('unknown')
    expect(checkHostKey(entries, 'lan', 22, ed).kind).toBe('unknown')
  })

  it('a line with only negated patterns matches nothing', () => {
    const entries = parseKnownHosts(`!web.lan ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'db.lan', 22, ed).kind).toBe('unknown')
  })

  it('lets a revoked key win over a line that trusts it', () => {
    const entries = parseKnownHosts(`web.lan ${keyText(ed)}\n@revoked * ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ed)).toEqual({ kind: 'revoked' })
    expect(checkHostKey(entries, 'web.lan', 22, edOther).kind).toBe('changed')
  })

  it('revokes only for hosts the @revoked line names', () => {
    const entries = parseKnownHosts(`@revoked *.old ${keyText(ed)}\n`)

    expect(checkHostKey(entries, 'box.old', 22, ed)).toEqual({ kind: 'revoked' })
    expect(checkHostKey(entries, 'box.new', 22, ed)).toEqual({ kind: 'unknown' })
  })

  it('ignores @cert-authority lines for plain keys', () => {
    const entries = parseKnownHosts(`@cert-authority *.lan ${keyText(ca)}\n`)

    expect(checkHostKey(entries, 'web.lan', 22, ca)).toEqual({ kind: 'unknown' })
    expect(checkHostKey(entries, 'web.lan', 22, ed)).toEqual({ kind: 'unknown' })
    expect(knownKeyTypes(entries, 'web.lan', 22)).toEqual([])
  })
})

describe('knownKeyTypes', () => {
  it('lists the plain key types on record for the host and port, once each, in file order', () => {
    const entries = parseKnownHosts(
      [
        `web.lan ${keyText(rsa)}`,
        `*.lan ${keyText(ed)}`,
        `web.lan ${keyText(edOther)}`,
        `[web.lan]:2222 ${keyText(fakeKey('ecdsa-sha2-nistp256', 'e'))}`,
        `@revoked web.lan ${keyText(fakeKey('ssh-dss', 'd'))}`,
      ].join('\n'),
    )

    expect(knownKeyTypes(entries, 'web.lan', 22)).toEqual(['ssh-rsa', 'ssh-ed25519'])
    expect(knownKeyTypes(entries, 'web.lan', 2222)).toEqual(['ecdsa-sha2-nistp256'])
    expect(knownKeyTypes(entries, 'nas', 22)).toEqual([])
  })
})

describe('formatKnownHostsLine', () => {
  it('writes a line that reads back as trusted for that host and port only', () => {
    const line22 = formatKnownHostsLine('web.lan', 22, ed)
    const line2222 = formatKnownHostsLine('web.lan', 2222, rsa)

    expect(line22).toBe(`web.lan ${keyText(ed)}`)
    expect(line2222).toBe(`[web.lan]:2222 ${keyText(rsa)}`)
    const entries = parseKnownHosts(`${line22}\n${line2222}\n`)
    expect(checkHostKey(entries, 'web.lan', 22, ed).kind).toBe('trusted')
    expect(checkHostKey(entries, 'web.lan', 2222, rsa).kind).toBe('trusted')
    expect(checkHostKey(entries, 'web.lan', 2222, ed).kind).toBe('changed')
  })

  it.each(['', 'two words', 'a,b', '*.lan', '!web', '@revoked', '#x', '|1|x'])('refuses host %j', (host) => {
    expect(() => formatKnownHostsLine(host, 22, ed)).toThrow(Error)
  })
})

describe('against OpenSSH', () => {
  it('matches hashed entries from ssh-keygen -H by host and [host]:port only', () => {
    const dir = tempDir()
    const plainKey = realKey(dir, 'k22', 'ed25519')
    const portKey = realKey(dir, 'k2222', 'rsa')
    const file = join(dir, 'known_hosts')
    writeFileSync(
      file,
      `${formatKnownHostsLine('web.lan', 22, plainKey)}\n${formatKnownHostsLine('web.lan', 2222, portKey)}\n`,
    )
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'pipe' })
    const text = readFileSync(file, 'utf8')
    const entries = parseKnownHosts(text)

    expect(text).not.toContain('web.lan')
    expect(entries.map((entry) => entry.names.kind)).toEqual(['hashed', 'hashed'])
    expect(checkHostKey(entries, 'web.lan', 22, plainKey)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'Web.LAN', 22, plainKey)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'web.lan', 2222, portKey)).toEqual({ kind: 'trusted' })
    expect(checkHostKey(entries, 'web.lan', 2222, plainKey)).toEqual({
      kind: 'changed',
      expected: [{ type: 'ssh-rsa', fingerprint: sha256Fingerprint(portKey.blob) }],
    })
    expect(checkHostKey(entries, 'web.lan', 2223, portKey)).toEqual({ kind: 'unknown' })
    expect(checkHostKey(entries, 'db.lan', 22, plainKey)).toEqual({ kind: 'unknown' })
    expect(knownKeyTypes(entries, 'web.lan', 2222)).toEqual(['ssh-rsa'])
    for (const [host, port] of [
      ['web.lan', 22],
      ['web.lan', 2222],
      ['web.lan', 2223],
      ['web.lan2', 22],
    ] as const) {
      expect(matchingLines(text, host, port)).toEqual(keygenMatches(file, port === 22 ? host : `[${host}]:${port}`))
    }
    expect(keygenMatches(file, '[web.lan]:2222')).toEqual([2])
  })

  it('picks the same lines as ssh-keygen -F for patterns, negations, ports and markers', () => {
    const dir = tempDir()
    const key = realKey(dir, 'k', 'ed25519')
    const other = realKey(dir, 'other', 'ed25519')
    const text = [
      `*.example.com,!bad.example.com ${keyText(key)}`,
      `[h.x]:2222 ${keyText(other)}`,
      `@revoked *.old ${keyText(other)}`,
      `@cert-authority *.ca ${keyText(key)}`,
      `H.X,10.0.0.? ${keyText(key)}`,
      `[h.x]:* ${keyText(key)}`,
      `# h.x ${keyText(key)}`,
    ].join('\r\n')
    const file = join(dir, 'known_hosts')
    writeFileSync(file, text)

    const cases: [string, number][] = [
      ['good.example.com', 22],
      ['bad.example.com', 22],
      ['Good.Example.COM', 22],
      ['example.com', 22],
      ['h.x', 22],
      ['h.x', 2222],
      ['h.x', 2200],
      ['10.0.0.7', 22],
      ['10.0.0.17', 22],
      ['box.old', 22],
      ['box.ca', 22],
    ]
    expect(keygenMatches(file, 'Good.Example.COM')).toEqual([1])
    expect(keygenMatches(file, '[h.x]:2222')).toEqual([2, 6])
    for (const [host, port] of cases) {
      const name = port === 22 ? host : `[${host}]:${port}`
      expect({ name, lines: matchingLines(text, host, port) }).toEqual({ name, lines: keygenMatches(file, name) })
    }
  })
})
