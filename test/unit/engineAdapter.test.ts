import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lifecycleOf, PullFailed } from '../../src/main/docker/containerLifecycle'
import { HELPER_LABEL, HELPER_RUN_LABEL } from '../../src/main/docker/engine'
import { localEngine, rolesOf } from '../../src/main/docker/engines'
import { testHelperOwner } from '../helpers/helperOwner'
import { MockEngine } from '../helpers/mockEngine'

let engine: MockEngine
beforeEach(async () => {
  engine = await MockEngine.start()
})
afterEach(async () => {
  engine.expectNoUnhandled()
  await engine.close()
})

const owner = testHelperOwner()
const connect = () => {
  const handle = localEngine(engine.dockerHost, owner)
  return { ...rolesOf(handle), lifecycle: lifecycleOf(handle) }
}

describe('the dockerode adapter behind the engine port', () => {
  it('inspects: null for what is not there, the engine JSON for what is', async () => {
    const { inspector } = connect()
    const image = engine.addImage('app:1')
    engine.addVolume('data')
    expect(await inspector.inspectImage('nope:1')).toBeNull()
    expect((await inspector.inspectImage('app:1'))?.Id).toBe(image)
    expect(await inspector.inspectVolume('missing')).toBeNull()
    expect((await inspector.inspectVolume('data'))?.Mountpoint).toBe('/var/lib/docker/volumes/data/_data')
    expect(await inspector.inspectContainer('c0ffee')).toBeNull()
    expect((await inspector.info()).DockerRootDir).toBe('/var/lib/docker')
  })

  it('lists with label and status filters as the engine takes them', async () => {
    const { inspector, lifecycle } = connect()
    engine.addImage('app:1')
    const a = await lifecycle.create({ Image: 'app:1', name: 'a', Labels: { 'io.x': '1' } })
    await lifecycle.create({ Image: 'app:1', name: 'b', Labels: { 'io.x': '2' } })
    await lifecycle.start(a)
    expect((await inspector.listContainers({ all: true, labels: ['io.x=2'] })).map((c) => c.Names[0])).toEqual(['/b'])
    expect((await inspector.listContainers({ labels: ['io.x'] })).map((c) => c.Names[0])).toEqual(['/a'])
    const sent = engine.requests.filter((r) => r.path === '/containers/json').map((r) => r.query.get('filters'))
    expect(sent).toEqual(['{"label":["io.x=2"]}', '{"label":["io.x"]}'])
  })

  it('lifecycle calls are idempotent where the engine says the state is already so', async () => {
    const { lifecycle, inspector } = connect()
    engine.addImage('app:1')
    const id = await lifecycle.create({ Image: 'app:1', name: 'svc' })
    await lifecycle.start(id)
    await lifecycle.start(id) // 304: already running
    expect((await inspector.inspectContainer(id))?.State.Running).toBe(true)
    await lifecycle.stop(id, 10)
    await lifecycle.stop(id, 10) // 304: already stopped
    expect(engine.requests.filter((r) => r.path.endsWith('/stop')).map((r) => r.query.get('t'))).toEqual(['10', '10'])
    await lifecycle.rename(id, 'svc-renamed')
    expect(engine.container(id)?.name).toBe('svc-renamed')
    await lifecycle.remove(id)
    await lifecycle.remove(id) // 404: already gone
    expect(engine.containers.size).toBe(0)
    await lifecycle.removeVolume('never-was')
  })

  it('other engine failures are thrown, with the engine status for the caller to judge', async () => {
    const { lifecycle } = connect()
    engine.addImage('app:1')
    const id = await lifecycle.create({ Image: 'app:1', name: 'svc' })
    engine.fail('POST', /\/start$/, 500)
    await expect(lifecycle.start(id)).rejects.toMatchObject({ statusCode: 500 })
    await expect(lifecycle.create({ Image: 'absent:1' })).rejects.toMatchObject({ statusCode: 404 })
    await expect(lifecycle.pull('absent:1', () => undefined)).rejects.toBeInstanceOf(PullFailed)
    await expect(lifecycle.pull('absent:1', () => undefined)).rejects.toMatchObject({ missing: true })
  })

  it('a helper session is one labelled, network-less container that runs each step as an exec', async () => {
    const { helpers } = connect()
    engine.addImage('helper:1')
    engine.behaviour.exec = (cmd) =>
      cmd.includes('fail') ? { exitCode: 3, stderr: 'nope\n' } : { exitCode: 0, stdout: 'ok\n' }
    const results = await helpers.withSession(
      'helper:1',
      [{ kind: 'bind', source: '/srv', target: '/h/0', readOnly: false }],
      2,
      async (session) => {
        const made = [...engine.containers.values()]
        expect(made).toHaveLength(2)
        for (const c of made) {
          expect(c.config['Labels']).toEqual({ [HELPER_LABEL]: owner.installation, [HELPER_RUN_LABEL]: owner.run })
          expect(c.config['NetworkDisabled']).toBe(true)
          expect((c.config['HostConfig'] as { NetworkMode: string }).NetworkMode).toBe('none')
        }
        expect(made.filter((c) => c.running)).toHaveLength(1)
        return [await session.run('echo ok', []), await session.run('fail', ['x'])]
      },
    )
    expect(results).toEqual([
      { exitCode: 0, stdout: 'ok\n', stderr: '' },
      { exitCode: 3, stdout: '', stderr: 'nope\n' },
    ])
    expect(engine.scripts()).toEqual(['echo ok', 'fail'])
    expect(engine.containers.size).toBe(0)
  })

  it('a leftover sweep removes the helpers a crash left, never one in use nor another Slipway’s', async () => {
    const { helpers, lifecycle } = connect()
    engine.addImage('helper:1')
    const helper = (name: string, installation: string, createdSecondsAgo: number) =>
      lifecycle.create({ Image: 'helper:1', name, Labels: { [HELPER_LABEL]: installation } }).then((id) => {
        const c = engine.container(id)
        if (c !== undefined) c.created = Math.floor(Date.now() / 1000) - createdSecondsAgo
      })
    await helper('mine-from-a-crash', owner.installation, 60)
    await helper('from-before-owners', '1', 60)
    await helper('another-slipway-at-work', 'a0a0a0a0-0000-4000-8000-000000000000', 60)
    await helper('another-slipway-long-dead', 'b0b0b0b0-0000-4000-8000-000000000000', 3 * 24 * 3600)
    await helpers.withReader('helper:1', [], async () => {
      expect(await helpers.removeLeftovers()).toBe(3)
      const left = [...engine.containers.values()].map((c) => c.name)
      expect(left.filter((n) => !n.startsWith('slipway-helper-'))).toEqual(['another-slipway-at-work'])
      expect(left.filter((n) => n.startsWith('slipway-helper-'))).toHaveLength(1)
    })
    expect([...engine.containers.values()].map((c) => c.name)).toEqual(['another-slipway-at-work'])
  })

  it('tells whether this user may create containers, tried for real and removed at once', async () => {
    const { helpers } = connect()
    engine.addImage('helper:1')
    expect(await helpers.canCreate('helper:1')).toBe(true)
    engine.fail('POST', /^\/containers\/create$/, 403)
    expect(await helpers.canCreate('helper:1')).toBe(false)
    expect(engine.containers.size).toBe(0)
  })
})

