import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testEnv } from './testEnv'

export function generateKey(dir: string, name: string, passphrase = ''): { path: string; publicKey: string } {
  const path = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path])
  return { path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() }
}

/** Lets `publicKey` log in as the test user on every test sshd (they share one authorized_keys). */
export function authorize(publicKey: string): void {
  appendFileSync(testEnv().ssh.authorizedKeys, `${publicKey}\n`)
}

/** What `ssh-keygen -lf` prints as the fingerprint of a public key file. */
export function keygenFingerprint(publicKeyPath: string): string {
  const out = execFileSync('ssh-keygen', ['-lf', publicKeyPath], { encoding: 'utf8' })
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(out)
  if (match === null) throw new Error(`no fingerprint in: ${out}`)
  return match[0]
}

function descendants(root: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const parent = queue.shift()
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid)
        queue.push(pid)
      }
    }
  }
  return found
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

async function waitForPort(port: number, open: boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = createServer().listen(port, '127.0.0.1')
      socket.once('listening', () => socket.close(() => resolve(false)))
      socket.once('error', () => resolve(true))
    })
    if (isOpen === open) return
    if (Date.now() > deadline) throw new Error(`port ${port} did not become ${open ? 'open' : 'closed'}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * An sshd owned by one test: the shared test-env config on its own port with its own host key,
 * so a test can stop it, restart it, or swap its host key without disturbing other tests.
 */
export class PrivateSshd {
  readonly dir: string
  private child: ChildProcess | null = null
  private constructor(
    readonly port: number,
    public hostKeyPath: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'slipway-sshd-'))
  }

  static async start(): Promise<PrivateSshd> {
    const sshd = new PrivateSshd(await freePort(), '')
    sshd.hostKeyPath = sshd.newHostKey('host_a')
    await sshd.resume()
    return sshd
  }

  get hostKeyPub(): string {
    return `${this.hostKeyPath}.pub`
  }

  newHostKey(name: string): string {
    const path = join(this.dir, name)
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path])
    return path
  }

  /** Starts (again) on the same port with the current host key. */
  async resume(): Promise<void> {
    if (this.child !== null) return
    const template = readFileSync(testEnv().ssh.sshdConfig, 'utf8')
    const config = template
      .split('\n')
      .filter((line) => !/^(Port|HostKey|PidFile)\b/.test(line))
      .concat([`Port ${this.port}`, `HostKey ${this.hostKeyPath}`, `PidFile ${join(this.dir, 'sshd.pid')}`])
      .join('\n')
    const configPath = join(this.dir, 'sshd_config')
    writeFileSync(configPath, config)
    // A listener killed a moment ago may still hold the port: a new one would fail to bind and
    // exit while the port still looked open.
    await waitForPort(this.port, false)
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: 'ignore' })
    this.child = child
    await waitForPort(this.port, true)
    await new Promise((r) => setTimeout(r, 50))
    if (child.exitCode !== null || child.signalCode !== null) {
      this.child = null
      throw new Error(`sshd exited at start (${String(child.exitCode ?? child.signalCode)})`)
    }
  }

  /** Kills the listener and every live session: connections drop at once, as when a server dies. */
  async stop(): Promise<void> {
    if (this.child === null) return
    this.killNow()
    await waitForPort(this.port, false)
  }

  /** Kills it at once, synchronously (from inside a fault-injection hook). */
  killNow(): void {
    const child = this.child
    if (child === null || child.pid === undefined) return
    this.child = null
    // Every descendant: after authentication a session's connection is owned by a grandchild.
    for (const pid of descendants(child.pid)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL')
  }

  async replaceHostKey(): Promise<void> {
    await this.stop()
    this.hostKeyPath = this.newHostKey(`host_${Date.now()}`)
    await this.resume()
  }

  async close(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
