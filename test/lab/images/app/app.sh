#!/bin/sh
# PID 1 of the lab app. busybox httpd runs as a child so that this shell's TERM
# trap ends the container at once (an untrapped PID 1 ignores TERM, and every
# `docker stop` / compose recreate would wait the full 10 s for a KILL).
#
# Serves from a fresh directory in /tmp:
#   GET /api/ready -> 200 "ready" (no newline) unless APP_READY=false (404)
#   GET /version   -> "<version>" or "<version> <APP_MESSAGE>" (no newline)
# APP_READY_DELAY=N (seconds) makes /api/ready appear only after N seconds.
set -u

version="$(cat /app/VERSION)"
www=/tmp/www
rm -rf "$www"
mkdir -p "$www/api"
printf '%s' "$version${APP_MESSAGE:+ $APP_MESSAGE}" > "$www/version"

mark_ready() {
  if [ "${APP_READY:-true}" != false ]; then
    printf 'ready' > "$www/api/ready"
  fi
}

if [ "${APP_READY_DELAY:-0}" -gt 0 ] 2>/dev/null; then
  (sleep "$APP_READY_DELAY" && mark_ready) &
else
  mark_ready
fi

httpd -f -p 8080 -h "$www" &
httpd_pid=$!
trap 'echo "app $version: stopping"; kill "$httpd_pid" 2>/dev/null; exit 0' TERM INT
echo "app $version: listening on :8080 (ready=${APP_READY:-true})"
# `wait` returns as soon as a trapped signal arrives, so the trap runs at once.
wait "$httpd_pid"
