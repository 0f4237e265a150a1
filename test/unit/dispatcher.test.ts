import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/main/errors'
import { calls, dispatchRig, type DispatchRig } from '../helpers/dispatchRig'
import { MockEngine } from '../helpers/mockEngine'
import { serviceSpec, workloadFields } from '../helpers/workloadSpecs'

let engine: MockEngine
let rig: DispatchRig
beforeEach(async () => {
  engine = await MockEngine.start()
  engine.addImage('app:1')
  engine.addImage('app:2')
  rig = dispatchRig(engine)
})
afterEach(async () => {
  engine.expectNoUnhandled()
  rig.db.close()
  await engine.close()
})

const running = (name: string): boolean | undefined => engine.container(name)?.running

async function deployFails(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('DEPLOY_FAILED')
  return String((error as AppError).details?.['reason'])
}

/** A workload deployed once and running (`web-app`, or each service's canonical container). */
async function deployedOnce(services: Record<string, string>, snapshotBeforeDeploy = false) {
  const w = await rig.workload('web', services, snapshotBeforeDeploy)
  await rig.dispatcher.deploy(w.id, 'deploy')
  for (const service of Object.keys(services)) expect(running(`web-${service}`)).toBe(true)
  return { w, mark: engine.lifecycle().length }
}

describe('a deploy, phase by phase, against the mock engine', () => {
  it('commits: the new containers take the canonical names, the old ones go, the deploy is the live one', async () => {
    const { w, mark } = await deployedOnce({ app: 'app:1' })
    const record = await rig.dispatcher.deploy(w.id, 'redeploy')
    expect(record.status).toBe('success')
    expect(calls(engine, mark)).toEqual([
      'create web-app-new',
      'stop web-app',
      'start web-app-new',
      'remove web-app',
      'rename web-app-new',
    ])
    expect(rig.store.require(w.id).liveDeployId).toBe(record.id)
    expect(rig.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    expect([...engine.containers.values()].map((c) => c.name)).toEqual(['web-app'])
  })

  it('images: a missing image fails before anything is created or stopped', async () => {
    const { w, mark } = await deployedOnce({ app: 'app:1' })
    await rig.store.update(
      w.id,
      workloadFields({ name: 'web', snapshotBeforeDeploy: false, services: [service('app', 'gone:9')] }),
    )
    expect(await deployFails(rig.dispatcher.deploy(w.id, 'redeploy'))).toBe('image_missing')
    expect(calls(engine, mark)).toEqual([])
    expect(running('web-app')).toBe(true)
    expect(rig.history.latest(w.id)).toMatchObject({ status: 'failure', errorCode: 'image_missing' })
  })

  it('create: the second service failing removes the first new container; nothing running is touched', async () => {
    const { w, mark } = await deployedOnce({ a: 'app:1', b: 'app:1' })
    // The second create of this deploy fails.
    engine.fail('POST', /^\/containers\/create$/, 500, 1, 1)
    const deploy = rig.dispatcher.deploy(w.id, 'redeploy')
    expect(await deployFails(deploy)).toBe('create_failed')
    const seen = calls(engine, mark)
    expect(seen.filter((c) => c.startsWith('create'))).toEqual(['create web-a-new', 'create web-b-new'])
    expect(seen.filter((c) => !c.startsWith('create'))).toEqual(['remove web-a-new'])
    expect(running('web-a') && running('web-b')).toBe(true)
    expect([...engine.containers.values()].map((c) => c.name).sort()).toEqual(['web-a', 'web-b'])
  })

  it('switch: a new container that exits at once puts every service back, newest undo first, the new one down before the old one starts', async () => {
    const { w, mark } = await deployedOnce({ a: 'app:1', b: 'app:1' })
    engine.behaviour.onStart = (c) => (/^web-b-[0-9a-f]{8}$/.test(c.name) ? { exitCode: 1 } : 'running')
    expect(await deployFails(rig.dispatcher.deploy(w.id, 'redeploy'))).toBe('start_failed')
    expect(calls(engine, mark)).toEqual([
      'create web-a-new',
      'create web-b-new',
      'stop web-a',
      'start web-a-new',
      'stop web-b',
      'start web-b-new',
      // unwound, newest first
      'remove web-b-new',
      'start web-b',
      'remove web-a-new',
      'start web-a',
      'remove web-b-new',
      'remove web-a-new',
    ])
    expect(running('web-a') && running('web-b')).toBe(true)
    expect(engine.containers.size).toBe(2)
    expect(rig.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
  })

  it('pre-deploy snapshot: the old container it stopped is owed a start, and gets it when the deploy fails', async () => {
    const { w, mark } = await deployedOnce({ app: 'app:1' }, true)
    let quiesced = false
    rig.dispatcher.setPreDeployHook({
      snapshot: async (_workload, context) => {
        await context.quiesce()
        quiesced = true
        expect(running('web-app')).toBe(false)
        expect(rig.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 1 })
        return { snapshotId: 'snap-1' }
      },
    })
    engine.behaviour.onStart = (c) => (/-[0-9a-f]{8}$/.test(c.name) ? { exitCode: 2 } : 'running')
    expect(await deployFails(rig.dispatcher.deploy(w.id, 'redeploy'))).toBe('start_failed')
    expect(quiesced).toBe(true)
    expect(calls(engine, mark)).toEqual([
      'stop web-app',
      'create web-app-new',
      'stop web-app',
      'start web-app-new',
      'remove web-app-new',
      'start web-app',
      'remove web-app-new',
      'start web-app',
    ])
    expect(running('web-app')).toBe(true)
    expect(rig.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
  })

  it('pre-deploy snapshot: a deploy that succeeds after it does not mistake the stopped old container for a failure', async () => {
    const { w } = await deployedOnce({ app: 'app:1' }, true)
    rig.dispatcher.setPreDeployHook({
      snapshot: async (_workload, context) => {
        await context.quiesce()
        return { snapshotId: 'snap-1' }
      },
    })
    for (const reason of ['redeploy', 'deploy'] as const) {
      const record = await rig.dispatcher.deploy(w.id, reason)
      expect(record).toMatchObject({ status: 'success', preDeploySnapshot: 'taken', snapshotId: 'snap-1' })
      expect(running('web-app')).toBe(true)
    }
    const first = rig.history.list(w.id).at(-1)
    const back = await rig.dispatcher.rollback(w.id, first?.id ?? '')
    expect(back.status).toBe('success')
    expect(running('web-app')).toBe(true)
    expect(engine.containers.size).toBe(1)
  })

  it('an undo that fails: the others still run, and the old container it could not start stays owed a start', async () => {
    const { w, mark } = await deployedOnce({ app: 'app:1' })
    const old = engine.container('web-app')?.id ?? ''
    engine.behaviour.onStart = (c) => (/-[0-9a-f]{8}$/.test(c.name) ? { exitCode: 1 } : 'running')
    // Putting the old container back fails too.
    engine.fail('POST', new RegExp(`^/containers/${old}/start$`), 500, 1)
    expect(await deployFails(rig.dispatcher.deploy(w.id, 'redeploy'))).toBe('start_failed')
    expect(calls(engine, mark)).toEqual([
      'create web-app-new',
      'stop web-app',
      'start web-app-new',
      'remove web-app-new',
      'start web-app',
      'remove web-app-new',
    ])
    expect(running('web-app')).toBe(false)
    expect(rig.quiesced.pending('local').map((o) => o.containerId)).toEqual([engine.container('web-app')?.id])
  })
})

describe('the crash repair', () => {
  it('waits for a stop the crash cut short, then starts the app, and clears its journal only once it runs', async () => {
    const { w } = await deployedOnce({ app: 'app:1' })
    const id = engine.container('web-app')?.id ?? ''
    // A stop asked for just before the "crash": the engine goes on with it for 1.5 s.
    engine.behaviour.stopDelayMs = () => 1500
    rig.quiesced.record('local', w.id, id, Date.now())
    const stopping = fetchStop(engine, id)
    await new Promise((r) => setTimeout(r, 100))
    expect(running('web-app')).toBe(true)
    const started = Date.now()
    const result = await rig.dispatcher.recoverQuiesced('local')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200)
    await stopping
    expect(result).toEqual({ running: [w.id], down: [] })
    expect(running('web-app')).toBe(true)
    expect(rig.quiesced.pending('local')).toEqual([])
  })

  it('keeps its journal when the app does not stay up, and says so', async () => {
    const { w } = await deployedOnce({ app: 'app:1' })
    const id = engine.container('web-app')?.id ?? ''
    rig.quiesced.record('local', w.id, id, Date.now() - 60_000)
    engine.exit('web-app')
    engine.behaviour.onStart = () => ({ exitCode: 1 })
    expect(await rig.dispatcher.recoverQuiesced('local')).toEqual({ running: [], down: [w.id] })
    expect(rig.quiesced.pending('local')).toHaveLength(1)
  })

  it('removes the containers of a deploy cut short and starts the live ones it had stopped', async () => {
    const { w } = await deployedOnce({ app: 'app:1' })
    const live = engine.container('web-app')?.id ?? ''
    // A redeploy that died after creating its container and stopping the old one.
    const cut = rig.history.begin(w.id, 'redeploy')
    rig.history.markInterrupted()
    engine.addImage('app:1')
    engine.containers.set('f'.repeat(64), {
      id: 'f'.repeat(64),
      name: `web-app-${cut.slice(0, 8)}`,
      image: 'app:1',
      config: { Labels: { 'io.slipway.workload': w.id, 'io.slipway.service': 'app', 'io.slipway.deploy': cut } },
      running: true,
      exitCode: 0,
      created: 9_999,
      stopping: null,
    })
    engine.exit('web-app')
    rig.quiesced.record('local', w.id, live, Date.now() - 60_000)
    expect(await rig.dispatcher.recoverQuiesced('local')).toEqual({ running: [w.id], down: [] })
    expect([...engine.containers.values()].map((c) => `${c.name}:${c.running}`)).toEqual(['web-app:true'])
  })
})

describe('a multi-service deploy against the mock engine', () => {
  const stack = () =>
    rig.store.create(
      'local',
      workloadFields({
        name: 'shop',
        snapshotBeforeDeploy: false,
        networks: [{ name: 'shop_back' }],
        services: [
          { ...service('web', 'app:1'), dependsOn: [{ service: 'api' }] },
          { ...service('api', 'app:1'), networks: [{ network: 'shop_back' }, { network: 'shop_default' }] },
          { ...service('db', 'app:1'), networks: [{ network: 'shop_back' }] },
        ].map((s) => (s.name === 'api' ? { ...s, dependsOn: [{ service: 'db' }] } : s)),
      }),
    )

  it('makes the networks first, creates and starts in dependency order, joins the extra networks before start', async () => {
    const w = await stack()
    await rig.dispatcher.deploy(w.id, 'deploy')
    const api = engine.container('shop-api')?.id ?? ''
    expect(calls(engine)).toEqual([
      'network-create shop_default',
      'network-create shop_back',
      'create shop-db-new',
      'create shop-api-new',
      'connect shop_default',
      'create shop-web-new',
      'start shop-db-new',
      'start shop-api-new',
      'start shop-web-new',
      'rename shop-db-new',
      'rename shop-api-new',
      'rename shop-web-new',
    ])
    const byName = new Map([...engine.networks.values()].map((n) => [n.Name, n]))
    expect(Object.keys(byName.get('shop_default')?.Containers ?? {})).toEqual([api])
    expect(byName.get('shop_back')?.Labels).toEqual({ 'io.slipway.workload': w.id })
  })

  it('a start that fails puts back exactly what this deploy changed: its containers, then its networks', async () => {
    const w = await stack()
    engine.fail('POST', /^\/containers\/[^/]+\/start$/, 500, 1, 1)
    expect(await deployFails(rig.dispatcher.deploy(w.id, 'deploy'))).toBe('start_failed')
    const after = calls(engine).slice(8)
    // The switch takes each started one down first (to free its ports), the create undo then owns all three.
    expect(new Set(after.filter((c) => c.startsWith('remove')))).toEqual(
      new Set(['remove shop-db-new', 'remove shop-api-new', 'remove shop-web-new']),
    )
    expect(after.slice(-2).every((c) => c.startsWith('network-remove'))).toBe(true)
    expect(engine.containers.size).toBe(0)
    expect(engine.networks.size).toBe(0)
  })

  it('leaves networks that were there in place, and removes its own that the new spec no longer names', async () => {
    const w = await stack()
    await rig.dispatcher.deploy(w.id, 'deploy')
    const alone = workloadFields({ name: 'shop', snapshotBeforeDeploy: false, services: [service('web', 'app:1')] })
    await rig.store.update(w.id, alone)
    const mark = engine.lifecycle().length
    await rig.dispatcher.deploy(w.id, 'redeploy')
    expect(calls(engine, mark).filter((c) => c.startsWith('network'))).toHaveLength(2)
    expect(calls(engine, mark).some((c) => c.startsWith('network-create'))).toBe(false)
    expect(engine.networks.size).toBe(0)
  })
})

function service(name: string, image: string) {
  return serviceSpec({ name, image, command: null, env: [], ports: [], volumes: [], restart: 'no' })
}

/** A stop request sent straight to the mock engine, as a process that then died would have. */
async function fetchStop(engine: MockEngine, id: string): Promise<void> {
  const { request } = await import('node:http')
  await new Promise<void>((resolve, reject) => {
    const req = request(
      { socketPath: engine.socketPath, path: `/containers/${id}/stop?t=10`, method: 'POST' },
      (res) => {
        res.resume()
        res.on('end', resolve)
      },
    )
    req.on('error', reject)
    req.end()
  })
}
