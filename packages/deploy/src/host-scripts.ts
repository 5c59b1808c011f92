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
  if command -v docker >/dev/null 2>&1 && compose_plugin; then echo compose=v2
  elif docker compose version >/dev/null 2>&1; then echo compose=v2
  elif command -v docker-compose >/dev/null 2>&1; then echo compose=v1
  else echo compose=none; fi
  [ -f "$REL/current" ] && echo "current=$(cat "$REL/current")"
  [ -f "$R/docker-compose.override.yml" ] && echo override=yes
  [ -d "$R" ] && echo exists=yes
  if [ -f "$REL/history" ]; then while IFS= read -r id; do echo "history=$id"; done < "$REL/history"; fi
  if [ -d "$REL" ]; then for d in "$REL"/*/; do [ -f "$d/release.json" ] && echo "release=$(basename "$d")"; done; fi
  return 0
}
nl='
'
is_preserved() {
  old=$IFS; IFS=$nl; set -f
  for p in $PRESERVE; do
    p=\${p%/}
    if [ "$1" = "$p" ]; then IFS=$old; set +f; return 0; fi
    case "$1" in "$p"/*) IFS=$old; set +f; return 0;; esac
  done
  IFS=$old; set +f; return 1
}
# activate R ID PREV: copy release ID into R; preserved paths only when missing;
# drop what PREV shipped and ID does not. SIGHUP is ignored so a dropped link
# cannot stop the copy half-way; each file is replaced by rename.
activate() {
  trap '' HUP
  A_R=$1; A_ID=$2; A_PREV=$3; A_REL="$A_R/.releases"; A_B="$A_REL/$A_ID/bundle"
  while IFS= read -r f; do
    if is_preserved "$f" && { [ -e "$A_R/$f" ] || [ -L "$A_R/$f" ]; }; then continue; fi
    case "$f" in */*) mkdir -p "$A_R/\${f%/*}" || return 1;; esac
    cp -P "$A_B/$f" "$A_R/$f.deploy-tmp" || return 1
    mv -f "$A_R/$f.deploy-tmp" "$A_R/$f" || return 1
  done < "$A_REL/$A_ID/files"
  if [ -n "$A_PREV" ] && [ "$A_PREV" != "$A_ID" ] && [ -f "$A_REL/$A_PREV/files" ]; then
    while IFS= read -r f; do
      is_preserved "$f" && continue
      grep -qxF -- "$f" "$A_REL/$A_ID/files" || rm -f "$A_R/$f"
    done < "$A_REL/$A_PREV/files"
  fi
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
 * (release.json, file list, env files' checksums), moves it into place and only
 * then copies it into remote-dir. A connection dropped during the upload stops
 * the script before anything under remote-dir changed.
 * Args: remote-dir, id, previous id (or ''), preserve (one a line), release JSON,
 * merged env target (or '' when compose reads the env files itself), env files...
 */
export const SHIP_RELEASE_SCRIPT = `${FUNCTIONS}
set -e
R=$1; ID=$2; PREV=$3; PRESERVE=$4; RECORD=$5; MERGED=$6; shift 6
REL="$R/.releases"; I="$REL/.incoming-$ID"
rm -rf "$REL"/.incoming-*
mkdir -p "$I/bundle"
tar -xzf - -C "$I/bundle"
printf '%s\\n' "$RECORD" > "$I/release.json"
(cd "$I/bundle" && find . \\( -type f -o -type l \\) -print | sed 's|^\\./||' | sort) > "$I/files"
(cd "$I/bundle" && while IFS= read -r f; do sha256sum -- "$f"; done < ../files) > "$I/files.sha256"
: > "$I/env.sha256"
for f in "$@"; do (cd "$R" && [ -f "$f" ] && sha256sum -- "$f" >> "$I/env.sha256") || true; done
rm -rf "$REL/$ID"
mv "$I" "$REL/$ID"
activate "$R" "$ID" "$PREV"
if [ -n "$MERGED" ]; then cd "$R" && merge_env "$MERGED" "$@"; fi
`;

/** Copies a kept release into remote-dir (rollback, restore). Args: remote-dir, id, previous id (or ''), preserve. */
export const ACTIVATE_SCRIPT = `${FUNCTIONS}
PRESERVE=$4
activate "$1" "$2" "$3"
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
 * Args: remote-dir, id, keep-releases, status text, lock dir, lock token.
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
if [ -f "$5/owner.json" ] && grep -qF -- "$6" "$5/owner.json"; then rm -rf "$5"; echo released; fi
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

/** Re-points image tags at the exact images a release ran with, so rollback needs no registry. Args: images file. */
export const RETAG_SCRIPT = `
[ -f "$1" ] || exit 0
while read -r ref id; do
  [ -n "$id" ] || continue
  docker image inspect "$id" >/dev/null 2>&1 && docker tag "$id" "$ref"
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
