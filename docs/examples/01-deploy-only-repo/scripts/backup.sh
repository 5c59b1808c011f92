#!/bin/sh
# Runs on the host in remote-dir before a prod deploy (ssh-deploy pre-deploy).
# A failed backup stops the deploy. Keeps the 14 newest dumps under data/ (preserved).
set -eu
project="${COMPOSE_PROJECT_NAME:-shop-prod}"
mkdir -p data/backups
if ! docker compose -p "$project" ps --status running --services 2>/dev/null | grep -qx db; then
  echo "backup: no running database yet (first deploy): nothing to back up"
  exit 0
fi
file="data/backups/$(date -u +%Y%m%dT%H%M%SZ).dump"
docker compose -p "$project" exec -T db pg_dump -U shop -Fc shop > "$file.partial"
mv "$file.partial" "$file"
echo "backup: $file ($(wc -c < "$file") bytes)"
# Dump names are timestamps, so a name sort is a time sort.
find data/backups -name "*.dump" | sort -r | tail -n +15 | while read -r old; do rm -f -- "$old"; done
