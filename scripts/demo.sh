#!/usr/bin/env bash
# `npm run demo`: the lab (idempotent), the bundles when dist/ lacks them, then
# demo/demo.mjs (build, sign and deploy the demo stack through the bundled
# actions). DEMO_KEEP=1 leaves the stack running; DEMO_PORT picks the app's port.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent lab:up

for action in verify-signature render-env ssh-deploy wait-ready cli; do
  if [[ ! -f dist/$action/index.js ]]; then
    echo "dist/$action/index.js is missing: building it"
    npm run --silent build -- "$action"
  fi
done

# The bundles run on the runtime action.yml names (`using: node24`): the lab's Node 24
# (test/lab/tools.lock), which demo/runner.mjs inherits as process.execPath.
node=/usr/local/lib/deploy-lab/node24/bin/node
[[ -x $node ]] || { echo "no Node 24 at $node: running the bundles on $(node --version)" >&2; node=node; }
exec "$node" demo/demo.mjs
