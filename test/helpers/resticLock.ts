import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './tempDir'

/** A restic holding the repository's exclusive lock (a prune), stopped (SIGSTOP) while it holds it. */
export async function heldLock(repo: string, password: string): Promise<ChildProcess> {
  // A finished lock file (restic writes `<id>-tmp-…` first, then renames it).
  const locked = (): boolean => readdirSync(join(repo, 'locks')).some((n) => /^[0-9a-f]{64}$/.test(n))
  for (let attempt = 0; attempt < 20; attempt++) {
    const child = spawn('restic', ['-r', repo, 'prune'], {
      env: { ...process.env, RESTIC_PASSWORD: password, RESTIC_CACHE_DIR: tempDir('restic-cache-') },
      stdio: 'ignore',
    })
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && child.exitCode === null) {
      if (locked()) {
        child.kill('SIGSTOP')
        if (locked()) return child
        child.kill('SIGCONT')
      }
    }
    child.kill('SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('could not catch restic holding its lock')
}
