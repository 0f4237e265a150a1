import { spawn } from 'node:child_process'
import { join } from 'node:path'

/**
 * Runs one of test/helpers/children/ in its own Node process with `args`; resolves to the signal
 * that ended it (a child that kills itself mid-way), or else to what it printed.
 */
export function runChild(name: 'restoreChild' | 'captureChild', args: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'children', `${name}.ts`), JSON.stringify(args)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.once('error', reject)
    child.once('exit', (_code, signal) => resolve(signal ?? out))
  })
}
