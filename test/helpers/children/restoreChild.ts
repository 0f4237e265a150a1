/**
 * Runs one restore in its own process and dies with SIGKILL mid-way: right after the step
 * `crashAt` is journaled, or `killAfterStopMs` after it asked the engine to stop the app.
 */
import { startInstance } from '../slipwayInstance'

interface Args {
  dataDir: string
  homeDir: string
  dockerHost: string
  workloadId: string
  snapshotId: string
  crashAt?: string
  killAfterStopMs?: number
}

const die = (): void => void process.kill(process.pid, 'SIGKILL')

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args
  const instance = await startInstance({
    dockerHost: args.dockerHost,
    dataDir: args.dataDir,
    homeDir: args.homeDir,
    afterRestoreJournal: (step) => {
      if (step === args.crashAt) die()
    },
    quiesceRequested: () => {
      if (args.killAfterStopMs !== undefined) setTimeout(die, args.killAfterStopMs)
    },
  })
  const result = await instance.slipway.router.invoke('restore.start', {
    workloadId: args.workloadId,
    snapshotId: args.snapshotId,
    confirm: args.snapshotId,
  })
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
  await instance.slipway.stop()
}

void main()
