import type { Migration } from '../migrate'

/** Every deploy keeps the configuration it deployed (secret-free), so a rollback restores it with the images. */
export const deployConfig: Migration = {
  version: 10,
  name: 'the configuration each deploy deployed',
  up(db) {
    db.exec('ALTER TABLE deployments ADD COLUMN config TEXT')
  },
}
