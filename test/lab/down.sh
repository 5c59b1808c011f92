#!/usr/bin/env bash
# Stops what up.sh started (sshds, registries, dockerd), using the pid files in
# .lab/run. Safe to run any number of times. `--purge` also deletes .lab (keys,
# registry storage, Docker's data) and the test dirs under /srv/deploy-lab, so
# the next up.sh starts from nothing. The deploy and jump users are kept.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) die "usage: down.sh [--purge]" ;;
esac
lab_lock

if [[ -d $RUN ]]; then
  stop_pidfile "sshd (deploy)" "$RUN/sshd-deploy.pid"
  stop_pidfile "sshd (bastion)" "$RUN/sshd-bastion.pid"
  stop_pidfile registry "$RUN/registry.pid"
  stop_pidfile registry-auth "$RUN/registry-auth.pid"
  # dockerd stops the lab's containers first (up to 15 s), then itself.
  stop_pidfile dockerd "$RUN/dockerd.pid" 60
fi

# Lab services whose pid file was lost (deleted .lab/run, a crash): found by
# their binary and a command line naming this lab's directory, nothing wider.
for proc in /proc/[0-9]*; do
  comm="$(cat "$proc/comm" 2>/dev/null || true)"
  case "$comm" in sshd | docker-registry | dockerd) ;; *) continue ;; esac
  cmd="$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null || true)"
  [[ $cmd == *"$LAB/"* ]] || continue
  # Only the listening sshd, not the per-connection children it forked.
  [[ $comm == sshd && $cmd != */usr/sbin/sshd\ -f* ]] && continue
  mkdir -p "$RUN"
  echo "${proc#/proc/}" >"$RUN/straggler.pid"
  stop_pidfile "$comm (no pid file)" "$RUN/straggler.pid" 30
done

if [[ $purge == true ]]; then
  # A dockerd that died hard can leave overlay mounts under .lab/docker;
  # deleting through a live mount would fail or worse.
  awk -v lab="$LAB/" 'index($2, lab) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r mnt; do umount -l "$mnt" 2>/dev/null || true; done
  log "removing $LAB and $REMOTE_BASE"
  rm -rf "$LAB" "$REMOTE_BASE"
fi
log "down"
