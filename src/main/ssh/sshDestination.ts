import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SshHostSettings } from '../hosts/hostRegistry'
import type { SshEnvironment } from './sshEnvironment'
import { listAliases, loadSshConfig, resolveSshConfig, type SshConfigBlock } from './sshConfig'

export interface SshDestination {
  readonly host: string
  readonly port: number
  readonly user: string
  /** From ~/.ssh/config, else OpenSSH's default key names. */
  readonly configIdentityFiles: readonly string[]
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa']

function readConfig(env: SshEnvironment): SshConfigBlock[] {
  return loadSshConfig(
    env.sshConfigPath,
    {
      readFile: (path) => {
        try {
          return readFileSync(path, 'utf8')
        } catch {
          return null
        }
      },
      listDir: (path) => {
        try {
          return readdirSync(path)
        } catch {
          return null
        }
      },
    },
    env.homeDir,
  )
}

export function expandHome(path: string, homeDir: string): string {
  return path === '~' ? homeDir : path.startsWith('~/') ? join(homeDir, path.slice(2)) : path
}

/**
 * Where to connect, the way `ssh <alias>` would: ~/.ssh/config applies to the alias (or the
 * hostname typed), and any field the user set explicitly on the host wins over it.
 */
export function resolveDestination(settings: SshHostSettings, env: SshEnvironment): SshDestination {
  const name = settings.alias ?? settings.hostname ?? ''
  const resolved = resolveSshConfig(readConfig(env), name, { homeDir: env.homeDir, localUser: env.localUser })
  const configIdentityFiles =
    resolved.identityFiles.length > 0 ? resolved.identityFiles : DEFAULT_KEYS.map((k) => join(env.homeDir, '.ssh', k))
  return {
    host:
      settings.alias !== null && settings.hostname === null
        ? resolved.hostname
        : (settings.hostname ?? resolved.hostname),
    port: settings.port ?? resolved.port,
    user: settings.user ?? resolved.user,
    configIdentityFiles,
  }
}

export function sshAliases(env: SshEnvironment): string[] {
  return listAliases(readConfig(env))
}
