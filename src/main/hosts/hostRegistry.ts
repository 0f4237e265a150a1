import type { HostKind, SshSettings } from '../../shared/types/hosts'
import type { Db } from '../store/database'

/** The stored SSH settings are exactly what the renderer sees (the passphrase is never in them). */
export type SshHostSettings = SshSettings

export interface HostRecord {
  readonly id: string
  readonly name: string
  readonly kind: HostKind
  /** Present exactly for kind 'ssh'. */
  readonly ssh: SshHostSettings | null
}

interface Row {
  id: string
  name: string
  kind: HostKind
  ssh_alias: string | null
  ssh_hostname: string | null
  ssh_port: number | null
  ssh_user: string | null
  ssh_identity_file: string | null
  ssh_use_agent: number
  ssh_has_passphrase: number
  socket_path: string
}

function toRecord(row: Row): HostRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    ssh:
      row.kind === 'ssh'
        ? {
            alias: row.ssh_alias,
            hostname: row.ssh_hostname,
            port: row.ssh_port,
            user: row.ssh_user,
            identityFile: row.ssh_identity_file,
            useAgent: row.ssh_use_agent === 1,
            hasPassphrase: row.ssh_has_passphrase === 1,
            socketPath: row.socket_path,
          }
        : null,
  }
}

const COLUMNS = `id, name, kind, ssh_alias, ssh_hostname, ssh_port, ssh_user, ssh_identity_file,
  ssh_use_agent, ssh_has_passphrase, socket_path`

/** The hosts table. Secrets are not here: passphrases live in the secret store. */
export class HostRegistry {
  constructor(private readonly db: Db) {}

  list(): HostRecord[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM hosts ORDER BY kind = 'ssh', name, id`).all() as Row[]
    return rows.map(toRecord)
  }

  find(id: string): HostRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM hosts WHERE id = ?`).get(id) as Row | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  addSsh(id: string, name: string, ssh: SshHostSettings): HostRecord {
    this.db
      .prepare(
        `INSERT INTO hosts (id, name, kind, created_at, ssh_alias, ssh_hostname, ssh_port, ssh_user,
           ssh_identity_file, ssh_use_agent, ssh_has_passphrase, socket_path)
         VALUES (?, ?, 'ssh', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, name, new Date().toISOString(), ...sshValues(ssh))
    return this.require(id)
  }

  updateSsh(id: string, name: string, ssh: SshHostSettings): HostRecord {
    this.db
      .prepare(
        `UPDATE hosts SET name = ?, ssh_alias = ?, ssh_hostname = ?, ssh_port = ?, ssh_user = ?,
           ssh_identity_file = ?, ssh_use_agent = ?, ssh_has_passphrase = ?, socket_path = ?
         WHERE id = ? AND kind = 'ssh'`,
      )
      .run(name, ...sshValues(ssh), id)
    return this.require(id)
  }

  remove(id: string): void {
    this.db.prepare(`DELETE FROM hosts WHERE id = ? AND kind = 'ssh'`).run(id)
  }

  private require(id: string): HostRecord {
    const record = this.find(id)
    if (record === undefined) throw new Error(`host ${id} vanished`)
    return record
  }
}

function sshValues(ssh: SshHostSettings): (string | number | null)[] {
  return [
    ssh.alias,
    ssh.hostname,
    ssh.port,
    ssh.user,
    ssh.identityFile,
    ssh.useAgent ? 1 : 0,
    ssh.hasPassphrase ? 1 : 0,
    ssh.socketPath,
  ]
}
