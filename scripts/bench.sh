#!/usr/bin/env bash
# `npm run bench`: benchmarks against the real test environment; prints one JSON object on stdout.
# Every figure is a ratio against a baseline measured in the same run (machines here are noisy).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/test-env.sh up)"
exec npx tsx bench/run.ts "$@"
