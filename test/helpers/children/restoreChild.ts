/** Runs one restore in its own process; SLIPWAY_TEST_RESTORE_CRASH_AT makes it die mid-way. */
import { startInstance } from '../slipwayInstance'

interface Args {
  dataDir: string
  homeDir: string
  dockerHost: string
  workloadId: string
  snapshotId: string
  crashAt: string
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args
  const instance = await startInstance({
    dockerHost: args.dockerHost,
    dataDir: args.dataDir,
    homeDir: args.homeDir,
    env: { SLIPWAY_TEST_RESTORE_CRASH_AT: args.crashAt },
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
