/**
 * "Only the dispatch point creates, starts, stops or removes a workload's containers" holds by
 * construction: the roles other modules are handed have no such method (a type error), and the
 * module that makes the container lifecycle can be imported only by the composition root and the
 * dispatch point (a lint error). Both are shown here with deliberately wrong edits.
 */
import { ESLint } from 'eslint'
import { join } from 'node:path'
import ts from 'typescript'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')

async function lintAs(path: string, text: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    // The project's own rules; type-aware ones need a file on disk, and these edits are not.
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  })
  const [result] = await eslint.lintText(text, { filePath: join(root, path) })
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)
}

const restrictions = (messages: readonly string[]): string[] =>
  messages.filter((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))

function typeErrors(path: string, text: string): string[] {
  const file = join(root, path)
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = (name) => (name === file ? text : readFile(name))
  host.fileExists = (name) => name === file || fileExists(name)
  host.getSourceFile = (name, version) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version)
  const program = ts.createProgram([file], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('the single dispatch point', () => {
  it('a module outside the dispatch point cannot import the container lifecycle or dockerode', async () => {
    const wrong = `
import Dockerode from 'dockerode'
import { lifecycleOf } from '../docker/containerLifecycle'
export const stopIt = (d: Dockerode) => d.getContainer('x').stop()
export { lifecycleOf }
`
    const found = restrictions(await lintAs('src/main/restore/wrongEdit.ts', wrong))
    expect(found).toHaveLength(2)
    expect(found.join('\n')).toMatch(/dockerode/)
    expect(found.join('\n')).toMatch(/containerLifecycle/)
  }, 60_000)

  it('nor open an engine handle to reach dockerode through it', async () => {
    const wrong = `
import { EngineHandle } from '../docker/engineHandle'
export const raw = (h: EngineHandle) => EngineHandle.client(h)
`
    expect(restrictions(await lintAs('src/main/snapshots/wrongEdit.ts', wrong))).toHaveLength(1)
    // Handing one on, by its type, is what every module may do.
    const right = `import type { EngineHandle } from '../docker/engineHandle'\nexport type H = EngineHandle\n`
    expect(restrictions(await lintAs('src/main/snapshots/rightEdit.ts', right))).toEqual([])
  }, 60_000)

  it('the dispatch point and the composition root may, and nothing else has to', async () => {
    const wiring = `import { lifecycleOf } from './docker/containerLifecycle'\nexport { lifecycleOf }\n`
    expect(restrictions(await lintAs('src/main/app.ts', wiring))).toEqual([])
    const user = `import type { ContainerLifecycle } from '../../docker/containerLifecycle'\nexport type L = ContainerLifecycle\n`
    expect(restrictions(await lintAs('src/main/workloads/dispatch/anyPhase.ts', user))).toEqual([])
  }, 60_000)

  it('the roles every other module holds have no way to change a container', () => {
    const wrong = `
import type { EngineRoles } from '../docker/engine'
import type { LockedWorkload } from '../workloads/dispatch/dispatcher'
export async function sneaky(engine: EngineRoles, locked: LockedWorkload): Promise<void> {
  await engine.inspector.stop('c1', 10)
  await engine.helpers.remove('c1')
  await locked.engine.lifecycle.start('c1')
}
`
    const errors = typeErrors('src/main/restore/wrongEdit.ts', wrong)
    expect(errors.filter((e) => /does not exist on type/.test(e))).toHaveLength(3)
  }, 60_000)
})
