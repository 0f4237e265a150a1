import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  listAliases,
  loadSshConfig,
  parseSshConfig,
  resolveSshConfig,
  type ResolvedSshConfig,
  type SshConfigIo,
} from '../../src/main/ssh/sshConfig'
import { tempDir } from '../helpers/tempDir'

const ctx = { homeDir: '/home/ann', localUser: 'ann' }

const resolve = (text: string, alias: string): ResolvedSshConfig => resolveSshConfig(parseSshConfig(text), alias, ctx)

/** A file tree as data: every path holds a file's text; directories are implied by the paths. */
function memoryIo(files: Record<string, string>): SshConfigIo {
  return {
    readFile: (path) => files[path] ?? null,
    listDir: (dir) => {
      const prefix = `${dir}/`
      const names = Object.keys(files)
        .filter((path) => path.startsWith(prefix))
        .map((path) => path.slice(prefix.length).split('/')[0] ?? '')
      return names.length === 0 ? null : [...new Set(names)]
    },
  }
}

describe('parseSshConfig', () => {
  it('reads blocks, keywords in any case, Key=value, quotes and comments', () => {
    const blocks = parseSshConfig(
      [
        '# global',
        'Port=2200',
        'Host web "db prod" # trailing comment',
        '  HOSTNAME = 10.0.0.5',
        '\tidentityfile "/keys/my key" ',
        "  User 'o''brien'",
        '  IdentityFile /keys/a\\ b',
        'Host=*',
        '  Compression yes',
      ].join('\r\n'),
    )

    expect(blocks).toEqual([
      { hosts: [], options: [{ keyword: 'port', args: ['2200'] }] },
      {
        hosts: [['web', 'db prod']],
        options: [
          { keyword: 'hostname', args: ['10.0.0.5'] },
          { keyword: 'identityfile', args: ['/keys/my key'] },
          { keyword: 'user', args: ['obrien'] },
          { keyword: 'identityfile', args: ['/keys/a b'] },
        ],
      },
      { hosts: [['*']], options: [{ keyword: 'compression', args: ['yes'] }] },
    ])
  })

  it('skips the contents of Match blocks until the next Host', () => {
    const blocks = parseSshConfig(
      ['Host a', '  User x', 'Match host a', '  User matched', '  Port 1', 'Host b', '  User y'].join('\n'),
    )

    expect(blocks).toEqual([
      { hosts: [['a']], options: [{ keyword: 'user', args: ['x'] }] },
      { hosts: [['b']], options: [{ keyword: 'user', args: ['y'] }] },
    ])
  })

  it('drops lines with unbalanced quotes or no value', () => {
    expect(parseSshConfig('User "ann\nPort\nHostName h\n')).toEqual([
      { hosts: [], options: [{ keyword: 'hostname', args: ['h'] }] },
    ])
  })
})

