#!/bin/sh
# PID 1 of the stand-in database; the TERM trap makes `docker stop` immediate.
set -u
nc -ll -p 5432 -e echo demodb &
nc_pid=$!
trap 'kill "$nc_pid" 2>/dev/null; exit 0' TERM INT
echo "db: ready on :5432"
wait "$nc_pid"
