import { describe, expect, it } from 'vitest'
import { interpolate } from '../../src/main/compose/interpolate'

const vars: Record<string, string> = { NAME: 'web', EMPTY: '', PORT: '8080' }
const run = (text: string) => interpolate(text, (name) => vars[name])
const value = (text: string) => {
  const result = run(text)
  if (!result.ok) throw new Error(result.detail)
  return result.value
}

describe('compose interpolation, as the specification writes it', () => {
  it.each([
    ['$NAME', 'web'],
    ['${NAME}', 'web'],
    ['${NAME}-1', 'web-1'],
    ['$NAME.lan', 'web.lan'],
    ['${UNSET}', ''],
    ['${UNSET:-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${UNSET-default}', 'default'],
    ['${NAME:-default}', 'web'],
    ['${NAME:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${UNSET+set}', ''],
    ['$$NAME', '$NAME'],
    ['$${NAME}', '${NAME}'],
    ['cost: 5$', 'cost: 5$'],
    ['${UNSET:-${PORT}}', '8080'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['127.0.0.1:${PORT}:80', '127.0.0.1:8080:80'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected)
  })

  it('refuses a required variable that is missing (or empty, with the colon), with its message', () => {
    expect(run('${UNSET:?set it}')).toEqual({ ok: false, reason: 'required', detail: 'UNSET: set it' })
    expect(run('${EMPTY:?must be set}')).toMatchObject({ ok: false, reason: 'required' })
    expect(run('${EMPTY?must be set}')).toMatchObject({ ok: true, value: '' })
    expect(run('${UNSET?}')).toMatchObject({ ok: false, detail: 'UNSET: required' })
  })

  it('refuses what is not a variable', () => {
    expect(run('${NAME')).toMatchObject({ ok: false, reason: 'syntax' })
    expect(run('${}')).toMatchObject({ ok: false, reason: 'syntax' })
    expect(run('${1BAD}')).toMatchObject({ ok: false, reason: 'syntax' })
    expect(run('${NAME%suffix}')).toMatchObject({ ok: false, reason: 'syntax' })
  })

  it('says which variables a value used', () => {
    expect(run('${NAME}:${UNSET:-x}')).toMatchObject({ used: ['NAME', 'UNSET'] })
  })
})
