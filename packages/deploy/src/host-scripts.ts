// The host-side steps, as POSIX sh run with `sh -c SCRIPT sh ARG...`: every
// input reaches them as a positional argument, quoted by the SSH layer, and is
// only ever expanded inside double quotes, so no input can become shell syntax.

/** Lays out where things live under remote-dir. */
export function releasePaths(remoteDir: string): {
  releases: string;
  lock: string;
  current: string;
  history: string;
} {
  const releases = `${remoteDir.replace(/\/+$/, '') || '/'}/.releases`;
  return {
    releases,
    lock: `${releases}/.lock`,
    current: `${releases}/current`,
    history: `${releases}/history`,
  };
}

// Shell functions the scripts below share; each script is these plus a few lines,
// so one SSH exec can do several steps (every exec costs a session on the host).
//
// What a release owns in remote-dir is recorded next to it:
//   files          every path its bundle carries (one a line)
//   files.sha256   `<sha256>  <path>` of every bundle file
//   preserved      the bundle paths `preserve` matched when it shipped: written only when the host has none
//   written.sha256 `<sha256>  <path>` of what it actually wrote into remote-dir (or took over unchanged)
//   skipped        preserved paths it left as the host had them
// A file is removed only when the release it came from wrote it and the host
// copy still has the checksum written: host files we did not write are never touched.
const FUNCTIONS = `
compose_plugin() {
  for d in "\${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \\
    /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
    [ -x "$d/docker-compose" ] && return 0
  done
  return 1
}
inspect_host() {
  R=$1; REL="$R/.releases"
  # Compose v2 is a docker CLI plugin: finding its file where the CLI looks costs no process
  # (\`docker compose version\` starts two, ~0.2 s); that is the fallback for other places.
  if { command -v docker >/dev/null 2>&1 && compose_plugin; } || docker compose version >/dev/null 2>&1; then echo compose_v2=yes; fi
  if command -v docker-compose >/dev/null 2>&1; then echo compose_v1=yes; fi
  if [ -f "$REL/current" ]; then
    cur=$(cat "$REL/current"); echo "current=$cur"
    if [ -f "$REL/$cur/files" ] && [ -d "$REL/$cur/bundle" ]; then
      echo current_record=ok
      if [ -f "$REL/$cur/written.sha256" ]; then O="$REL/$cur/written.sha256"; else O="$REL/$cur/files.sha256"; echo owned_legacy=yes; fi
      if [ -f "$O" ]; then while IFS= read -r l; do echo "owned=\${l#*  }"; done < "$O"; fi
    else echo current_record=broken; fi
  fi
  [ -f "$R/docker-compose.override.yml" ] && echo override=yes
  [ -d "$R" ] && echo exists=yes
  if [ -f "$REL/history" ]; then while IFS= read -r id; do echo "history=$id"; done < "$REL/history"; fi
  if [ -d "$REL" ]; then for d in "$REL"/*/; do
    [ -f "$d/release.json" ] || continue
    echo "release=$(basename "$d")"
    [ -f "$d/files" ] && [ -d "$d/bundle" ] && echo "intact=$(basename "$d")"
  done; fi
  return 0
}
nl='
'
# file_sum PATH: sha256 of a file's bytes, or of a symlink's target text.
file_sum() {
  if [ -L "$1" ]; then s=$(printf 'link:%s' "$(readlink "$1")" | sha256sum) || return 1
  else s=$(sha256sum < "$1") || return 1; fi
  printf '%s\\n' "\${s%% *}"
}
# in_list PATH LIST: PATH is one of LIST's lines.
in_list() {
  [ -n "$2" ] || return 1
  printf '%s\\n' "$2" | grep -qxF -- "$1"
}
# legacy_preserved PATH: the prefix rule of releases recorded before the preserved list existed.
legacy_preserved() {
  old=$IFS; IFS=$nl; set -f
  for p in $PRESERVE; do
    p=\${p%/}
    if [ "$1" = "$p" ]; then IFS=$old; set +f; return 0; fi
    case "$1" in "$p"/*) IFS=$old; set +f; return 0;; esac
  done
  IFS=$old; set +f; return 1
}
# owned_by DIR: what release DIR owns in remote-dir; an error when its record is gone.
owned_by() {
  if [ -f "$1/written.sha256" ]; then cat "$1/written.sha256"
  elif [ -f "$1/files.sha256" ]; then cat "$1/files.sha256"
  else echo "the release record $1 has no file list" >&2; return 20; fi
}
# activate R ID PREV MODE KEEP: copy release ID into R. Its preserved paths are
# written only when the host has none. Then what PREV wrote and ID does not ship
# goes, if the host copy is still what PREV wrote; with MODE=forward, paths in
# KEEP (PREV's files the current preserve matches) stay; MODE=restore (undoing a
# failed PREV) removes what PREV introduced, preserved or not. SIGHUP is ignored
# so a dropped link cannot stop the copy half-way; each file is replaced by rename.
activate() {
  trap '' HUP
  A_R=$1; A_ID=$2; A_PREV=$3; A_MODE=$4; A_KEEP=$5; A_REL="$A_R/.releases"; A_D="$A_REL/$A_ID"; A_B="$A_D/bundle"
  if [ ! -f "$A_D/files" ] || [ ! -d "$A_B" ]; then
    echo "the release record $A_D is incomplete (its files list or bundle is gone); nothing was changed" >&2
    return 20
  fi
  : > "$A_D/.prev-owned"
  if [ -n "$A_PREV" ] && [ "$A_PREV" != "$A_ID" ]; then
    if [ -d "$A_REL/$A_PREV" ]; then owned_by "$A_REL/$A_PREV" > "$A_D/.prev-owned" || return 20
    elif [ "$A_MODE" = restore ]; then echo "the release record $A_REL/$A_PREV is gone" >&2; return 20; fi
  fi
  if [ -f "$A_D/written.sha256" ]; then mv -f "$A_D/written.sha256" "$A_D/.self-owned"; else : > "$A_D/.self-owned"; fi
  : > "$A_D/written.sha256"; : > "$A_D/skipped"
  while IFS= read -r f; do
    if [ -f "$A_D/preserved" ]; then grep -qxF -- "$f" "$A_D/preserved" && p=1 || p=
    else legacy_preserved "$f" && p=1 || p=; fi
    if [ -n "$p" ] && { [ -e "$A_R/$f" ] || [ -L "$A_R/$f" ]; }; then
      # Still ours when an earlier activation wrote it and the host has not changed it since.
      s=$(file_sum "$A_R/$f") || return 1
      if grep -qxF -- "$s  $f" "$A_D/.prev-owned" "$A_D/.self-owned"; then printf '%s  %s\\n' "$s" "$f" >> "$A_D/written.sha256"
      else printf '%s\\n' "$f" >> "$A_D/skipped"; fi
      continue
    fi
    case "$f" in */*) mkdir -p "$A_R/\${f%/*}" || return 1;; esac
    cp -P "$A_B/$f" "$A_R/$f.deploy-tmp" || return 1
    mv -f "$A_R/$f.deploy-tmp" "$A_R/$f" || return 1
    s=$(file_sum "$A_R/$f") || return 1
    printf '%s  %s\\n' "$s" "$f" >> "$A_D/written.sha256"
  done < "$A_D/files"
  while IFS= read -r l; do
    s=\${l%%  *}; f=\${l#*  }
    grep -qxF -- "$f" "$A_D/files" && continue
    if [ "$A_MODE" != restore ] && in_list "$f" "$A_KEEP"; then continue; fi
    { [ -e "$A_R/$f" ] || [ -L "$A_R/$f" ]; } || continue
    if [ "$(file_sum "$A_R/$f")" = "$s" ]; then rm -f "$A_R/$f" && echo "removed $f"
    else echo "kept $f: changed on the host since release $A_PREV wrote it"; fi
  done < "$A_D/.prev-owned"
  rm -f "$A_D/.prev-owned" "$A_D/.self-owned"
  return 0
}
# merge_env TARGET FILES...: one env file from several, later wins (compose v1 reads one).
merge_env() {
  M_T=$1; shift
  : > "$M_T.tmp" && chmod 600 "$M_T.tmp" || return 1
  for f in "$@"; do cat "$f" >> "$M_T.tmp" && printf '\\n' >> "$M_T.tmp" || return 1; done
  mv -f "$M_T.tmp" "$M_T"
}
# container_ids PROJECT SERVICES...: by compose's labels, without a (slow) compose call.
container_ids() {
  C_P=$1; shift
  if [ $# -eq 0 ]; then docker ps -q --filter "label=com.docker.compose.project=$C_P"; return; fi
  for s in "$@"; do docker ps -q --filter "label=com.docker.compose.project=$C_P" --filter "label=com.docker.compose.service=$s" || return 1; done
}
`;

