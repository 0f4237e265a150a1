import { posix } from 'node:path'
import type { EngineInspector } from '../docker/engine'
import { isDataMount } from '../../shared/serviceSpec'
import { AppError } from '../errors'
import type { Manifest } from '../snapshots/manifest'
import type { WorkloadRecord } from '../workloads/workloadStore'
import { siblingNames, type RestoreTarget } from './restorePlan'

const refuse = (reason: string, details: Record<string, string | number> = {}): AppError =>
  new AppError('CONFLICT', `restore pre-flight: ${reason}`, { details: { reason, ...details } })

/**
 * Where each snapshot volume goes, resolved from the workload's CURRENT config by the container
 * path it is mounted at. The manifest's recorded sources are never used: it is untrusted. All or
 * nothing: one volume that no longer resolves refuses the whole restore.
 */
export async function resolveTargets(
  engine: EngineInspector,
  workload: WorkloadRecord,
  manifest: Manifest,
  restoreId: string,
): Promise<Omit<RestoreTarget, 'root'>[]> {
  if (manifest.volumes.length === 0) throw refuse('no_volumes')
  let dockerRoot: string | null = null
  const targets: Omit<RestoreTarget, 'root'>[] = []
  for (const volume of manifest.volumes) {
    let match: { service: string; target: string; kind: 'bind' | 'volume'; source: string } | null = null
    for (const mount of volume.mounts) {
      const service = workload.services.find((s) => s.name === mount.service)
      const current = service?.volumes.filter(isDataMount).find((v) => v.target === mount.target)
      if (service !== undefined && current !== undefined) {
        match = { service: service.name, target: current.target, kind: current.kind, source: current.source }
        break
      }
    }
    if (match === null) throw refuse('config_drift', { target: volume.mounts[0]?.target ?? '' })

    let live: string
    if (match.kind === 'bind') {
      live = match.source
      if (!posix.isAbsolute(live) || posix.normalize(live) !== live || live === '/' || live.endsWith('/')) {
        throw refuse('unsupported_volume', { target: match.target })
      }
    } else {
      const info = await engine.inspectVolume(match.source)
      if (info === null) throw refuse('config_drift', { target: match.target })
      const options = (info.Options ?? {}) as Record<string, string>
      if (info.Driver !== 'local' || Object.keys(options).length > 0)
        throw refuse('unsupported_volume', { target: match.target })
      dockerRoot ??= (await engine.info()).DockerRootDir ?? ''
      // Base-relative: the folder must be exactly the local driver's, inside the engine's root.
      const expected = posix.join(dockerRoot, 'volumes', match.source, '_data')
      if (info.Mountpoint !== expected || !expected.startsWith(`${dockerRoot}/volumes/`)) {
        throw refuse('unsupported_volume', { target: match.target })
      }
      live = expected
    }
    const base = posix.basename(live)
    if (base.startsWith('.') && base.includes('.slipway-')) throw refuse('unsupported_volume', { target: match.target })
    const { staging, old } = siblingNames(base, restoreId)
    targets.push({
      index: volume.index,
      service: match.service,
      target: match.target,
      kind: match.kind,
      live,
      parent: posix.dirname(live),
      base,
      staging,
      old,
      bytes: volume.bytes,
    })
  }
  const lives = new Set(targets.map((t) => t.live))
  if (lives.size !== targets.length) throw refuse('unsupported_volume', { target: 'duplicate' })
  return targets
}
