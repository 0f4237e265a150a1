import { imageRefSchema } from '../../shared/schema'
import type { EngineRoles } from '../docker/engine'
import { AppError } from '../errors'
import type { SettingsStore } from '../settings/settingsStore'
import { currentByService, labelledContainers } from '../workloads/dispatch/workloadContainers'
import type { WorkloadRecord } from '../workloads/workloadStore'

const settingKey = (hostId: string): string => `helperImage:${hostId}`

/**
 * The one rule for the image Slipway's helper containers run on a host (capture reads through it,
 * restore runs its folder steps in it, so it needs /bin/sh and the usual tools; busybox is enough):
 * the host's own setting, else the image a container of the workload runs now, else the
 * workload's first image if the host has it.
 */
export class HelperImages {
  constructor(private readonly settings: SettingsStore) {}

  configured(hostId: string): string | null {
    return this.settings.get(settingKey(hostId), imageRefSchema) ?? null
  }

  /** Sets (or with null clears) the host's helper image, once it is known to be there and to have a shell. */
  async configure(hostId: string, engine: EngineRoles, image: string | null): Promise<void> {
    if (image === null) {
      this.settings.delete(settingKey(hostId))
      return
    }
    const found = await engine.inspector.inspectImage(image)
    if (found === null) {
      throw new AppError('BAD_INPUT', 'no such image on the host', { details: { field: 'image', reason: 'missing' } })
    }
    const shell = await engine.helpers.runScript(found.Id, [], 'exit 0').catch(() => null)
    if (shell?.exitCode !== 0) {
      throw new AppError('BAD_INPUT', 'the image has no usable /bin/sh', {
        details: { field: 'image', reason: 'no_shell' },
      })
    }
    this.settings.set(settingKey(hostId), image)
  }

  async forWorkload(engine: EngineRoles, workload: WorkloadRecord): Promise<string> {
    const configured = this.configured(workload.hostId)
    if (configured !== null) return configured
    const running = [...currentByService(await labelledContainers(engine.inspector, workload.id)).values()][0]
    if (running !== undefined) return running.imageId
    for (const service of workload.services) {
      const image = await engine.inspector.inspectImage(service.image)
      if (image !== null) return image.Id
    }
    throw new AppError('CONFLICT', 'no image to work on the host with', { details: { reason: 'no_helper_image' } })
  }

  forget(hostId: string): void {
    this.settings.delete(settingKey(hostId))
  }
}
