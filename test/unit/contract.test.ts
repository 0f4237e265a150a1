import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createRouter, type Handlers, type TopicSources } from '../../src/main/ipc/router'
import { createLogger, type LogRecord } from '../../src/main/log'
import { AppError } from '../../src/main/errors'
import { channelNames, channels, topicNames, topics } from '../../src/shared/contract'
import { GENERIC_MESSAGES } from '../../src/shared/errors'
import { channelSamples, topicSamples } from '../helpers/channelSamples'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

interface Mutation {
  readonly label: string
  readonly input: unknown
}

// Past the largest bound any string has (a compose file, 1 MiB).
const OVERSIZE = 'x'.repeat(1024 * 1024 + 1)

function setAt(root: Json, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(root) as Record<string | number, Json>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>
  node[path[path.length - 1] as string | number] = value as Json
  return copy
}

function leaves(value: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
    return entries.flatMap(([key, child]) => leaves(child, [...path, key]))
  }
  return [{ path, value }]
}

function objects(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return []
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  const here = Array.isArray(value) ? [] : [path]
  return [...here, ...entries.flatMap(([key, child]) => objects(child, [...path, key]))]
}

/** Malformed variants of a valid sample: wrong shapes, extra keys, wrong leaf types, oversize strings. */
function mutations(sample: Json): Mutation[] {
  const out: Mutation[] = [
    { label: 'null', input: null },
    { label: 'a string', input: 'hosts' },
    { label: 'a number', input: 42 },
    { label: 'an array', input: [] },
  ]
  for (const path of objects(sample)) {
    out.push({ label: `extra key at /${path.join('/')}`, input: setAt(sample, [...path, '__proto_extra'], 1) })
  }
  for (const leaf of leaves(sample)) {
    const where = `/${leaf.path.join('/')}`
    const wrong = typeof leaf.value === 'number' ? 'seven' : typeof leaf.value === 'string' ? 7 : { nested: true }
    out.push({ label: `wrong type at ${where}`, input: setAt(sample, leaf.path, wrong) })
    if (typeof leaf.value === 'string') {
      out.push({ label: `oversize string at ${where}`, input: setAt(sample, leaf.path, OVERSIZE) })
    }
  }
  return out
}

function recordingRouter() {
  const called: string[] = []
  const records: LogRecord[] = []
  const handlers = Object.fromEntries(
    channelNames.map((name) => [
      name,
      () => {
        called.push(name)
        return null
      },
    ]),
  ) as unknown as Handlers
  const sources = Object.fromEntries(topicNames.map((name) => [name, () => () => undefined])) as unknown as TopicSources
  const router = createRouter({ handlers, topics: sources, log: createLogger((r) => records.push(r), 'debug') })
  return { router, called, records }
}

/** Every string schema reachable from a schema, with the path that reaches it. */
function stringSchemas(schema: z.ZodType, path = ''): { path: string; schema: z.ZodString }[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def
  switch (def['type']) {
    case 'string':
      return [{ path, schema: schema as z.ZodString }]
    case 'object':
      return Object.entries(def['shape'] as Record<string, z.ZodType>).flatMap(([key, child]) =>
        stringSchemas(child, `${path}.${key}`),
      )
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return stringSchemas(def['innerType'] as z.ZodType, path)
    case 'array':
      return stringSchemas(def['element'] as z.ZodType, `${path}[]`)
    case 'union':
      return (def['options'] as z.ZodType[]).flatMap((option) => stringSchemas(option, path))
    case 'pipe':
      return stringSchemas(def['in'] as z.ZodType, path)
    case 'record':
      return [
        ...stringSchemas(def['keyType'] as z.ZodType, `${path}{key}`),
        ...stringSchemas(def['valueType'] as z.ZodType, `${path}{}`),
      ]
    default:
      return []
  }
}

describe('the IPC contract', () => {
  it.each(channelNames)('%s accepts its valid sample', async (name) => {
    const { router, called } = recordingRouter()
    const result = await router.invoke(name, channelSamples[name])
    expect(result).toEqual({ ok: true, value: null })
    expect(called).toEqual([name])
  })

  it.each(channelNames)('%s rejects every malformed input with BAD_INPUT before its handler runs', async (name) => {
    const { router, called } = recordingRouter()
    const cases = mutations(channelSamples[name] as Json)
    expect(cases.length).toBeGreaterThanOrEqual(5)
    for (const { label, input } of cases) {
      const result = await router.invoke(name, input)
      expect(result.ok, `${name}: ${label}`).toBe(false)
      if (!result.ok) expect(result.error.code, `${name}: ${label}`).toBe('BAD_INPUT')
    }
    expect(called).toEqual([])
  })

  it.each(topicNames)('topic %s rejects malformed input with BAD_INPUT', (name) => {
    const { router } = recordingRouter()
    expect(router.subscribe(name, topicSamples[name], () => undefined).ok).toBe(true)
    for (const { label, input } of mutations(topicSamples[name] as Json)) {
      const result = router.subscribe(name, input, () => undefined)
      expect(result.ok, `${name}: ${label}`).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('BAD_INPUT')
    }
  })

  it('bounds every string in every input schema', () => {
    const all = [
      ...channelNames.map((name) => ({ name, schema: channels[name].input as z.ZodType })),
      ...topicNames.map((name) => ({ name, schema: topics[name].input as z.ZodType })),
    ]
    for (const { name, schema } of all) {
      for (const found of stringSchemas(schema)) {
        expect(found.schema.maxLength, `${name}${found.path} has no max length`).not.toBeNull()
      }
    }
  })

  it('rejects unknown channels and topics', async () => {
    const { router } = recordingRouter()
    const result = await router.invoke('hosts.drop', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(router.subscribe('__proto__', {}, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    })
    expect(await router.invoke('constructor', {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })

  it('turns an unexpected error into INTERNAL with a generic message, the detail only in the log', async () => {
    const records: LogRecord[] = []
    const secretPath = '/home/alice/.ssh/id_ed25519'
    const handlers = Object.fromEntries(
      channelNames.map((name) => [
        name,
        () => {
          throw new Error(`ENOENT: open '${secretPath}' token=hunter2`)
        },
      ]),
    ) as unknown as Handlers
    const router = createRouter({ handlers, topics: {} as TopicSources, log: createLogger((r) => records.push(r)) })
    for (const name of channelNames) {
      const result = await router.invoke(name, channelSamples[name])
      expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL } })
      const text = JSON.stringify(result)
      expect(text).not.toContain(secretPath)
      expect(text).not.toContain('hunter2')
      expect(text).not.toMatch(/at .*\.ts:\d+/)
    }
    expect(JSON.stringify(records)).toContain(secretPath)
  })

  it('passes a deliberate AppError code and its chosen details, never its log message or cause', async () => {
    const handlers = Object.fromEntries(
      channelNames.map((name) => [
        name,
        () => {
          throw new AppError('HOST_KEY_UNKNOWN', 'unknown key for 10.0.0.5', {
            details: { fingerprint: 'SHA256:abc' },
            cause: new Error('raw engine text with password=swordfish'),
          })
        },
      ]),
    ) as unknown as Handlers
    const router = createRouter({ handlers, topics: {} as TopicSources, log: createLogger(() => undefined) })
    const result = await router.invoke('hosts.list', {})
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'HOST_KEY_UNKNOWN',
        message: GENERIC_MESSAGES.HOST_KEY_UNKNOWN,
        details: { fingerprint: 'SHA256:abc' },
      },
    })
  })
})
