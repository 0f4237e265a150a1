#!/usr/bin/env node
/**
 * Runs Doyensec's electronegativity over the given trees (src, and the built out/ when present)
 * and fails on any finding that the reviewed allowlist (security/electronegativity-allowlist.json)
 * does not name with a reason. The release-feed check is skipped: it needs the network.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const allowlist = JSON.parse(readFileSync(join(root, 'security/electronegativity-allowlist.json'), 'utf8'))
const scans = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src']
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js')

/** The SARIF report electronegativity writes: one result per finding. */
function findings(sarif) {
  const report = JSON.parse(sarif)
  return (report.runs?.[0]?.results ?? []).map((r) => {
    const location = r.locations?.[0]?.physicalLocation
    return {
      issue: r.ruleId,
      file: location?.artifactLocation?.uri ?? 'N/A',
      location: `${location?.region?.startLine ?? 0}:${location?.region?.startColumn ?? 0}`,
    }
  })
}

let failed = false
const work = mkdtempSync(join(tmpdir(), 'slipway-electronegativity-'))
try {
  for (const scan of scans) {
    const input = join(root, scan)
    if (!existsSync(input)) {
      console.log(`electronegativity: ${scan}/ is not there (not built yet); skipped`)
      continue
    }
    const output = join(work, `${scan}.sarif`)
    execFileSync(
      process.execPath,
      [
        cli,
        '-i',
        input,
        '-r',
        '-v',
        'false',
        '-e',
        electronVersion,
        '-x',
        'AvailableSecurityFixesGlobalCheck',
        '-o',
        output,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const found = existsSync(output) ? findings(readFileSync(output, 'utf8')) : []
    const unexpected = found.filter(
      (f) => !allowlist.some((a) => a.issue === f.issue && a.file === f.file && (a.scan ?? scan) === scan),
    )
    for (const f of unexpected) console.error(`electronegativity: ${scan}: ${f.issue} in ${f.file} at ${f.location}`)
    if (unexpected.length > 0) failed = true
    else console.log(`electronegativity: ${scan}/: ${found.length} finding(s), each reviewed in the allowlist`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
