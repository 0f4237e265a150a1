import { describe, expect, it } from 'vitest'
import { parseEnvFile } from '../../src/main/workloads/dispatch/envFile'

describe('env files (compose format)', () => {
  it('reads comments, export, quotes, escapes, inline comments and multi-line values', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'PLAIN=value with spaces   ',
      'export EXPORTED=1',
      'INLINE=abc # a comment',
      'HASH=abc#not-a-comment',
      "SINGLE='literal $HOME \\n # kept'",
      'DOUBLE="tab\\there \\"quoted\\" \\$HOME"',
      'MULTI="first',
      'second"',
      'EMPTY=',
      'SPACED = around',
    ].join('\r\n')
    expect(parseEnvFile(text)).toEqual({
      ok: true,
      entries: [
        { name: 'PLAIN', value: 'value with spaces' },
        { name: 'EXPORTED', value: '1' },
        { name: 'INLINE', value: 'abc' },
        { name: 'HASH', value: 'abc#not-a-comment' },
        { name: 'SINGLE', value: 'literal $HOME \\n # kept' },
        { name: 'DOUBLE', value: 'tab\there "quoted" $HOME' },
        { name: 'MULTI', value: 'first\nsecond' },
        { name: 'EMPTY', value: '' },
        { name: 'SPACED', value: 'around' },
      ],
    })
  })

  it('refuses what it cannot read, naming the line', () => {
    expect(parseEnvFile('A=1\nJUSTANAME\n')).toEqual({ ok: false, line: 2, reason: 'no_value' })
    expect(parseEnvFile('1BAD=x')).toEqual({ ok: false, line: 1, reason: 'bad_name' })
    expect(parseEnvFile('A="open\nB=2')).toEqual({ ok: false, line: 1, reason: 'unterminated' })
    expect(parseEnvFile("A='open")).toEqual({ ok: false, line: 1, reason: 'unterminated' })
  })
})
