import { deployBench } from './deploy'
import { browseBench, captureBench, captureMemoryBench } from './capture'
import { metricsBench } from './metrics'
import { restoreBench } from './restore'
import { sshRtt } from './sshRtt'
import { storeBench } from './store'

type Figures = Record<string, unknown>

const suites: Record<string, () => Promise<Figures>> = {
  ssh_rtt: sshRtt,
  capture: captureBench,
  browse: browseBench,
  capture_memory: captureMemoryBench,
  restore: restoreBench,
  metrics: metricsBench,
  deploy: deployBench,
  store: storeBench,
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const results: Record<string, unknown> = {}
  for (const [name, run] of Object.entries(suites)) {
    if (only.length > 0 && !only.includes(name)) continue
    process.stderr.write(`bench: ${name}…\n`)
    const figures = await run()
    // A suite may report several named results (capture gives capture_local and capture_ssh).
    if (name === 'capture' || name === 'restore' || name === 'deploy') Object.assign(results, figures)
    else results[name] = figures
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n')
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
