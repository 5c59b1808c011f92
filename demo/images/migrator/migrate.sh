#!/bin/sh
# Fails (exit 1) when the database does not answer: ssh-deploy must have started
# it first (services-first), and a failed migration must stop the rollout.
set -eu
if ! nc "${DB_HOST:-db}" 5432 </dev/null 2>/dev/null | grep -q demodb; then
  echo "migrator: database ${DB_HOST:-db}:5432 does not answer" >&2
  exit 1
fi
echo "migrator: schema at version $(cat /SCHEMA)"
