// The one exec `mode: plan` and `mode: check` run on a host: it reads, it never
// writes. POSIX sh, inputs as positional arguments (quoted by the SSH layer) and
// on stdin; every input is only expanded inside double quotes.
import { INSPECT_SCRIPT } from './host-scripts.js';

/**
 * Reads what a plan or a drift check needs, changing nothing and taking no lock:
 * the host's state (INSPECT_SCRIPT's lines), the lock and its owner, free disk
 * under remote-dir, the current release's record compared with the files on the
 * host (`same|changed|missing <path>`: no checksum comes back), the compose
 * project's containers and their images, which bundle files differ from the host's,
 * and, per env file, each key with an HMAC-SHA256 of its value.
 *
 * The HMAC key never reaches argv: stdin's first two lines are the key XOR ipad
 * and XOR opad (64 bytes each) written as printf octal escapes (`\\ooo`), so the
 * host computes HMAC(K, v) = H(K^opad || H(K^ipad || v)) with sha256sum and the
 * shell's builtin printf. The rest of stdin is `<sha256>  <path>` of each bundle file.
 *
 * Args: remote-dir, project ('' = the containers whose compose working_dir is
 * remote-dir), env files (one a line), variable names to report (one a line:
 * the `image:` variables, reported only when the value looks like an image
 * reference), image refs (one a line: the new images, looked up on the host).
 */
