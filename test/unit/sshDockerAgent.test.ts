import { connect, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { engineThrough, rolesOf } from '../../src/main/docker/engines'
import { testHelperOwner } from '../helpers/helperOwner'
import { SshDockerAgent } from '../../src/main/docker/sshDockerAgent'
import { tempDir } from '../helpers/tempDir'

let server: Server | undefined
afterEach(() => server?.close())

/** An engine that starts a long-poll reply (headers, no body yet), then the connection dies. */
async function engineThatDiesMidReply(): Promise<string> {
  const path = join(tempDir('agent-'), 'engine.sock')
  server = createServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
      setTimeout(() => socket.destroy(), 50)
    })
  })
  await new Promise<void>((resolve) => server?.listen(path, resolve))
  return path
}

describe('the SSH docker agent', () => {
  it('fails a call whose stream closes after the reply began, instead of leaving it waiting', async () => {
    const path = await engineThatDiesMidReply()
    const agent = new SshDockerAgent(
      () =>
        new Promise((resolve, reject) => {
          const stream = connect(path, () => resolve(stream))
          stream.once('error', reject)
        }),
    )
    const engine = rolesOf(engineThrough('/unused', agent, testHelperOwner())).inspector
    const outcome = await Promise.race([
      engine.followLogs('c1', 0).then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000)),
    ])
    expect(outcome).toBe('failed')
    agent.destroy()
  })
})
