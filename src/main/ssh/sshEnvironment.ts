import { join } from 'node:path'

/** Where the user's OpenSSH and Docker CLI configuration lives (a temp home in tests). */
export interface SshEnvironment {
  readonly homeDir: string
  readonly localUser: string
  /** SSH_AUTH_SOCK, if an agent runs. */
  readonly agentSocket: string | null
  readonly sshConfigPath: string
  readonly knownHostsFiles: readonly string[]
  readonly dockerConfigDir: string
}

export function sshEnvironment(homeDir: string, env: Readonly<Record<string, string | undefined>>): SshEnvironment {
  const agent = env['SSH_AUTH_SOCK']
  return {
    homeDir,
    localUser: env['USER'] ?? env['LOGNAME'] ?? 'root',
    agentSocket: agent === undefined || agent === '' ? null : agent,
    sshConfigPath: join(homeDir, '.ssh/config'),
    knownHostsFiles: [join(homeDir, '.ssh/known_hosts'), join(homeDir, '.ssh/known_hosts2')],
    dockerConfigDir: env['DOCKER_CONFIG'] ?? join(homeDir, '.docker'),
  }
}
