import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : []
  })
}

/** Engine calls that change a container's life. */
const LIFECYCLE = /\.(createContainer|start|stop|remove|restart|kill|rename)\(/

/** Files allowed to change containers, each for a reason. */
const ALLOWED = new Set([
  // the one dispatch point of workload containers
  'src/main/workloads/dispatch/dispatcher.ts',
  // creates and removes a never-started probe container, not a workload's
  'src/main/hosts/connectionTest.ts',
  // creates and removes never-started helper containers that read or write volumes
  'src/main/snapshots/helperContainer.ts',
  // starts a helper that idles while one restore runs its folder steps in it, then is removed
  'src/main/snapshots/helperSession.ts',
])

describe('the single dispatch point', () => {
  it('is the only main-process code that creates, starts, stops or removes containers', () => {
    const offenders = files(join(root, 'src/main'))
      .map((file) => relative(root, file))
      .filter((file) => !ALLOWED.has(file))
      .flatMap((file) =>
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .map((line, i) => ({ file, line: i + 1, text: line }))
          .filter(({ text }) => LIFECYCLE.test(text) && /container|docker/i.test(text)),
      )
      .map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`)
    expect(offenders).toEqual([])
  })
})
