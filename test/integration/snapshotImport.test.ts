/**
 * Import treats the chosen path and the file as untrusted: only a regular file, never read past
 * what its manifest says; and an imported snapshot's files lose setuid/setgid when restored unless
 * the user keeps them on purpose.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, copyFileSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRecord } from '../../src/shared/types/restore'
import type { SnapshotSummary } from '../../src/shared/types/snapshots'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance, type Instance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('importing a snapshot file', () => {
  let instance: Instance
  let exported = ''
  let bind = ''
  let workloadId = ''
  let snapshotId = ''
  beforeAll(async () => {
    importedImage('slipway-test/app:a', 'A')
    instance = await startInstance({ dockerHost: env.dockerHost })
    bind = join(mkdtempSync(join(tmpdir(), 'import-src-')), 'data')
    buildTree(bind, {
      'plain.txt': { type: 'file', content: 'plain\n' },
      bin: { type: 'dir', mode: 0o755 },
      'bin/tool': { type: 'file', content: '#!/bin/sh\n', mode: 0o4755 },
      'bin/group-tool': { type: 'file', content: '#!/bin/sh\n', mode: 0o2755 },
      shared: { type: 'dir', mode: 0o2775 },
    })
    const w = await deployedWorkload(instance, 'local', 'import-me', [{ kind: 'bind', source: bind, target: '/data' }])
    workloadId = w.id
    const snapshot = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.capture', { workloadId, mode: 'live', label: null }),
    )
    snapshotId = snapshot.id
    exported = value<{ path: string }>(
      await instance.slipway.router.invoke('snapshots.export', {
        snapshotId,
        destination: mkdtempSync(join(tmpdir(), 'import-export-')),
      }),
    ).path
    value(await instance.slipway.router.invoke('snapshots.delete', { snapshotId }))
  })
  afterAll(async () => {
    removeWorkloadContainers()
    await instance.close()
  })

  async function refusedAtOnce(path: string): Promise<unknown> {
    const started = Date.now()
    const result = await instance.slipway.router.invoke('snapshots.import', { path })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(result.ok).toBe(false)
    return result.ok ? null : result.error
  }

  it('refuses a device, a FIFO and a folder at once, reading nothing', async () => {
    expect(await refusedAtOnce('/dev/zero')).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'not_a_file' } })
    const fifo = join(tempDir('import-fifo-'), 'pipe')
    execFileSync('mkfifo', [fifo])
    expect(await refusedAtOnce(fifo)).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'not_a_file' } })
    expect(await refusedAtOnce(tempDir('import-dir-'))).toMatchObject({ details: { reason: 'not_a_file' } })
    expect(await refusedAtOnce('/no/such/file.slipway.tar')).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('refuses a file larger than its manifest says at once, before reading the rest', async () => {
    const bigger = join(tempDir('import-big-'), 'bigger.slipway.tar')
    copyFileSync(exported, bigger)
    appendFileSync(bigger, Buffer.alloc(8 * 1024 * 1024))
    expect(statSync(bigger).size).toBeGreaterThan(statSync(exported).size)
    expect(await refusedAtOnce(bigger)).toMatchObject({ code: 'BAD_INPUT', details: { rule: 'too_large' } })
    const rows = instance.slipway.db.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE id = ?').get(snapshotId)
    expect(rows).toEqual({ n: 0 })
  })

  it('restores an imported snapshot without setuid/setgid on its files, unless asked to keep them', async () => {
    const imported = value<SnapshotSummary>(
      await instance.slipway.router.invoke('snapshots.import', { path: exported }),
    )
    expect(imported).toMatchObject({ id: snapshotId, origin: 'import', workloadId })
    const modes = (): Record<string, string> => ({
      tool: (statSync(join(bind, 'bin/tool')).mode & 0o7777).toString(8),
      groupTool: (statSync(join(bind, 'bin/group-tool')).mode & 0o7777).toString(8),
      shared: (statSync(join(bind, 'shared')).mode & 0o7777).toString(8),
      plain: (statSync(join(bind, 'plain.txt')).mode & 0o7777).toString(8),
    })
    const stripped = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', { workloadId, snapshotId, confirm: snapshotId }),
    )
    expect(stripped.outcome).toBe('restored')
    // Files lose the bits; a folder's setgid (group inheritance) is not a privilege and stays.
    expect(modes()).toEqual({ tool: '755', groupTool: '755', shared: '2775', plain: '644' })

    const kept = value<RestoreRecord>(
      await instance.slipway.router.invoke('restore.start', {
        workloadId,
        snapshotId,
        confirm: snapshotId,
        keepSetid: true,
      }),
    )
    expect(kept.outcome).toBe('restored')
    expect(modes()).toEqual({ tool: '4755', groupTool: '2755', shared: '2775', plain: '644' })
  })
})
