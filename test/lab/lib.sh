# shellcheck shell=bash
# Shared by up.sh and down.sh: where the lab keeps its state, and small helpers.
# Sourced, never run. Everything the lab creates lives under $LAB (the repo's
# .lab/), except what a real deploy host needs system-wide: the `deploy` and
# `jump` users, /srv/deploy-lab and the Docker socket.

# shellcheck disable=SC2034 # the constants below are used by up.sh and down.sh
LAB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # test/lab in the repo
REPO_ROOT="$(cd "$LAB_SRC/../.." && pwd)"
# A checkout whose .lab is a symlink (a git worktree sharing one lab) resolves to the
# real directory, so every path written into a config is the same from any checkout.
LAB="$(readlink -f "$REPO_ROOT/.lab")"
RUN="$LAB/run"            # pid files
SSH_DIR="$LAB/ssh"        # host keys, client keys, known_hosts, sshd configs

# Fixed addresses: tests and benchmarks talk only to 127.0.0.x.
SSH_PORT=2222
BASTION_PORT=2223
REGISTRY_ADDR=127.0.0.1:5000
AUTH_REGISTRY_ADDR=127.0.0.1:5001
EXTRA_HOSTS=(127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5)
DEPLOY_USER=deploy
JUMP_USER=jump
REMOTE_BASE=/srv/deploy-lab

# lab_lock: one up.sh or down.sh at a time on this machine (several people and
# CI share it). Outside .lab so that `down.sh --purge` cannot delete it while held.
lab_lock() {
  mkdir -p /run/lock
  exec 9>/run/lock/deploy-lab.lock
  if ! flock -n 9; then
    log "another lab up/down is running: waiting for it"
    flock 9
  fi
}

log() { printf '[lab] %s\n' "$*"; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# proc_running PID: PID is a live process. A zombie does not count: here PID 1
# reaps orphans only every second or two, and an exited daemon stays a zombie
# (still answering kill -0) until then.
proc_running() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ "$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)" != Z ]]
}

# pid_alive FILE: the pid in FILE names a running lab service. Every service
# up.sh starts names a path under $LAB on its command line; checking that means
# a stale pid file whose pid was reused by some other process is never taken
# for the service, and never killed by down.sh.
pid_alive() {
  local pid
  [[ -s "$1" ]] || return 1
  pid="$(<"$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  proc_running "$pid" || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$LAB/"* ]]
}

# stop_pidfile NAME FILE [SECONDS]: TERM the process, wait, then KILL. Quiet
# when it is not running, so down.sh can be run any number of times.
stop_pidfile() {
  local name="$1" file="$2" wait_s="${3:-10}" pid i
  if ! pid_alive "$file"; then
    rm -f "$file"
    return 0
  fi
  pid="$(<"$file")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    proc_running "$pid" || break
    sleep 0.1
  done
  if proc_running "$pid"; then
    log "$name did not stop in ${wait_s}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
