#!/usr/bin/env bash
# `npm test`: brings the real test environment up (dockerd, sshd, test image, Chromium),
# builds the renderer the browser tests load, then runs unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(bash scripts/test-env.sh up)"
npx electron-vite build --logLevel warn
mkdir -p test-artifacts
npx vitest run "$@"
