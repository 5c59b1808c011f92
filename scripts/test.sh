#!/usr/bin/env bash
# The project's test command (`npm test`): unit tests in parallel, then the
# end-to-end tests of the bundled actions against the lab, one file at a time
# (they share one Docker engine and sshd). Under CI=true a missing lab fails the
# e2e tests instead of skipping them. Ends with a "N passed, N failed" line.
# Extra arguments go to both jest runs (e.g. a path pattern).
set -euo pipefail
cd "$(dirname "$0")/.."
# A fresh machine: install dependencies and bring the lab up first, so that
# `npm test` alone runs everything. LAB=skip runs without the lab (e2e tests
# that need it skip locally, and fail under CI=true).
[ -x node_modules/.bin/jest ] || npm ci --ignore-scripts --no-audit --no-fund
if [ "${LAB:-up}" != skip ]; then
  if [ "$(id -u)" = 0 ] || [ -f .lab/lab.json ]; then bash test/lab/up.sh; else echo "not root: the lab cannot be started here; e2e tests that need it will skip" >&2; fi
fi
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
reports=$(mktemp -d)
status=0
npx jest --ci --selectProjects unit --json --outputFile="$reports/unit.json" "$@" || status=$?
npx jest --ci --selectProjects e2e --runInBand --json --outputFile="$reports/e2e.json" "$@" || status=$?
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; console.error(`no report from ${f}`); continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (passed + failed === 0) { console.error("no test ran"); process.exit(1); }
' "$reports/unit.json" "$reports/e2e.json" || status=1
rm -rf "$reports"
exit $status
