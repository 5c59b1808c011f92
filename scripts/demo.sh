#!/usr/bin/env bash
# `npm run demo`: the lab (idempotent), the bundles when dist/ lacks them, then
# demo/demo.mjs (push, sign and deploy the demo stack through the bundled
# actions). DEMO_KEEP=1 leaves the stack running; DEMO_PORT picks the app's port,
# DEMO_PROJECT the compose project (and the registry namespace and remote dir).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent lab:up

for action in verify-signature render-env ssh-deploy wait-ready cli; do
  if [[ ! -f dist/$action/index.js ]]; then
    echo "dist/$action/index.js is missing: building it"
    npm run --silent build -- "$action"
  fi
done

# The bundles run on Node 24, as `using: node24` names: test/harness/runner.mjs picks the
# lab's (or $ACTION_NODE), whatever Node runs the demo itself.
exec node demo/demo.mjs
