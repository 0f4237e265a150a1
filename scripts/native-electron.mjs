// Builds better-sqlite3 for Electron's ABI into build/native/electron/, beside (not instead of)
// the Node build in node_modules that the tests load. The app passes this binary to
// better-sqlite3 as `nativeBinding`, so `npm test` and `npm run dev` never fight over one file.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronVersion = require('electron/package.json').version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = require('better-sqlite3/package.json').version
const outDir = join(root, 'build/native/electron')
const stampFile = join(outDir, 'stamp.json')
const stamp = JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion })

if (
  existsSync(join(outDir, 'better_sqlite3.node')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp
) {
  process.exit(0)
}

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once per version)…`)
const work = join(root, 'build/native/work')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
for (const part of ['binding.gyp', 'src', 'deps', 'package.json'])
  cpSync(join(sqliteDir, part), join(work, part), { recursive: true })

execFileSync(
  process.execPath,
  [
    require.resolve('node-gyp/bin/node-gyp.js'),
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit' },
)

mkdirSync(outDir, { recursive: true })
cpSync(join(work, 'build/Release/better_sqlite3.node'), join(outDir, 'better_sqlite3.node'))
writeFileSync(stampFile, stamp)
rmSync(work, { recursive: true, force: true })
console.log(`Electron build of better-sqlite3 written to ${outDir}`)
