import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localEngine, rolesOf } from '../../src/main/docker/engines'
import { testHelperOwner } from '../helpers/helperOwner'
import { docker, helperContainersOf } from '../helpers/images'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'

const env = testEnv()
const owner = testHelperOwner()
const helperContainers = rolesOf(localEngine(env.dockerHost, owner)).helpers
const helpers = (): string[] => helperContainersOf(owner.installation)

describe('a helper session on the real engine', () => {
  it('runs each script as root in one running helper, with exit codes, output and arguments kept apart', async () => {
    const dir = tempDir('helper-session-')
    await helperContainers.withSession(
      env.image,
      [{ kind: 'bind', source: dir, target: '/h/0', readOnly: false }],
      1,
      async (session) => {
        const first = await session.run('id -u; printf "%s" "$1" > /h/0/out; echo oops >&2; exit 3', [
          'a "quoted" $(arg)',
        ])
        expect(first).toEqual({ exitCode: 3, stdout: '0\n', stderr: 'oops\n' })
        expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('a "quoted" $(arg)')
        const second = await session.run('echo $$', [])
        const third = await session.run('echo $$', [])
        expect(second.exitCode).toBe(0)
        expect(second.stdout).not.toBe(third.stdout)
        expect(helpers()).toHaveLength(1)
      },
    )
    expect(helpers()).toEqual([])
  })

  it('is not removed by a leftover sweep while in use; one left by a dead process is', async () => {
    const dir = tempDir('helper-sweep-')
    // One this installation left behind in an earlier run (a crash).
    const leftover = docker(
      'create',
      '--label',
      `io.slipway.helper=${owner.installation}`,
      '--network',
      'none',
      env.image,
      'true',
    )
    await helperContainers.withSession(
      env.image,
      [{ kind: 'bind', source: dir, target: '/h/0', readOnly: false }],
      1,
      async (session) => {
        expect(await helperContainers.removeLeftovers()).toBe(1)
        expect(helpers()).not.toContain(leftover.slice(0, 12))
        expect(helpers()).toHaveLength(1)
        expect((await session.run('true', [])).exitCode).toBe(0)
      },
    )
    expect(helpers()).toEqual([])
  })
})