export const READ_SCRIPT = `${INSPECT_SCRIPT}
R=$1; P=$2; ENVS=$3; VARS=$4; REFS=$5; REL="$R/.releases"; L="$REL/.lock"; RECIDS=
IFS= read -r IPAD || IPAD=
IFS= read -r OPAD || OPAD=
nl='
'
tab='	'
cr=$(printf '\\r')
# lock
if [ -d "$L" ]; then
  echo lock=held
  now=$(date +%s); made=$(stat -c %Y "$L" 2>/dev/null || echo "$now"); echo "lock_age=$((now - made))"
  [ -f "$L/owner.json" ] && printf 'lock_owner=%s\\n' "$(tr -d '\\n' < "$L/owner.json")"
fi
# free disk where remote-dir is (or would be)
d=$R; while [ ! -d "$d" ] && [ "$d" != / ]; do d=$(dirname "$d"); done
df -Pk "$d" 2>/dev/null | awk 'NR==2 { print "disk_free_kb=" $4 }'
# the current release's record against the host's files
if [ -f "$REL/current" ]; then
  cur=$(cat "$REL/current"); D="$REL/$cur"
  [ -f "$D/status" ] && printf 'record_status=%s\\n' "$(head -n 1 "$D/status")"
  [ -f "$D/images" ] && while IFS= read -r l; do [ -n "$l" ] && echo "record_image=$l"; done < "$D/images"
  [ -f "$D/images" ] && RECIDS=$(while read -r _ id; do [ -n "$id" ] && echo "$id"; done < "$D/images")
  if [ -f "$D/written.sha256" ]; then O="$D/written.sha256"; else O="$D/files.sha256"; fi
  if [ -f "$O" ]; then
    while IFS= read -r l; do
      s=\${l%%  *}; f=\${l#*  }
      if [ ! -e "$R/$f" ] && [ ! -L "$R/$f" ]; then echo "written=missing $f"
      elif [ "$(file_sum "$R/$f")" = "$s" ]; then echo "written=same $f"
      else echo "written=changed $f"; fi
    done < "$O"
  fi
  # the host's own compose override, as recorded when the release shipped
  [ -f "$D/host.sha256" ] && while IFS= read -r l; do
    s=\${l%%  *}; f=\${l#*  }
    if [ ! -e "$R/$f" ]; then echo "host_file=missing $f"
    elif [ "$(file_sum "$R/$f")" = "$s" ]; then echo "host_file=same $f"
    else echo "host_file=changed $f"; fi
  done < "$D/host.sha256"
  # env files: what the release wrote, else the host's own as recorded when it shipped
  old=$IFS; IFS=$nl; set -f
  for f in $ENVS; do
    s=$(grep -F -- "  $f" "$D/written.sha256" 2>/dev/null | while IFS= read -r l; do [ "\${l#*  }" = "$f" ] && echo "\${l%%  *}"; done | tail -n 1)
    [ -n "$s" ] || s=$(grep -F -- "  $f" "$D/env.sha256" 2>/dev/null | while IFS= read -r l; do [ "\${l#*  }" = "$f" ] && echo "\${l%%  *}"; done | tail -n 1)
    if [ -z "$s" ]; then (cd "$R" && [ -f "$f" ]) && echo "env_record=unrecorded $f"
    elif ! (cd "$R" && [ -f "$f" ]); then echo "env_record=missing $f"
    elif [ "$(cd "$R" && file_sum "$f")" = "$s" ]; then echo "env_record=same $f"
    else echo "env_record=changed $f"; fi
  done
  IFS=$old; set +f
fi
# the compose project's containers (one-off ones included: they are told apart by label)
if command -v docker >/dev/null 2>&1; then
  if [ -n "$P" ]; then ids=$(docker ps -aq --filter "label=com.docker.compose.project=$P" 2>&1) || { echo "docker_error=$ids" | head -n 1; ids=; }
  else ids=$(docker ps -aq --filter "label=com.docker.compose.project.working_dir=$R" 2>&1) || { echo "docker_error=$ids" | head -n 1; ids=; }; fi
  # Containers typed ('container inspect': a container without a healthcheck has a nil
  # Health), then the images: theirs, the ones the release recorded and the new refs.
  imgs=
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    c=$(docker container inspect -f 'container={{index .Config.Labels "com.docker.compose.service"}}|{{.Config.Image}}|{{.Image}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.RestartCount}}|{{index .Config.Labels "com.docker.compose.oneoff"}}|{{.Name}}' $ids 2>/dev/null)
    printf '%s\\n' "$c"
    imgs=$(printf '%s\\n' "$c" | cut -d'|' -f3 | sort -u)
  fi
  old=$IFS; IFS=$nl; set -f
  # shellcheck disable=SC2086
  [ -n "$imgs$RECIDS$REFS" ] && docker image inspect -f 'image={{.Id}}|{{range .RepoTags}}{{.}},{{end}}|{{range .RepoDigests}}{{.}},{{end}}|{{.Size}}' $imgs $RECIDS $REFS 2>/dev/null
  IFS=$old; set +f
else echo docker_error=docker is not installed or not on PATH; fi
# bundle files against the host's copies: new, same or changed
while IFS= read -r l; do
  [ -n "$l" ] || continue
  s=\${l%%  *}; f=\${l#*  }
  if [ ! -e "$R/$f" ] && [ ! -L "$R/$f" ]; then echo "bundle=new $f"
  elif [ "$(sha256sum < "$R/$f" 2>/dev/null | cut -d' ' -f1)" = "$s" ]; then echo "bundle=same $f"
  else echo "bundle=changed $f"; fi
done
# env files: each key, an HMAC of its value (the text after '=', trimmed), never the value.
# All values are hashed in three pipeline stages (inner hashes, hex to octal escapes in one
# awk, outer hashes): no command substitution per key, so a few processes per key.
keys=; vals=
n=0
old=$IFS; IFS=$nl; set -f
for f in $ENVS; do
  n=$((n + 1))
  IFS=$old
  if ! (cd "$R" && [ -f "$f" ]); then echo "env_file=$n missing"; IFS=$nl; continue; fi
  echo "env_file=$n present"
  case "$f" in /*) F=$f;; *) F="$R/$f";; esac
  while IFS= read -r line || [ -n "$line" ]; do
    line=\${line%"$cr"}
    l=\${line#"\${line%%[! $tab]*}"}
    case "$l" in '#'*|'') continue;; esac
    case "$l" in 'export '*) l=\${l#export }; l=\${l#"\${l%%[! $tab]*}"};; esac
    case "$l" in *=*) ;; *) continue;; esac
    k=\${l%%=*}; k=\${k%"\${k##*[! $tab]}"}
    case "$k" in ''|*[!A-Za-z0-9_.-]*) continue;; esac
    v=\${l#*=}; v=\${v#"\${v%%[! $tab]*}"}; v=\${v%"\${v##*[! $tab]}"}
    keys="$keys$n $k$nl"; vals="$vals$v$nl"
    # the value of a variable an image: names, when it is an image reference and nothing else
    case "$nl$VARS$nl" in
      *"$nl$k$nl"*)
        u=$v
        case "$u" in \\"*\\") u=\${u#\\"}; u=\${u%\\"};; \\'*\\') u=\${u#\\'}; u=\${u%\\'};; esac
        case "$u" in ''|*[!A-Za-z0-9._/:@-]*) ;; *) echo "image_var=$n $k $u";; esac;;
    esac
  done < "$F"
  IFS=$nl
done
if [ -n "$IPAD" ] && [ -n "$keys" ]; then
  macs=$(printf '%s' "$vals" | while IFS= read -r v; do { printf "$IPAD"; printf '%s' "$v"; } | sha256sum; done |
    awk -v hx=0123456789abcdef '{ s = ""; for (i = 1; i < 64; i += 2) s = s sprintf("\\\\%03o", index(hx, substr($1, i, 1)) * 16 + index(hx, substr($1, i + 1, 1)) - 17); print s }' |
    while IFS= read -r e; do { printf "$OPAD"; printf "$e"; } | sha256sum; done)
  IFS=$old; set -- $macs; IFS=$nl
  for k in $keys; do
    [ $# -ge 2 ] || break
    echo "env_key=$k $1"; shift 2
  done
fi
IFS=$old; set +f
exit 0
`;
