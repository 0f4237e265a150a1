#!/usr/bin/env bash
# `npm test`: brings the real test environment up (dockerd, sshd, test image, Chromium),
# builds the renderer the browser tests load, then runs unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(bash scripts/test-env.sh up)"
npx electron-vite build --logLevel warn
# The built bundles too: what ships is what is checked.
node scripts/electronegativity.mjs out
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# One plain summary line that any CI log reader understands.
node -e '
  const r = require("./test-artifacts/vitest.json")
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)
' || true
exit "$status"
