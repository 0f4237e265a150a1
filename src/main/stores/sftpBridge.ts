import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import type { Logger } from '../log'

/**
 * restic's SFTP backend runs a command that speaks SFTP on its stdin/stdout. Slipway's command is
 * a tiny Node script joined, through a private socket, to an SFTP channel on the host's one SSH
 * connection: the host key is the one Slipway trusts, and keys, agent and passphrase are the
 * host's own, so none of them is written anywhere or handed to another program.
 */
const BRIDGE_SCRIPT = `'use strict'
const socket = require('node:net').connect(process.argv[2])
process.stdin.pipe(socket)
socket.pipe(process.stdout)
socket.on('error', (error) => {
  process.stderr.write('slipway sftp bridge: ' + error.message + '\\n')
  process.exit(1)
})
socket.on('close', () => process.exit(0))
`

export interface SftpSession {
  /** The `-o sftp.command=…` value. */
  readonly command: string
  readonly env: Readonly<Record<string, string>>
  close(): void
}

export class SftpBridge {
  private script: Promise<string> | null = null

  constructor(
    private readonly workDir: string,
    private readonly nodeBinary: string,
    private readonly log: Logger,
  ) {}

  /** A socket that serves SFTP channels of `open` for one restic run. */
  async session(open: () => Promise<Duplex>): Promise<SftpSession> {
    const script = await this.scriptPath()
    const dir = process.platform === 'win32' ? null : await mkdtemp(join(tmpdir(), 'slipway-sftp-'))
    const path = dir === null ? `\\\\?\\pipe\\slipway-sftp-${randomBytes(12).toString('hex')}` : join(dir, 's.sock')
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      open().then(
        (channel) => {
          socket.pipe(channel).pipe(socket)
          channel.on('error', () => socket.destroy())
          socket.on('error', () => channel.destroy())
          socket.on('close', () => channel.destroy())
        },
        (error: unknown) => {
          this.log.warn('sftp channel for a snapshot store failed', { error })
          socket.destroy()
        },
      )
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolve())
    })
    return {
      command: `${quote(this.nodeBinary)} ${quote(script)} ${quote(path)}`,
      env: { ELECTRON_RUN_AS_NODE: '1' },
      close: () => {
        for (const socket of sockets) socket.destroy()
        server.close()
        if (dir !== null) void rm(dir, { recursive: true, force: true })
      },
    }
  }

  private scriptPath(): Promise<string> {
    this.script ??= (async () => {
      await mkdir(this.workDir, { recursive: true, mode: 0o700 })
      const path = join(this.workDir, 'sftp-bridge.cjs')
      await writeFile(path, BRIDGE_SCRIPT, { mode: 0o600 })
      return path
    })()
    return this.script
  }
}

/** restic splits the command as a shell would: double quotes keep a path with spaces whole. */
function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`
}
