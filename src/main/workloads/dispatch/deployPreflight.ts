/**
 * What a deploy needs before it records anything or touches the engine: every env value (secrets
 * from the secret store, env files read now), and every external network and volume present.
 * A problem is BAD_INPUT naming the field, and nothing has been created.
 */
import type { EngineInspector } from '../../docker/engine'
import { AppError } from '../../errors'
import type { WorkloadRecord, WorkloadStore } from '../workloadStore'
import { parseEnvFile } from './envFile'
import { networksInUse, volumesInUse } from './workloadResources'

export type ResolvedEnv = ReadonlyMap<string, readonly { readonly name: string; readonly value: string }[]>

/** Reads a file on this computer (`~/` expanded); null when there is none. */
export type EnvFileReader = (path: string) => Promise<string | null>

export async function deployPreflight(input: {
  readonly workload: WorkloadRecord
  readonly inspector: EngineInspector
  readonly store: WorkloadStore
  readonly readEnvFile: EnvFileReader
}): Promise<ResolvedEnv> {
  const { workload, inspector } = input
  for (const network of networksInUse(workload)) {
    if (!network.external || (await inspector.inspectNetwork(network.name)) !== null) continue
    throw badInput(
      'an external network does not exist',
      `networks.${indexOf(workload.networks, network.name)}.name`,
      'external_missing',
    )
  }
  for (const volume of volumesInUse(workload)) {
    if (!volume.external || (await inspector.inspectVolume(volume.name)) !== null) continue
    throw badInput(
      'an external volume does not exist',
      `volumes.${indexOf(workload.volumes, volume.name)}.name`,
      'external_missing',
    )
  }
  const env = new Map<string, { name: string; value: string }[]>()
  for (const [i, service] of workload.services.entries()) {
    // Compose's precedence: later files over earlier ones, `environment` over every file.
    const merged = new Map<string, string>()
    for (const [j, file] of service.envFiles.entries()) {
      const field = `services.${i}.envFiles.${j}.path`
      const text = await input.readEnvFile(file.path).catch(() => {
        throw badInput('an env file cannot be read', field, 'env_file_unreadable')
      })
      if (text === null) {
        if (file.required) throw badInput('an env file does not exist', field, 'env_file_missing')
        continue
      }
      const parsed = parseEnvFile(text)
      if (!parsed.ok)
        throw new AppError('BAD_INPUT', 'an env file does not parse', {
          details: { field, reason: `env_file_${parsed.reason}`, line: parsed.line },
        })
      for (const entry of parsed.entries) merged.set(entry.name, entry.value)
    }
    for (const entry of await input.store.resolveEnv(workload.id, service)) {
      merged.delete(entry.name)
      merged.set(entry.name, entry.value)
    }
    env.set(
      service.name,
      [...merged].map(([name, value]) => ({ name, value })),
    )
  }
  return env
}

function indexOf(list: readonly { readonly name: string }[], name: string): number {
  return list.findIndex((item) => item.name === name)
}

function badInput(message: string, field: string, reason: string): AppError {
  return new AppError('BAD_INPUT', message, { details: { field, reason } })
}
