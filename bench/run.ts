import { sshRtt } from './sshRtt'

const suites: Record<string, () => Promise<Record<string, number | string>>> = {
  ssh_rtt: sshRtt,
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const results: Record<string, unknown> = {}
  for (const [name, run] of Object.entries(suites)) {
    if (only.length > 0 && !only.includes(name)) continue
    process.stderr.write(`bench: ${name}…\n`)
    results[name] = await run()
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n')
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`)
  process.exit(1)
})
