#!/usr/bin/env bash
# `npm test`: every quality gate, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$*"; }

step "typecheck";      npm run -s typecheck
step "lint";           npm run -s lint
step "format";         npm run -s format:check
step "build";          npm run -s build
step "unit tests";     npm run -s test:unit
step "infra";          npm run -s infra:synth && npm run -s infra:test
step "e2e (Chromium against the local preview distribution)"
npm run -s test:e2e
step "bench (quick: proves the bench runs; its numbers are not the claims)"
npm run -s bench -- --quick
