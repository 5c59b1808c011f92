#!/bin/sh
# PID 1 of the fake database: a persistent `nc` server as a child, and a TERM
# trap so `docker stop` ends it at once instead of waiting 10 s for a KILL.
set -u

nc -ll -p 5432 -e /db/hello.sh &
nc_pid=$!
trap 'echo "db: stopping"; kill "$nc_pid" 2>/dev/null; exit 0' TERM INT
echo "db: ready on :5432"
wait "$nc_pid"
