/**
 * ssh_rtt: engine ping and a 50-container listing, over Slipway's one multiplexed SSH connection
 * versus the local socket, in the same run. Target: SSH within 3x of local for both.
 */
import { execFileSync } from 'node:child_process'
import { docker } from '../test/helpers/images'
import { startInstance } from '../test/helpers/slipwayInstance'
import { addTrustedSshHost } from '../test/helpers/sshHostFixture'
import { testEnv } from '../test/helpers/testEnv'
import { median, round, timeRuns } from './stats'

const LABEL = 'io.slipway.bench.sshrtt'
const CONTAINERS = 50

export async function sshRtt(): Promise<Record<string, number | string>> {
  const env = testEnv()
  const instance = await startInstance({ dockerHost: env.dockerHost })
  // Both sides through the very port the app uses: the local socket, and one SSH connection.
  const local = instance.slipway.engines.engine('local').inspector
  const created: string[] = []
  try {
    for (let i = 0; i < CONTAINERS; i++)
      created.push(docker('create', '--label', `${LABEL}=1`, '--network', 'none', env.image, 'true'))
    const hostId = (await addTrustedSshHost(instance, { port: env.ssh.port, hostKeyPub: env.ssh.hostKeyPub }, 'bench'))
      .id
    // The same engine the app uses for this host: one SSH connection, a channel per request.
    const remote = instance.slipway.engines.engine(hostId).inspector

    const filter = { all: true, labels: [LABEL] }
    const count = (await remote.listContainers(filter)).length
    if (count !== CONTAINERS) throw new Error(`expected ${CONTAINERS} containers over ssh, saw ${count}`)

    const runs = 60
    const pingLocal = median(await timeRuns(runs, () => local.ping()))
    const pingSsh = median(await timeRuns(runs, () => remote.ping()))
    const listLocal = median(await timeRuns(runs, () => local.listContainers(filter)))
    const listSsh = median(await timeRuns(runs, () => remote.listContainers(filter)))
    const cli = median(
      await timeRuns(
        5,
        async () =>
          execFileSync('ssh', [
            '-i',
            env.ssh.keyPath,
            '-p',
            String(env.ssh.port),
            '-o',
            'BatchMode=yes',
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'LogLevel=ERROR',
            `${env.ssh.user}@${env.ssh.host}`,
            'docker',
            '-H',
            env.dockerHost,
            'ps',
            '-aq',
            '--filter',
            `label=${LABEL}`,
          ]),
        1,
      ),
    )
    return {
      ping_local_ms: round(pingLocal, 3),
      ping_ssh_ms: round(pingSsh, 3),
      ping_ratio: round(pingSsh / pingLocal),
      list50_local_ms: round(listLocal, 3),
      list50_ssh_ms: round(listSsh, 3),
      list50_ratio: round(listSsh / listLocal),
      list50_ssh_per_call_handshake_ms: round(cli, 1),
      target: 'ping_ratio <= 3 and list50_ratio <= 3',
    }
  } finally {
    if (created.length > 0) docker('rm', '-f', ...created)
    await instance.close()
  }
}