describe('resolveSshConfig', () => {
  it('falls back to the alias, port 22 and the local user', () => {
    expect(resolve('', 'nas')).toEqual({
      hostname: 'nas',
      port: 22,
      user: 'ann',
      identityFiles: [],
      identitiesOnly: false,
      proxyJump: null,
    })
  })

  it('keeps the first value of each keyword, so Host * after specific blocks only fills gaps', () => {
    const text = [
      'Host nas',
      '  User admin',
      '  Port 2222',
      'Host nas',
      '  User ignored',
      '  HostName nas.lan',
      'Host *',
      '  User fallback',
      '  Port 22022',
      '  IdentitiesOnly yes',
    ].join('\n')

    expect(resolve(text, 'nas')).toMatchObject({ hostname: 'nas.lan', port: 2222, user: 'admin', identitiesOnly: true })
    expect(resolve(text, 'other')).toMatchObject({ hostname: 'other', port: 22022, user: 'fallback' })
  })

  it('applies the global section before the first Host to every alias, first', () => {
    const text = 'User everyone\nHost nas\n  User admin\n'

    expect(resolve(text, 'nas').user).toBe('everyone')
    expect(resolve(text, 'pi').user).toBe('everyone')
  })

  it('matches any of several patterns, wildcards, and refuses a negated match', () => {
    const text = ['Host web-* !web-legacy db?', '  User ops', 'Host *', '  User other'].join('\n')

    expect(resolve(text, 'web-1').user).toBe('ops')
    expect(resolve(text, 'web-').user).toBe('ops')
    expect(resolve(text, 'web-legacy').user).toBe('other')
    expect(resolve(text, 'db1').user).toBe('ops')
    expect(resolve(text, 'db12').user).toBe('other')
    expect(resolve(text, 'Web-1').user).toBe('other')
  })

  it('never matches a Host line of negations only', () => {
    expect(resolve('Host !a\n  User x\n', 'b').user).toBe('ann')
  })

  it('accumulates IdentityFile in order without duplicates and expands ~ and tokens', () => {
    const text = [
      'Host nas',
      '  HostName NAS.%h.lan',
      '  User root',
      '  Port 2200',
      '  IdentityFile ~/.ssh/%n_%r@%h:%p',
      '  IdentityFile %d/keys/%u/%%h',
      'Host *',
      '  IdentityFile ~/.ssh/id_ed25519',
      '  IdentityFile /home/ann/.ssh/id_ed25519',
      '  IdentityFile ~',
      '  IdentityFile ~bob/key',
      '  IdentityFile /k/%l%',
    ].join('\n')

    expect(resolve(text, 'nas')).toEqual({
      hostname: 'nas.nas.lan',
      port: 2200,
      user: 'root',
      identityFiles: [
        '/home/ann/.ssh/nas_root@nas.nas.lan:2200',
        '/home/ann/keys/ann/%h',
        '/home/ann/.ssh/id_ed25519',
        '/home/ann',
        '~bob/key',
        '/k/%l%',
      ],
      identitiesOnly: false,
      proxyJump: null,
    })
  })

  it('reads ProxyJump, treats none as none, and lets an earlier ProxyCommand disable it', () => {
    const text = [
      'Host direct',
      '  ProxyJump none',
      'Host piped',
      '  ProxyCommand nc %h %p',
      'Host *',
      '  ProxyJump bastion,admin@jump:2222',
    ].join('\n')

    expect(resolve(text, 'far').proxyJump).toBe('bastion,admin@jump:2222')
    expect(resolve(text, 'direct').proxyJump).toBeNull()
    expect(resolve(text, 'piped').proxyJump).toBeNull()
  })

  it('throws on a Port or IdentitiesOnly ssh would refuse', () => {
    expect(() => resolve('Port 70000\n', 'a')).toThrow(/Port/)
    expect(() => resolve('Port ssh\n', 'a')).toThrow(/Port/)
    expect(() => resolve('IdentitiesOnly maybe\n', 'a')).toThrow(/IdentitiesOnly/)
  })

  it('agrees with ssh -G', () => {
    const dir = tempDir()
    const file = join(dir, 'config')
    writeFileSync(
      file,
      [
        'User=global',
        'Host nas nas2 !nas3',
        '  HostName %h.Home.Arpa',
        '  Port 2222',
        '  IdentityFile "/keys/nas key"',
        'Host web-? !web-9',
        '  User deploy',
        '  ProxyJump bastion',
        '  IdentitiesOnly yes',
        'Match host never.example',
        '  Port 1',
        'Host piped',
        '  ProxyCommand nc %h %p',
        'Host *',
        '  Port 2200',
        '  ProxyJump fallback',
        '  IdentityFile /keys/default',
        '  IdentityFile /keys/nas\\ key',
      ].join('\n'),
    )
    const local = { homeDir: '/nonexistent-home', localUser: userInfo().username }
    const blocks = parseSshConfig(readFileSync(file, 'utf8'))

    for (const alias of ['nas', 'nas2', 'nas3', 'web-1', 'web-9', 'web-10', 'piped', 'other']) {
      const ours = resolveSshConfig(blocks, alias, local)
      const theirs = sshG(file, alias)
      expect({ alias, ...ours }).toEqual({
        alias,
        hostname: theirs.get('hostname')?.[0],
        port: Number(theirs.get('port')?.[0]),
        user: theirs.get('user')?.[0],
        identityFiles: theirs.get('identityfile'),
        identitiesOnly: theirs.get('identitiesonly')?.[0] === 'yes',
        proxyJump: theirs.get('proxyjump')?.[0] ?? null,
      })
    }
  })
})

