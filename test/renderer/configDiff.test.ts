import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { networkSpecSchema, serviceSpecSchema } from '../../src/shared/serviceSpec'
import { configDiff } from '../../src/renderer/src/features/workloads/configDiff'

const t = ((key: string, vars?: Record<string, unknown>) =>
  vars === undefined ? key : `${key} ${JSON.stringify(vars)}`) as unknown as TFunction
const app = (extra: Record<string, unknown>) =>
  serviceSpecSchema.parse({
    name: 'app',
    image: 'app:1',
    command: null,
    env: [],
    ports: [],
    volumes: [],
    restart: 'no',
    ...extra,
  })

describe('the configuration diff', () => {
  it('lists the settings that change, the services that come, and no secret value', () => {
    const before = {
      services: [app({ env: [{ name: 'COLOR', value: 'blue', secret: false }] })],
      networks: [],
      volumes: [],
    }
    const after = {
      services: [
        app({
          env: [
            { name: 'COLOR', value: 'green', secret: false },
            { name: 'PW', value: null, secret: true },
          ],
          user: '1000',
        }),
        serviceSpecSchema.parse({
          name: 'extra',
          image: 'x:1',
          command: null,
          env: [],
          ports: [],
          volumes: [],
          restart: 'no',
        }),
      ],
      networks: [networkSpecSchema.parse({ name: 'outer' })],
      volumes: [],
    }
    const diff = configDiff(t, 'en', before, after)
    expect(diff.filter((d) => d.scope === 'app').map((d) => `${d.change} ${d.text}`)).toEqual([
      'removed workloads.form.env.title: COLOR=blue',
      'added workloads.setting.user: 1000',
      'added workloads.form.env.title: COLOR=green',
      expect.stringContaining('added workloads.form.env.title: workloads.config.secretEnv'),
    ])
    expect(diff.some((d) => d.scope === 'extra' && d.change === 'added')).toBe(true)
    expect(diff.find((d) => d.scope === '')?.text).toContain('outer')
    expect(configDiff(t, 'en', after, after)).toEqual([])
  })
})
