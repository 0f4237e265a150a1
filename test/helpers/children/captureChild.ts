/**
 * Runs one capture in its own process, so a test can kill -9 it mid-way: itself once the read is
 * under way, or here, `killAfterStopMs` after it asked the engine to stop the app.
 */
import { startInstance } from '../slipwayInstance'

interface Args {
  dataDir: string
  homeDir: string
  dockerHost: string
  workloadId: string
  mode?: 'stop' | 'pause'
  killAfterStopMs?: number
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args
  const instance = await startInstance({
    dockerHost: args.dockerHost,
    dataDir: args.dataDir,
    homeDir: args.homeDir,
    quiesceRequested: () => {
      if (args.killAfterStopMs !== undefined)
        setTimeout(() => process.kill(process.pid, 'SIGKILL'), args.killAfterStopMs)
    },
  })
  let told = false
  instance.slipway.bus.on('jobs.progress', (e) => {
    if (!told && e.kind === 'capture' && e.phase === 'read' && e.done > 16 * 1024 * 1024) {
      told = true
      process.stdout.write('READING\n')
    }
  })
  await instance.slipway.router.invoke('snapshots.capture', {
    workloadId: args.workloadId,
    mode: args.mode ?? 'stop',
    label: null,
  })
  process.stdout.write('DONE\n')
}

void main()