/** Reads the host's state without changing anything: `key=value` lines. Args: remote-dir. */
export const INSPECT_SCRIPT = `${FUNCTIONS}
inspect_host "$1"
`;

/**
 * Takes the host lock, which appears together with its owner record: the owner is
 * written into a directory of this run's own, which is then renamed to the lock
 * (rename is atomic). Had another run's lock appeared first, mv moves ours inside
 * it instead; that is seen and undone, and the lock counts as held.
 * Then reads the host's state (as INSPECT_SCRIPT), now that no one else changes it.
 * .releases is 0700: it holds release copies of env files.
 * Args: remote-dir, owner JSON, token. Exit 0 = taken (prints the state);
 * 10 = held (prints the owner record or `{}`, and `lock-age=<seconds>` on stderr).
 */
export const LOCK_SCRIPT = `${FUNCTIONS}
R=$1; REL="$R/.releases"; L="$REL/.lock"; T="$REL/.lock-new-$3"
mkdir -p "$REL" || exit 3
chmod 700 "$REL" 2>/dev/null
rm -rf "$T"; mkdir "$T" || exit 3
if ! printf '%s\\n' "$2" > "$T/owner.json"; then rm -rf "$T"; exit 3; fi
if [ ! -e "$L" ] && mv "$T" "$L" 2>/dev/null && [ ! -e "$L/\${T##*/}" ]; then inspect_host "$R"; exit 0; fi
rm -rf "$T" "$L/\${T##*/}"
now=$(date +%s); made=$(stat -c %Y "$L" 2>/dev/null || echo "$now")
echo "lock-age=$((now - made))" >&2
cat "$L/owner.json" 2>/dev/null || echo '{}'
exit 10
`;