function sshG(configFile: string, alias: string): Map<string, string[]> {
  const result = spawnSync('ssh', ['-G', '-F', configFile, alias], { encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  const values = new Map<string, string[]>()
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ')
    if (space < 0) continue
    const key = line.slice(0, space)
    values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)])
  }
  return values
}

describe('loadSshConfig', () => {
  it('includes relative paths from ~/.ssh and wildcard matches in name order, skipping dot files', () => {
    const io = memoryIo({
      '/home/ann/.ssh/config': 'Include conf.d/*.conf ~/extra\nHost *\n  User last\n',
      '/home/ann/.ssh/conf.d/20-b.conf': 'Host b\n  User bee\n',
      '/home/ann/.ssh/conf.d/10-a.conf': 'Host a\n  User ay\n',
      '/home/ann/.ssh/conf.d/.hidden.conf': 'Host h\n',
      '/home/ann/.ssh/conf.d/notes.txt': 'Host n\n',
      '/home/ann/extra': 'Host x\n  User ex\n',
    })
    const blocks = loadSshConfig('/home/ann/.ssh/config', io, '/home/ann')

    expect(listAliases(blocks)).toEqual(['a', 'b', 'x'])
    expect(resolveSshConfig(blocks, 'b', ctx).user).toBe('bee')
    expect(resolveSshConfig(blocks, 'x', ctx).user).toBe('ex')
    expect(resolveSshConfig(blocks, 'z', ctx).user).toBe('last')
  })

  it('applies an Include inside a Host block only to that block, then resumes the block', () => {
    const io = memoryIo({
      '/cfg': 'Host nas\n  Include /inc\n  IdentityFile /after\nHost *\n  User everyone\n',
      '/inc': 'User from-include\nIdentityFile /inside\nHost other\n  Port 2\nHost nas\n  Port 3\n',
    })
    const blocks = loadSshConfig('/cfg', io, '/home/ann')

    expect(resolveSshConfig(blocks, 'nas', ctx)).toMatchObject({
      user: 'from-include',
      port: 3,
      identityFiles: ['/inside', '/after'],
    })
    expect(resolveSshConfig(blocks, 'other', ctx)).toMatchObject({ user: 'everyone', port: 22, identityFiles: [] })
    expect(listAliases(blocks)).toEqual(['nas'])
  })

  it('ignores missing includes and an absent config', () => {
    const io = memoryIo({ '/cfg': 'Include /missing /none/*\nUser u\n' })

    expect(resolveSshConfig(loadSshConfig('/cfg', io, '/h'), 'a', ctx).user).toBe('u')
    expect(loadSshConfig('/absent', io, '/h')).toEqual([])
  })

  it('stops an Include loop instead of recursing forever', () => {
    const io = memoryIo({ '/a': 'Include /b\n', '/b': 'Include /a\n' })

    expect(() => loadSshConfig('/a', io, '/h')).toThrow(/deeper than 16/)
  })

  it('allows sixteen levels of nested includes', () => {
    const files: Record<string, string> = { '/16': 'User deepest\n' }
    for (let level = 0; level < 16; level++) files[`/${level}`] = `Include /${level + 1}\n`
    const blocks = loadSshConfig('/0', memoryIo(files), '/h')

    expect(resolveSshConfig(blocks, 'a', ctx).user).toBe('deepest')
  })
})

describe('listAliases', () => {
  it('lists concrete Host names once, in file order', () => {
    const blocks = parseSshConfig(
      ['Host nas web-* !old pi', 'Host db? pi', 'Host backup', 'Match host x', 'Host *', 'Host nas'].join('\n'),
    )

    expect(listAliases(blocks)).toEqual(['nas', 'pi', 'backup'])
  })

  it('leaves out a name its own line negates', () => {
    expect(listAliases(parseSshConfig('Host a !a b\n'))).toEqual(['b'])
  })
})
