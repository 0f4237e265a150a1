import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { REJECTION_CORPUS } from '../helpers/archiveCorpus'
import { docker, importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { buildTree, databaseLikeTree, readTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()
// Cases that need a tighter cap than a restore derives from the manifest are covered by the extractor's own tests.
const CASES = REJECTION_CORPUS.filter((c) => c.limits === undefined)

describe('malicious archives in place of a snapshot', () => {
  let instance: Instance
  let workloadId = ''
  let snapshot: SnapshotSummary
  let bind = ''
  let before: ReturnType<typeof readTree>
  let containers = ''
  let canary = ''

  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
    canary = mkdtempSync(join(tmpdir(), 'restore-canary-'))
    bind = join(mkdtempSync(join(tmpdir(), 'restore-evil-')), 'data')
    buildTree(bind, databaseLikeTree('evil'))
    const w = await deployedWorkload(instance, 'local', 'evil-target', [
      { kind: 'bind', source: bind, target: '/data' },
    ])
    workloadId = w.id
    snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'live', label: null }),
    )
    before = readTree(bind, { rootAttributes: true })
    containers = docker('ps', '-q', '--no-trunc', '--filter', `label=io.slipway.workload=${workloadId}`)
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  it('has a corpus to run', () => {
    expect(CASES.length).toBeGreaterThan(50)
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s is refused before anything stops', async (_name, corpusCase) => {
    const evil = await corpusCase.build({ canary, canaryFromRoot: '../canary' })
    writeFileSync(join(instance.dataDir, 'snapshots', snapshot.id, 'vol-0.tar.gz'), evil)
    // The manifest is made to vouch for the evil archive, so its hash check passes and the extractor decides.
    const manifest = JSON.parse(
      (
        instance.slipway.db.prepare('SELECT manifest FROM snapshots WHERE id = ?').get(snapshot.id) as {
          manifest: string
        }
      ).manifest,
    ) as { volumes: { sha256: string; archiveBytes: number }[] }
    const first = manifest.volumes[0]
    if (first === undefined) throw new Error('no volume')
    first.sha256 = createHash('sha256').update(evil).digest('hex')
    first.archiveBytes = evil.length
    instance.slipway.db
      .prepare('UPDATE snapshots SET manifest = ? WHERE id = ?')
      .run(JSON.stringify(manifest), snapshot.id)

    const result = await instance.slipway.router.invoke('restore.start', {
      workloadId,
      snapshotId: snapshot.id,
      confirm: snapshot.id,
    })
    expect(result.ok).toBe(false)
    // Nothing stopped, nothing changed, nothing left behind.
    expect(docker('ps', '-q', '--no-trunc', '--filter', `label=io.slipway.workload=${workloadId}`)).toBe(containers)
    expect(readTree(bind, { rootAttributes: true })).toEqual(before)
    expect(readdirSync(dirname(bind)).filter((n) => n.includes('slipway'))).toEqual([])
    expect(readdirSync(canary)).toEqual([])
  })
})
