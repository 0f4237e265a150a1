import type { Migration } from '../migrate'

export const sshHosts: Migration = {
  version: 2,
  name: 'ssh hosts and trusted host keys',
  up(db) {
    db.exec(`
      ALTER TABLE hosts ADD COLUMN ssh_alias TEXT;
      ALTER TABLE hosts ADD COLUMN ssh_hostname TEXT;
      ALTER TABLE hosts ADD COLUMN ssh_port INTEGER;
      ALTER TABLE hosts ADD COLUMN ssh_user TEXT;
      ALTER TABLE hosts ADD COLUMN ssh_identity_file TEXT;
      ALTER TABLE hosts ADD COLUMN ssh_use_agent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE hosts ADD COLUMN ssh_has_passphrase INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE hosts ADD COLUMN socket_path TEXT NOT NULL DEFAULT '/var/run/docker.sock';

      -- Host keys the user confirmed in Slipway (beside ~/.ssh/known_hosts, which is only read).
      CREATE TABLE trusted_host_keys (
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        key_type TEXT NOT NULL,
        key_base64 TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        trusted_at TEXT NOT NULL,
        PRIMARY KEY (host, port, key_type)
      ) STRICT;
    `)
  },
}
