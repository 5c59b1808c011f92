#!/bin/sh
# PID 1 of the demo app. busybox httpd runs as a child so the TERM trap stops
# the container at once instead of after docker's 10 s grace period.
#   GET /api/ready -> 200 "ready" once the database answers (never for a BROKEN build)
#   GET /version   -> "<version> <APP_MESSAGE>"
set -u
version="$(cat /app/VERSION)"
www=/tmp/www
rm -rf "$www" && mkdir -p "$www/api"
printf '%s' "$version${APP_MESSAGE:+ $APP_MESSAGE}" > "$www/version"

# Ready only when the database answers: readiness means "can serve", not "started".
(
  if [ "$(cat /app/BROKEN)" = true ]; then exit 0; fi
  until nc "${DB_HOST:-db}" 5432 </dev/null 2>/dev/null | grep -q demodb; do sleep 1; done
  printf 'ready' > "$www/api/ready"
) &

httpd -f -p 8080 -h "$www" &
httpd_pid=$!
trap 'kill "$httpd_pid" 2>/dev/null; exit 0' TERM INT
echo "app $version: listening on :8080"
wait "$httpd_pid"
