#!/bin/sh
# Lab migrator. Exits 1 without touching anything when MIGRATE_FAIL=true.
# Otherwise appends one line per run to /data/migrated (when /data is mounted),
# prints "migrated" and exits 0. MIGRATE_DELAY=N sleeps N seconds first.
set -eu

trap 'echo "migrator: interrupted" >&2; exit 143' TERM INT
if [ "${MIGRATE_DELAY:-0}" -gt 0 ] 2>/dev/null; then
  sleep "$MIGRATE_DELAY" &
  wait $!
fi

if [ "${MIGRATE_FAIL:-false}" = true ]; then
  echo "migration failed (MIGRATE_FAIL=true)" >&2
  exit 1
fi

if [ -d /data ]; then
  echo "migrated at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> /data/migrated
  # We run as root; hand the marker to whoever owns /data (the deploy user on
  # the lab host) so that user can still clean up after a test.
  chown "$(stat -c %u:%g /data)" /data/migrated
fi
echo migrated
