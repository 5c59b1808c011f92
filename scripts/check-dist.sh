#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
if [ -n "$(git status --porcelain dist)" ]; then
  echo "::error::dist/ is stale: run 'npm run build' and commit dist/ with the source change." >&2
  git status --porcelain dist >&2
  git diff --stat dist >&2 || true
  exit 1
fi
echo "dist/ is up to date."
