import { readFile } from 'node:fs/promises'
import { utils, type AgentAuthMethod, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2'
import { AppError } from '../errors'

export type AuthStep = AgentAuthMethod | PublicKeyAuthMethod

export interface AuthInput {
  readonly username: string
  /** The key the user chose for this host: failing to read or decrypt it is an error. */
  readonly identityFile: string | null
  /** Keys from ~/.ssh/config or the OpenSSH defaults: tried when present and readable, else skipped. */
  readonly fallbackIdentityFiles: readonly string[]
  readonly passphrase: string | null
  /** SSH_AUTH_SOCK, when the host uses the agent. */
  readonly agentSocket: string | null
}

/**
 * The ordered authentication attempts for one connection, with every key parsed up front so a
 * wrong passphrase is reported as AUTH_FAILED before the server is even contacted.
 */
export async function planAuthentication(input: AuthInput): Promise<AuthStep[]> {
  const steps: AuthStep[] = []
  if (input.agentSocket !== null) steps.push({ type: 'agent', username: input.username, agent: input.agentSocket })

  if (input.identityFile !== null) {
    const key = await loadKey(input.identityFile, input.passphrase)
    if (key instanceof Error) {
      throw new AppError('AUTH_FAILED', 'identity file unusable', {
        details: { reason: key.message.includes('passphrase') ? 'passphrase' : 'key' },
        cause: key,
      })
    }
    steps.push({ type: 'publickey', username: input.username, key })
  }

  for (const file of input.fallbackIdentityFiles) {
    if (file === input.identityFile) continue
    const key = await loadKey(file, input.passphrase)
    if (!(key instanceof Error)) steps.push({ type: 'publickey', username: input.username, key })
  }

  if (steps.length === 0) {
    throw new AppError('AUTH_FAILED', 'no usable key or agent', { details: { reason: 'no-method' } })
  }
  return steps
}

async function loadKey(path: string, passphrase: string | null): Promise<ParsedKey | Error> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (error) {
    return error instanceof Error ? error : new Error('unreadable key')
  }
  const parsed = passphrase === null ? utils.parseKey(data) : utils.parseKey(data, passphrase)
  if (parsed instanceof Error) {
    const needsPassphrase = /encrypted|decrypt|passphrase/i.test(parsed.message)
    return new Error(needsPassphrase ? 'passphrase' : 'key', { cause: parsed })
  }
  const keys: readonly ParsedKey[] = Array.isArray(parsed) ? (parsed as ParsedKey[]) : [parsed]
  return keys[0] ?? new Error('key')
}