/** Releases the lock only if it is still ours (the token matches). Args: lock dir, token. */
export const UNLOCK_SCRIPT = `
L=$1
if [ -f "$L/owner.json" ] && grep -qF -- "$2" "$L/owner.json"; then rm -rf "$L"; echo released; fi
exit 0
`;

/**
 * Receives the bundle archive on stdin into a staging dir, records the release
 * (release.json, file list and checksums, which files `preserve` matched, env
 * files' checksums), moves it into place and only then copies it into
 * remote-dir. A connection dropped during the upload stops the script before
 * anything under remote-dir changed; `activating` on stdout marks the point
 * after which remote-dir may have changed.
 * Args: remote-dir, id, previous id (or ''), release JSON, merged env target (or
 * '' when compose reads the env files itself), preserved bundle paths (one a
 * line), paths to keep (one a line), env files...
 */
export const SHIP_RELEASE_SCRIPT = `${FUNCTIONS}
set -e
R=$1; ID=$2; PREV=$3; RECORD=$4; MERGED=$5; PRESERVED=$6; KEEP=$7; shift 7
REL="$R/.releases"; I="$REL/.incoming-$ID"
rm -rf "$REL"/.incoming-*
mkdir -p "$I/bundle"
tar -xzf - -C "$I/bundle"
printf '%s\\n' "$RECORD" > "$I/release.json"
(cd "$I/bundle" && find . \\( -type f -o -type l \\) -print | sed 's|^\\./||' | sort) > "$I/files"
(cd "$I/bundle" && while IFS= read -r f; do printf '%s  %s\\n' "$(file_sum "$f")" "$f"; done < ../files) > "$I/files.sha256"
if [ -n "$PRESERVED" ]; then printf '%s\\n' "$PRESERVED" > "$I/preserved"; else : > "$I/preserved"; fi
: > "$I/env.sha256"
for f in "$@"; do (cd "$R" && [ -f "$f" ] && printf '%s  %s\\n' "$(file_sum "$f")" "$f" >> "$I/env.sha256") || true; done
# the host's own compose override, so a drift check sees it edited later
if [ -f "$R/docker-compose.override.yml" ]; then printf '%s  %s\\n' "$(file_sum "$R/docker-compose.override.yml")" docker-compose.override.yml > "$I/host.sha256"; fi
rm -rf "$REL/$ID"
mv "$I" "$REL/$ID"
echo activating
set +e
activate "$R" "$ID" "$PREV" forward "$KEEP" || exit $?
set -e
if [ -n "$MERGED" ]; then cd "$R" && merge_env "$MERGED" "$@"; fi
`;

/**
 * Copies a kept release into remote-dir (rollback, restore).
 * Args: remote-dir, id, previous id (or ''), mode (forward|restore), paths to keep,
 * preserve patterns (for releases recorded before the preserved list).
 */
export const ACTIVATE_SCRIPT = `${FUNCTIONS}
PRESERVE=$6
activate "$1" "$2" "$3" "$4" "$5"
`;

/** Writes one env file from several (later wins), for compose v1 which takes one. Args: remote-dir, target, files... */
export const MERGE_ENV_SCRIPT = `${FUNCTIONS}
cd "$1" || exit 1; shift
merge_env "$@"
`;

/**
 * The end of a good deploy, in one exec: the release becomes current, its
 * status is written, old releases beyond keep-releases go (never the current one
 * or the one before it), and the lock is released if it is still ours.
 * Args: remote-dir, id, keep-releases, status text, lock dir ('' to keep it), lock token.
 */