describe('commands in a container (capture hooks)', () => {
  it('runs under sh -c behind the pid wrapper, hides the wrapper line and keeps only the tail', async () => {
    const { exec, lifecycle } = connect()
    engine.addImage('app:1')
    const id = await lifecycle.create({ Image: 'app:1', name: 'db' })
    engine.behaviour.exec = (cmd) =>
      cmd[4] === 'dump'
        ? { exitCode: 0, stdout: 'x'.repeat(100) + 'END', stderr: 'slipway-exec-pid:42\nwarn\n' }
        : { exitCode: 7, stderr: 'sh: not found\n' }
    const done = await exec.run({ containerId: id, command: 'dump', timeoutMs: 10_000, maxOutputBytes: 50 })
    expect(done).toMatchObject({ exitCode: 0, timedOut: false, cancelled: false, truncated: true })
    expect(done.output.endsWith('warn\n')).toBe(true)
    expect(done.output).not.toContain('slipway-exec-pid')
    expect(done.output.length).toBe(50)
    // A shell that never printed the wrapper's line: what it said is output, not swallowed.
    const failed = await exec.run({ containerId: id, command: 'other', timeoutMs: 10_000, maxOutputBytes: 1000 })
    expect(failed).toMatchObject({ exitCode: 7, output: 'sh: not found\n', truncated: false })
    expect(
      engine
        .scripts()
        .slice(-2)
        .every((s) => s.includes('exec /bin/sh -c "$1"')),
    ).toBe(true)
  })
})
