/**
 * Slipway killed just after it asked the engine to stop an app that takes seconds to exit (as a
 * database with clients does): the engine goes on stopping it after the process is gone. Started
 * again at once, Slipway must wait for that stop to end, start the app, and tell the truth.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { runChild } from '../helpers/childProcess'
import { docker, importedImage } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
/** Exits 4 s after SIGTERM, well inside the engine's 10 s stop timeout. */
const SLOW_TO_STOP = ['/bin/sh', '-c', "trap 'sleep 4; exit 0' TERM; sleep 3600 & wait"]
const KILL_AFTER_STOP_MS = 300

const running = (workloadId: string): string =>
  docker('ps', '-q', '--filter', `label=io.slipway.workload=${workloadId}`)

async function slowApp(
  name: string,
): Promise<{ dataDir: string; homeDir: string; bind: string; setup: Instance; workloadId: string }> {
  importedImage('slipway-test/app:a', 'A')
  const dataDir = tempDir(`${name}-data-`)
  const homeDir = tempDir(`${name}-home-`)
  const bind = join(tempDir(`${name}-bind-`), 'data')
  buildTree(bind, databaseLikeTree(name))
  const setup = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
  const w = await deployedWorkload(setup, 'local', name, [{ kind: 'bind', source: bind, target: '/data' }], {
    command: SLOW_TO_STOP,
  })
  return { dataDir, homeDir, bind, setup, workloadId: w.id }
}

describe('Slipway killed while the engine is still stopping a slow app', () => {
  it('during a restore: the next start waits for the stop, starts the app, and the record says reverted', async () => {
    const { dataDir, homeDir, bind, setup, workloadId } = await slowApp('slowstop-restore')
    const snapshot = value<SnapshotSummary>(
      await setup.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'live', label: null }),
    )
    writeFileSync(join(bind, 'config.yml'), 'changed after the snapshot\n')
    const before = readTree(bind, { rootAttributes: true })
    await setup.slipway.stop()

    const outcome = await runChild('restoreChild', {
      dataDir,
      homeDir,
      dockerHost: env.dockerHost,
      workloadId,
      snapshotId: snapshot.id,
      killAfterStopMs: KILL_AFTER_STOP_MS,
    })
    expect(outcome).toBe('SIGKILL')
    // The engine is still stopping it: running now, about to exit.
    expect(running(workloadId)).not.toBe('')

    const restarted = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    try {
      expect(running(workloadId)).not.toBe('')
      // Still up a moment later: it was started after its stop ended, not seen running just before it.
      await new Promise((r) => setTimeout(r, 5_000))
      expect(running(workloadId)).not.toBe('')
      const [record] = value<RestoreRecord[]>(await restarted.slipway.router.invoke('restore.list', { workloadId }))
      expect(record).toMatchObject({ outcome: 'reverted', recovered: true, errorCode: 'interrupted' })
      expect(readTree(bind, { rootAttributes: true })).toEqual(before)
      expect(readdirSync(dirname(bind)).filter((n) => n.includes('slipway'))).toEqual([])
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    } finally {
      await restarted.close()
    }
  })

  it('during a stop-mode capture: the next start waits for the stop, starts the app, and keeps no snapshot', async () => {
    const { dataDir, homeDir, setup, workloadId } = await slowApp('slowstop-capture')
    await setup.slipway.stop()

    const outcome = await runChild('captureChild', {
      dataDir,
      homeDir,
      dockerHost: env.dockerHost,
      workloadId,
      killAfterStopMs: KILL_AFTER_STOP_MS,
    })
    expect(outcome).toBe('SIGKILL')
    expect(running(workloadId)).not.toBe('')

    const restarted = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    try {
      await new Promise((r) => setTimeout(r, 5_000))
      expect(running(workloadId)).not.toBe('')
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 })
      expect(readdirSync(join(dataDir, 'snapshots'))).toEqual([])
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    } finally {
      await restarted.close()
    }
  })

  it('during a pause-mode capture: the next start thaws the app, and keeps no snapshot', async () => {
    importedImage('slipway-test/app:a', 'A')
    const dataDir = tempDir('pausecrash-data-')
    const homeDir = tempDir('pausecrash-home-')
    const big = tempDir('pausecrash-big-')
    execFileSync('dd', ['if=/dev/urandom', `of=${join(big, 'blob')}`, 'bs=1M', 'count=256'], { stdio: 'ignore' })
    const setup = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    const w = await deployedWorkload(setup, 'local', 'pausecrash', [{ kind: 'bind', source: big, target: '/big' }])
    await setup.slipway.stop()
    const id = running(w.id)

    const outcome = await runChild('captureChild', {
      dataDir,
      homeDir,
      dockerHost: env.dockerHost,
      workloadId: w.id,
      mode: 'pause',
      killAfterStopMs: KILL_AFTER_STOP_MS,
    })
    expect(outcome).toBe('SIGKILL')
    // Killed mid-read: the app is left frozen.
    expect(docker('inspect', '--format', '{{.State.Paused}}', id)).toBe('true')

    const restarted = await startInstance({ dockerHost: env.dockerHost, dataDir, homeDir })
    try {
      expect(docker('inspect', '--format', '{{.State.Paused}} {{.State.Running}}', id)).toBe('false true')
      expect(running(w.id)).toBe(id)
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 })
      expect(restarted.slipway.db.prepare('SELECT COUNT(*) AS n FROM quiesced_containers').get()).toEqual({ n: 0 })
    } finally {
      await restarted.close()
    }
  })
})
