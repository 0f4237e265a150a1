import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { Logger } from '../log'
import type { SecretStore } from './ports'

/**
 * Secrets in a 0600 JSON file: only for the dev-web harness and tests, where Electron's
 * safeStorage does not exist. It is not encrypted, and says so in the log once.
 */
export function createFileSecretStore(path: string, log: Logger): SecretStore {
  log.warn('secrets are stored unencrypted in a 0600 file (dev-web harness only)', { path })

  const read = (): Record<string, string> =>
    existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {}

  const write = (data: Record<string, string>): void => {
    const tmp = `${path}.tmp`
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, path)
  }

  return {
    protection: 'file',
    get: async (key) => read()[key] ?? null,
    set: async (key, value) => write({ ...read(), [key]: value }),
    delete: async (key) => {
      write(Object.fromEntries(Object.entries(read()).filter(([name]) => name !== key)))
    },
  }
}
