#!/bin/sh
# PID 1 of the lab app. busybox httpd runs as a child so that this shell's TERM
# trap decides how the container stops (an untrapped PID 1 ignores TERM, and every
# `docker stop` / compose recreate would wait the full 10 s for a KILL).
#
# Serves from a fresh directory in /tmp:
#   GET /api/ready     -> 200 "ready" (no newline) unless APP_READY=false (404)
#   GET /version       -> "<version>" or "<version> <APP_MESSAGE>" (no newline)
#   GET /cgi-bin/slow  -> the same as /version, after APP_SLOW_SECONDS (default 2) seconds, with
#                         " (stopping)" appended when SIGTERM came while it was in flight
# APP_READY_DELAY=N (seconds) makes /api/ready appear only after N seconds.
# APP_LISTEN_DELAY=N (seconds) starts httpd only after N seconds: until then a connection to
# port 8080 is refused, as with an app that is still loading before it listens.
#
# On SIGTERM it stops the way docs/zero-downtime.md asks of an app: the listener closes
# at once (new connections are refused, so a proxy retries them elsewhere), the requests
# in flight finish, then it exits (KILL comes only at the end of stop_grace_period).
set -u

version="$(cat /app/VERSION)"
www=/tmp/www
rm -rf "$www" /tmp/stopping
mkdir -p "$www/api" "$www/cgi-bin"
printf '%s' "$version${APP_MESSAGE:+ $APP_MESSAGE}" > "$www/version"
slow="${APP_SLOW_SECONDS:-2}"
case "$slow" in '' | *[!0-9.]*) slow=2 ;; esac
# busybox httpd runs cgi-bin/* as CGI (the marker file is written by the TERM trap below).
cat > "$www/cgi-bin/slow" <<CGI
#!/bin/sh
sleep $slow
printf 'Content-Type: text/plain\r\n\r\n'
cat /tmp/www/version
if [ -e /tmp/stopping ]; then printf ' (stopping)'; fi
CGI
chmod 755 "$www/cgi-bin/slow"

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

httpd_pid=

stop() {
  echo "app $version: stopping"
  : > /tmp/stopping
  # The listening httpd goes; each request in flight is served by a child of its own
  # (re-parented to this PID 1), which keeps going: wait for them, then exit.
  if [ -n "$httpd_pid" ]; then kill "$httpd_pid" 2>/dev/null; fi
  while pidof httpd >/dev/null; do sleep 0.05; done
  echo "app $version: stopped"
  exit 0
}
trap stop TERM INT
listen_delay="${APP_LISTEN_DELAY:-0}"
case "$listen_delay" in '' | *[!0-9.]*) listen_delay=0 ;; esac
if [ "$listen_delay" != 0 ]; then
  echo "app $version: listening in ${listen_delay}s"
  # In the background and waited for, so that a TERM meanwhile runs the trap at once.
  sleep "$listen_delay" &
  wait $!
fi
httpd -f -p 8080 -h "$www" &
httpd_pid=$!
echo "app $version: listening on :8080 (ready=${APP_READY:-true})"
# `wait` returns as soon as a trapped signal arrives, so the trap runs at once.
wait "$httpd_pid"
