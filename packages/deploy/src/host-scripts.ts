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

/** Reads the host's state without changing anything: `key=value` lines. Args: remote-dir. */
export const INSPECT_SCRIPT = `
R=$1; REL="$R/.releases"
if docker compose version >/dev/null 2>&1; then echo compose=v2
elif command -v docker-compose >/dev/null 2>&1; then echo compose=v1
else echo compose=none; fi
[ -f "$REL/current" ] && echo "current=$(cat "$REL/current")"
[ -f "$R/docker-compose.override.yml" ] && echo override=yes
[ -d "$R" ] && echo exists=yes
if [ -f "$REL/history" ]; then while IFS= read -r id; do echo "history=$id"; done < "$REL/history"; fi
if [ -d "$REL" ]; then for d in "$REL"/*/; do [ -f "$d/release.json" ] && echo "release=$(basename "$d")"; done; fi
exit 0
`;

/**
 * Takes the host lock: mkdir is atomic, so of two deploys exactly one wins.
 * Args: remote-dir, owner JSON. Exit 0 = taken; 10 = held (prints the owner).
 */
export const LOCK_SCRIPT = `
R=$1; L="$R/.releases/.lock"
mkdir -p "$R/.releases" || exit 3
if mkdir "$L" 2>/dev/null; then printf '%s\\n' "$2" > "$L/owner.json"; exit 0; fi
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
 * Receives the bundle archive on stdin into a staging dir. Nothing under
 * remote-dir changes until it has fully arrived, so a dropped connection
 * leaves the host as it was. Args: remote-dir, release id.
 */
export const RECEIVE_SCRIPT = `
set -e
R=$1; REL="$R/.releases"; I="$REL/.incoming-$2"
rm -rf "$REL"/.incoming-*
mkdir -p "$I/bundle"
tar -xzf - -C "$I/bundle"
`;

/**
 * Stores the release record (stdin) with the checksums of the host's env files,
 * then moves the staged release into place. Args: remote-dir, id, env files...
 */
export const COMMIT_RELEASE_SCRIPT = `
set -e
R=$1; ID=$2; shift 2; REL="$R/.releases"; I="$REL/.incoming-$ID"
cat > "$I/release.json"
(cd "$I/bundle" && find . \\( -type f -o -type l \\) -print | sed 's|^\\./||' | sort) > "$I/files"
: > "$I/env.sha256"
for f in "$@"; do (cd "$R" && [ -f "$f" ] && sha256sum -- "$f" >> "$I/env.sha256") || true; done
rm -rf "$REL/$ID"
mv "$I" "$REL/$ID"
`;

/**
 * Copies a release's files into remote-dir. Preserved paths are written only
 * when the host has none; files the previous release shipped and this one does
 * not are removed (preserved ones never). Each file is replaced by rename, and
 * the copy ignores SIGHUP so a dropped link cannot stop it half-way.
 * Args: remote-dir, release id, previous id (or ''), preserve list (one a line).
 */
export const ACTIVATE_SCRIPT = `
set -e
trap '' HUP
R=$1; ID=$2; PREV=$3; PRESERVE=$4; REL="$R/.releases"; B="$REL/$ID/bundle"
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
while IFS= read -r f; do
  if is_preserved "$f" && { [ -e "$R/$f" ] || [ -L "$R/$f" ]; }; then continue; fi
  case "$f" in */*) mkdir -p "$R/\${f%/*}";; esac
  cp -P "$B/$f" "$R/$f.deploy-tmp"
  mv -f "$R/$f.deploy-tmp" "$R/$f"
done < "$REL/$ID/files"
if [ -n "$PREV" ] && [ "$PREV" != "$ID" ] && [ -f "$REL/$PREV/files" ]; then
  while IFS= read -r f; do
    is_preserved "$f" && continue
    grep -qxF -- "$f" "$REL/$ID/files" || rm -f "$R/$f"
  done < "$REL/$PREV/files"
fi
`;

/**
 * Marks a release as the host's current one and trims old releases (never the
 * current one or the one before it). Args: remote-dir, id, keep-releases.
 */
export const MARK_CURRENT_SCRIPT = `
set -e
R=$1; ID=$2; KEEP=$3; REL="$R/.releases"
printf '%s\\n' "$ID" > "$REL/current.tmp"
mv -f "$REL/current.tmp" "$REL/current"
PREV=$(grep -vxF -- "$ID" "$REL/history" 2>/dev/null | tail -n 1 || true)
printf '%s\\n' "$ID" >> "$REL/history"
count=0
for d in $(ls -1 "$REL" | sort -r); do
  [ -f "$REL/$d/release.json" ] || continue
  count=$((count + 1))
  if [ "$count" -gt "$KEEP" ] && [ "$d" != "$ID" ] && [ "$d" != "$PREV" ]; then rm -rf "$REL/$d"; fi
done
`;

/** Records an outcome next to a release (e.g. `failed: health gate`). Args: remote-dir, id, text. */
export const MARK_STATUS_SCRIPT = `
R=$1; [ -d "$R/.releases/$2" ] && printf '%s\\n' "$3" > "$R/.releases/$2/status"
exit 0
`;

/** Writes one env file from several (later wins), for compose v1 which takes one. Args: target, files... */
export const MERGE_ENV_SCRIPT = `
set -e
T=$1; shift
: > "$T.tmp"; chmod 600 "$T.tmp"
for f in "$@"; do cat "$f" >> "$T.tmp"; printf '\\n' >> "$T.tmp"; done
mv -f "$T.tmp" "$T"
`;

/** Records the image each container of the release runs: `ref id` lines. Args: target file, container ids... */
export const RECORD_IMAGES_SCRIPT = `
set -e
F=$1; shift
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

/** Health and state of containers: `id status` lines (status = health when there is a healthcheck). Args: ids... */
export const CONTAINER_STATE_SCRIPT = `
[ $# -gt 0 ] || exit 0
docker inspect -f '{{.Id}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$@"
`;

/** Fetches a URL on the host with whatever is there (wget, curl, busybox). Args: url. */
export const FETCH_URL_SCRIPT = `
if command -v curl >/dev/null 2>&1; then exec curl -fsS -o /dev/null --max-time 10 "$1"; fi
if command -v wget >/dev/null 2>&1; then exec wget -q -O /dev/null -T 10 "$1"; fi
exec busybox wget -q -O /dev/null -T 10 "$1"
`;