export const FINISH_SCRIPT = `
set -e
R=$1; ID=$2; KEEP=$3; REL="$R/.releases"
printf '%s\\n' "$ID" > "$REL/current.tmp"
mv -f "$REL/current.tmp" "$REL/current"
printf '%s\\n' "$4" > "$REL/$ID/status"
PREV=$(grep -vxF -- "$ID" "$REL/history" 2>/dev/null | tail -n 1 || true)
printf '%s\\n' "$ID" >> "$REL/history"
count=0
for d in $(ls -1 "$REL" | sort -r); do
  [ -f "$REL/$d/release.json" ] || continue
  count=$((count + 1))
  if [ "$count" -gt "$KEEP" ] && [ "$d" != "$ID" ] && [ "$d" != "$PREV" ]; then rm -rf "$REL/$d"; fi
done
if [ -n "$5" ] && [ -f "$5/owner.json" ] && grep -qF -- "$6" "$5/owner.json"; then rm -rf "$5"; echo released; fi
`;

/** Records an outcome next to a release (e.g. `failed: health gate`). Args: remote-dir, id, text. */
export const MARK_STATUS_SCRIPT = `
R=$1; [ -d "$R/.releases/$2" ] && printf '%s\\n' "$3" > "$R/.releases/$2/status"
exit 0
`;

/**
 * Records the image each container of the release runs: `ref id` lines.
 * Args: target file, project ('' to take the ids that follow), container ids...
 */
export const RECORD_IMAGES_SCRIPT = `${FUNCTIONS}
set -e
F=$1; P=$2; shift 2
if [ -n "$P" ]; then set -- $(container_ids "$P"); fi
if [ $# -gt 0 ]; then docker inspect -f '{{.Config.Image}} {{.Image}}' "$@" | sort -u > "$F.tmp"; else : > "$F.tmp"; fi
mv -f "$F.tmp" "$F"
`;

/**
 * Re-points image tags at the exact images a release ran with, so rollback needs
 * no registry and no build. Every image is checked first: when one is gone,
 * nothing is re-tagged, `missing <ref> <id>` lines name them, and it exits 21.
 * Digest references are not tags: they are only checked.
 * Args: images file.
 */
export const RETAG_SCRIPT = `
[ -f "$1" ] || exit 0
miss=0
while read -r ref id; do
  [ -n "$id" ] || continue
  docker image inspect "$id" >/dev/null 2>&1 || { echo "missing $ref $id"; miss=1; }
done < "$1"
[ "$miss" = 0 ] || exit 21
while read -r ref id; do
  [ -n "$id" ] || continue
  # A digest reference (repo@sha256:...) or a bare id names the image itself: nothing to re-point.
  case "$ref" in *@*|sha256:*) continue;; esac
  docker tag "$id" "$ref" || exit 1
done < "$1"
exit 0
`;

/**
 * Health and state of a project's containers: `id status` lines (status = health
 * when there is a healthcheck). Args: project ('' to take the ids that follow), services or ids...
 */
export const CONTAINER_STATE_SCRIPT = `${FUNCTIONS}
P=$1; shift
if [ -n "$P" ]; then set -- $(container_ids "$P" "$@"); fi
[ $# -gt 0 ] || exit 0
docker inspect -f '{{.Id}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$@"
`;

/**
 * Before a lock a cancelled or timed-out run left behind is released: stops the
 * one-off containers (`run --rm` of the migrate-service) that run may have left
 * running, so no migration is still going when the next deploy takes the lock.
 * Only while the lock is still that run's (the token matches).
 * Args: lock dir, token, project, service.
 */
export const STOP_ONEOFF_SCRIPT = `
L=$1
[ -f "$L/owner.json" ] && grep -qF -- "$2" "$L/owner.json" || exit 0
ids=$(docker ps -q --filter "label=com.docker.compose.project=$3" --filter "label=com.docker.compose.service=$4" --filter "label=com.docker.compose.oneoff=True")
[ -n "$ids" ] || exit 0
docker stop $ids >/dev/null && echo "stopped $ids"
`;

/**
 * The health gate's first look, from the host, right after `up` in the same exec: the HTTP
 * status of one GET of health-url (no redirects followed, no proxy, no ~/.curlrc), as
 * `status=<code>`; nothing when curl is missing or no answer came. Only a 2xx passes the gate
 * at once; anything else leaves the gate to its probe from the runner, as without the look.
 * Args: url, max seconds.
 */
export const HEALTH_LOOK_SCRIPT = `
command -v curl >/dev/null 2>&1 || exit 0
code=$(curl -q -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time "$2" --url "$1" 2>/dev/null) || exit 0
echo "status=$code"
`;
