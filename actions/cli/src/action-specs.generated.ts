// Generated from the action.yml files by scripts/gen-cli-specs.mjs (npm run build -- cli); do not edit.
import type { ActionSpec } from './specs.js';

export const actionSpecs: Record<string, ActionSpec> = {
  "ssh-deploy": {
    "description": "Ships a compose bundle to one or many hosts over SSH and rolls it out with a host lock, release history, migrations, a health gate and automatic rollback.",
    "inputs": {
      "host": {
        "description": "Target host(s), one a line; `host:port` allowed.",
        "required": true
      },
      "port": {
        "description": "SSH port, used for hosts given without `:port`.",
        "required": false,
        "default": "22"
      },
      "username": {
        "description": "SSH user.",
        "required": true
      },
      "private-key": {
        "description": "Private key (OpenSSH or PEM; ed25519, ECDSA or RSA). Pass a secret. Kept in memory only: never written to disk, masked in logs. Checked before connecting (format, passphrase).",
        "required": false
      },
      "passphrase": {
        "description": "Passphrase of `private-key`, when it is encrypted.",
        "required": false
      },
      "host-fingerprint": {
        "description": "Expected host key fingerprint(s), one a line: `SHA256:...` as `ssh-keygen -lf` prints (accepted for every host), or `host=SHA256:...` / `host:port=SHA256:...` (accepted only for that host; every host then needs its own line). Use this or `known-hosts`.",
        "required": false
      },
      "known-hosts": {
        "description": "known_hosts lines (or a path to a known_hosts file) for the host(s).",
        "required": false
      },
      "insecure-ignore-host-key": {
        "description": "Accept the key of a host nothing is expected for (no `host-fingerprint` or `known-hosts` entry that applies to it). Never overrides an expected key that differs. Dangerous: anyone on the path can impersonate such a host. Loudly warned.",
        "required": false,
        "default": "false"
      },
      "proxy-host": {
        "description": "Bastion (jump host) to connect through: `host` or `host:port`.",
        "required": false
      },
      "proxy-port": {
        "description": "Bastion SSH port.",
        "required": false,
        "default": "22"
      },
      "proxy-username": {
        "description": "Bastion user (default: `username`).",
        "required": false
      },
      "proxy-private-key": {
        "description": "Bastion private key (default: `private-key`).",
        "required": false
      },
      "proxy-passphrase": {
        "description": "Passphrase of `proxy-private-key` (default: `passphrase` when the bastion uses `private-key`).",
        "required": false
      },
      "proxy-host-fingerprint": {
        "description": "Expected bastion host key fingerprint(s), `SHA256:...`, one a line.",
        "required": false
      },
      "connect-timeout": {
        "description": "How long to wait for an SSH connection (retried with backoff within this time).",
        "required": false,
        "default": "30s"
      },
      "transport": {
        "description": "`ssh`, or `local` for a self-hosted runner on the host itself.",
        "required": false,
        "default": "ssh"
      },
      "source-dir": {
        "description": "Directory holding the bundle (compose file, scripts, config).",
        "required": false,
        "default": "."
      },
      "files": {
        "description": "Globs in `source-dir` to ship, one a line. Default: everything.",
        "required": false
      },
      "remote-dir": {
        "description": "Where the stack lives on the host, e.g. `/opt/myapp/prod` (absolute, no `..`; normalised first, so `/opt//app/./` is `/opt/app`). Never `/`, a system directory (`/etc`, `/usr`, `/bin`, `/lib*`, `/boot`, `/dev`, `/proc`, `/sys`, `/run`, ... and anything below them) or a shared root itself (`/home`, `/opt`, `/srv`, `/tmp`, `/var`, `/root`, ...). Releases and the host lock are kept under `<remote-dir>/.releases` (mode 0700). `{host}` is replaced by each host's address (several stacks on one machine).",
        "required": true
      },
      "preserve": {
        "description": "Paths in remote-dir never overwritten or deleted, one a line, relative to remote-dir: `./x`, `x/` (a directory) and globs (`*.env`, `data/**`, matched as `files` matches) work; `!` patterns and paths leaving remote-dir are refused. A preserved file the bundle carries is written only when the host has none. Whatever this list says, a file is only ever removed when a release wrote it and it is unchanged since.",
        "required": false,
        "default": ".env\ndocker-compose.override.yml\ndata/\nlogs/\n"
      },
      "keep-releases": {
        "description": "How many releases to keep on the host for rollback (2 or more; the current and the previous one are never removed).",
        "required": false,
        "default": "5"
      },
      "strategy": {
        "description": "`compose` (the built-in rollout: `up -d` recreates changed containers), `rolling` (the same rollout, but the services in `rolling-services` are replaced without downtime: new containers start next to the old ones, become healthy, the old ones get SIGTERM, finish their requests in flight and are removed; see docs/zero-downtime.md), `swarm` (`docker stack deploy --with-registry-auth --prune` of the compose file as `docker compose config` interpolates it, on a swarm manager; waits until every service converged, then the health gate; a failure redeploys the previous release's recorded stack file; needs `project-name`, the stack name; see docs/actions/ssh-deploy.md), or `script` (run `script` with the env exported).",
        "required": false,
        "default": "compose"
      },
      "rolling-services": {
        "description": "With `strategy: rolling`: the services to replace without downtime, one a line. Default: every service with a healthcheck, no host port and no `container_name`. A named service that cannot run twice fails the step before any container changes (`not-rollable`).",
        "required": false
      },
      "rolling-drain": {
        "description": "With `strategy: rolling`: how long the new containers are in the service's DNS name before the old ones get SIGTERM, counted from when they joined it (so usually already over once they are healthy): the proxy's DNS refresh. 1s covers a proxy set up as docs/zero-downtime.md says (Caddy `refresh 1s`, nginx `valid=1s`); with Traefik, the healthcheck interval plus Traefik's providersThrottleDuration. Requests in flight are not cut by it: the old containers keep their networks until they exit, and finish them on SIGTERM within `stop_grace_period`.",
        "required": false,
        "default": "1s"
      },
      "compose-files": {
        "description": "Compose files on the host, one a line. Default: the bundle's compose file plus the host's `docker-compose.override.yml` when present.",
        "required": false
      },
      "env-files": {
        "description": "Env files on the host, in order, one a line; later wins.",
        "required": false
      },
      "project-name": {
        "description": "Compose project name; isolates several stacks or environments on one host. `{host}` is replaced by each host's address (dots become dashes).",
        "required": false
      },
      "services-first": {
        "description": "Services started and healthy before migrations (databases), one a line.",
        "required": false
      },
      "migrate-service": {
        "description": "A one-off service run with `run --rm` before the app changes; its failure stops the rollout.",
        "required": false
      },
      "services": {
        "description": "Services to roll out, one a line. Default: all.",
        "required": false
      },
      "pull": {
        "description": "Pull images before rolling out.",
        "required": false,
        "default": "true"
      },
      "build": {
        "description": "Build images on the host (for `transport: local` or build-on-host setups).",
        "required": false,
        "default": "false"
      },
      "pre-deploy": {
        "description": "Shell run on the host in remote-dir under the lock, before the new release is shipped (e.g. a backup). Sees the env files' variables exported with exactly the values compose reads (parsed by compose's rules, never run as shell; a file not on the host yet is skipped), as they are on the host before this release ships (the previous release's values; none on a first deploy), and DEPLOY_RELEASE_ID, DEPLOY_PREVIOUS_RELEASE_ID, DEPLOY_REMOTE_DIR, DEPLOY_RELEASE_DIR, DEPLOY_HOST, DEPLOY_COMMIT, COMPOSE_PROJECT_NAME. Its failure stops the deploy.",
        "required": false
      },
      "post-deploy": {
        "description": "Shell run on the host in remote-dir after a healthy rollout, once the release is marked current, still under the lock (same environment as `pre-deploy`). Its failure fails the step (`post-deploy-failed`); the release stays live and current.",
        "required": false
      },
      "script": {
        "description": "With `strategy: script`: the shell run on the host in remote-dir once the new release is in place (same environment as `pre-deploy`).",
        "required": false
      },
      "health-url": {
        "description": "URL probed from the host's side after the rollout, tunnelled through the SSH connection, so loopback and BIND_IP addresses work (e.g. `http://127.0.0.1:8080/api/ready`). 2xx passes. `{host}` is replaced by the host's address.",
        "required": false
      },
      "health-cmd": {
        "description": "Shell run on the host after the rollout; exit 0 means healthy.",
        "required": false
      },
      "health-timeout": {
        "description": "How long the health gate waits.",
        "required": false,
        "default": "2m"
      },
      "rollback": {
        "description": "Instead of deploying: re-activate `previous` or a release id: its recorded images (re-tagged, never pulled or built), its files, `up -d --remove-orphans`, the health gate. The migrator never runs on a rollback (the schema stays: migrate expand/contract).",
        "required": false
      },
      "lock-timeout": {
        "description": "How long to wait for another deploy's host lock.",
        "required": false,
        "default": "5m"
      },
      "parallel": {
        "description": "Hosts deployed at once; 1 = rolling.",
        "required": false,
        "default": "1"
      },
      "fail-fast": {
        "description": "Stop at the first failed host.",
        "required": false,
        "default": "true"
      },
      "dry-run": {
        "description": "Print the plan; change nothing.",
        "required": false,
        "default": "false"
      },
      "mode": {
        "description": "`deploy`; `plan`: connect, read each host (one exec, no lock) and report what the deploy would change: per service image old → new, env keys added/removed/changed (names only, compared by HMAC with a key made for the run), migrations, restarts, files shipped/removed, host problems (lock held, disk, compose, drift); outputs `plan` and a summary, changes nothing; or `check`: compare each host with the release it records as current (images, services missing/extra/stopped/restarting/unhealthy, files and env files changed since, a lock left behind); outputs `drift` and a summary, changes nothing.",
        "required": false,
        "default": "deploy"
      },
      "fail-on-drift": {
        "description": "With `mode: check`: fail the step (`error-code` `drift`) when a host drifted. `false` only reports (outputs `drift`, `drifted`).",
        "required": false,
        "default": "true"
      },
      "timeout": {
        "description": "Overall limit for one host's deploy. When it runs out, no new step starts and what the deploy changed is undone (a health gate in progress finishes and rolls back); if that does not end within health-timeout + 2m, the connection is closed and the host reported `running: unknown`.",
        "required": false,
        "default": "30m"
      },
      "compose-version": {
        "description": "`auto` (Compose v2, `docker compose`, when the host has it, else v1 `docker-compose`), `v2` or `v1` to force one.",
        "required": false,
        "default": "auto"
      },
      "fleet-rollback": {
        "description": "Many hosts: when a host fails, roll the hosts this run already deployed back to the release they ran before (recorded images, no migrator), so the fleet is not left mixed. The `hosts` output says per host what runs.",
        "required": false,
        "default": "false"
      }
    },
    "outputs": {
      "release-id": "The release now active.",
      "previous-release-id": "The release that was active before.",
      "rolled-back": "`true` when a failure restored the previous release and started it (health gate, or a failure after the app changed, or fleet-rollback).",
      "hosts": "JSON: per-host result (host, status, release, previousRelease, running: the release running there afterwards or `unknown`, rolledBack, durationMs, error, errorCode).",
      "plan": "`mode: plan`: JSON, one entry per host: release, current, strategy, compose, steps, services (service, change, old/new image and digest, restarts), restarts, env (added, removed, changed, unknown: names only), migrations, files (shipped, added, changed, removed, keptChanged, preservedSkipped), images (toPull), diskFreeBytes, lock, problems, notes, drift.",
      "drift": "`mode: check`: JSON, one entry per host: host, release, clean, items (kind: image | missing | stopped | extra | restarting | unhealthy | file | env-file | lock | record, service or path, detail).",
      "drifted": "`mode: check`: `true` when a host no longer matches its recorded release.",
      "error-code": "Set when the step fails: a stable code for what went wrong."
    }
  },
  "render-env": {
    "description": "Builds the runtime env file from a template, layers and secrets, exactly as Docker Compose reads it, and proves the compose file resolves.",
    "inputs": {
      "template": {
        "description": "The `.env.example` that declares every key the stack needs: `KEY=` is required, `KEY=value` a default, the comment above a key documents it.",
        "required": false
      },
      "env-files": {
        "description": "Env files layered over the template, one a line; later wins.",
        "required": false
      },
      "vars": {
        "description": "Non-secret values: `KEY=VALUE` lines, or a YAML/JSON mapping. Layered over env-files.",
        "required": false
      },
      "secrets": {
        "description": "A JSON object, e.g. the expression `toJSON(secrets)`. Only keys the template declares are taken; every value is masked.",
        "required": false
      },
      "output": {
        "description": "Where to write the rendered file (mode 0600).",
        "required": false,
        "default": ".env"
      },
      "format": {
        "description": "`dotenv` or `json`.",
        "required": false,
        "default": "dotenv"
      },
      "compose-file": {
        "description": "Compose file(s), one a line, to interpolate with the rendered values and check: everything `docker compose config` or `up` would refuse fails the step (`compose-invalid`).",
        "required": false
      },
      "require-digest": {
        "description": "Fail when any image in the compose file is not pinned `@sha256:`.",
        "required": false,
        "default": "false"
      },
      "policy": {
        "description": "Runtime hardening checks on the compose file: `none`, `recommended` (warn) or `strict` (fail).",
        "required": false,
        "default": "none"
      },
      "keep": {
        "description": "Keep the rendered file after the job (by default the `post:` step removes it, or puts back the file that was there before the step; it also runs when the job is cancelled).",
        "required": false,
        "default": "false"
      },
      "deploy-only": {
        "description": "The stack only runs published images: with `policy`, a service with `build:` is a finding.",
        "required": false,
        "default": "false"
      },
      "target": {
        "description": "Where the stack runs, for `policy`: `compose` (`docker compose up`) or `swarm` (`docker stack deploy`, as ssh-deploy's `strategy: swarm` does it). With `swarm`, a service without `deploy.update_config.order: start-first` or `failure_action: rollback`, or with `build:` but no `image:`, is a finding (besides `no-healthcheck`); the restart-policy rule is off (swarm restarts failed tasks by default).",
        "required": false,
        "default": "compose"
      },
      "data-root": {
        "description": "Host folder that must hold the stack's data (e.g. `/opt/shop/prod/data`): with `policy`, named and anonymous volumes are findings. Also switched on by a `DATA_DIR`/`DATA_ROOT`/`DATA_PATH`-style key in the rendered env.",
        "required": false
      },
      "verified-images": {
        "description": "Image references pinned by digest (`registry/repo@sha256:...`), one a line: the ones verify-signature proved (its `image-ref` outputs). When set (or `allow-images` is), every compose service's `image:` after interpolation must be one of them or allowed by `allow-images`, services under profiles included; a service that is only built on the host is refused. Needs `compose-file`.",
        "required": false
      },
      "allow-images": {
        "description": "Images allowed without verification, one a line: `repo@sha256:...` (that digest), `repo:tag` (exactly that tag, which can move), or a bare `repo` (any digest of that repository, never a tag). Docker Hub names are normalised (`postgres` is `docker.io/library/postgres`).",
        "required": false
      },
      "protected-keys": {
        "description": "Keys whose final value must come from `vars`, one a line (e.g. `APP_IMAGE`, set from a verified `image-ref`). Fails when `vars` does not set one, or a later layer (`secrets`) would replace it; the template and env files may declare it, `vars` wins over them.",
        "required": false
      },
      "secret-keys": {
        "description": "The only keys of `secrets` that are used, one a line; the others are ignored and never named in logs or the summary. Unset: the keys the template declares (the old rule, where the deployed ref's template decides). Safe setting: list exactly the secrets the stack needs.",
        "required": false
      },
      "forbidden-keys": {
        "description": "Keys that must never reach the env file, one a line (the SSH key, registry password, tokens): fails when the template, an env file, `vars` or `secret-keys` declares one.",
        "required": false
      }
    },
    "outputs": {
      "env-file": "Path of the rendered file.",
      "keys": "The rendered keys, one a line (names only).",
      "sha256": "HMAC-SHA256 of the rendered file under a random key made for this run: tells files of one run apart, says nothing about the values. (A plain hash of a file holding secrets would let a weak secret be guessed offline.)",
      "compose-config": "The compose file(s) interpolated and merged, secrets kept as references: `docker compose config` reads it exactly as it reads the original files with the rendered env file (tested against Compose v2).",
      "error-code": "Set when the step fails: a stable code for what went wrong."
    }
  },
  "wait-ready": {
    "description": "Waits until every HTTP(S)/TCP probe passes, or fails with the evidence: status, error and body per URL.",
    "inputs": {
      "url": {
        "description": "URL(s) to probe, one a line: `http(s)://...` or `tcp://host:port`. All must pass.",
        "required": true
      },
      "method": {
        "description": "HTTP method.",
        "required": false,
        "default": "GET"
      },
      "headers": {
        "description": "Request headers, `Name: value` one a line (e.g. `Authorization: Bearer ...`).",
        "required": false
      },
      "expect-status": {
        "description": "Accepted status codes and ranges, e.g. `200-299,301`.",
        "required": false,
        "default": "200-299"
      },
      "expect-body": {
        "description": "A regular expression the body must match.",
        "required": false
      },
      "timeout": {
        "description": "Overall limit; the gate fails when it is reached.",
        "required": false,
        "default": "5m"
      },
      "interval": {
        "description": "Wait between attempts, backing off (with jitter) up to `max-interval`.",
        "required": false,
        "default": "2s"
      },
      "max-interval": {
        "description": "Longest wait between attempts.",
        "required": false,
        "default": "15s"
      },
      "request-timeout": {
        "description": "Limit for one request; a hanging server cannot stall the gate.",
        "required": false,
        "default": "10s"
      },
      "success-threshold": {
        "description": "Consecutive passes needed per URL.",
        "required": false,
        "default": "1"
      },
      "initial-delay": {
        "description": "Wait before the first attempt.",
        "required": false,
        "default": "0s"
      },
      "ca-cert": {
        "description": "PEM CA certificate(s) to trust (inline or a path), for private CAs.",
        "required": false
      },
      "insecure-tls": {
        "description": "Skip TLS certificate verification. Warned.",
        "required": false,
        "default": "false"
      },
      "follow-redirects": {
        "description": "Follow up to 5 redirects (credentials are not sent to another origin). Off by default: a 302 to a login page is not \"ready\"; it fails with the redirect target shown, unless `expect-status` accepts it.",
        "required": false,
        "default": "false"
      },
      "via-ssh": {
        "description": "Probe from the deploy host through SSH (the connection inputs below, as in ssh-deploy), for endpoints bound to its loopback or `BIND_IP`.",
        "required": false,
        "default": "false"
      },
      "host": {
        "description": "With `via-ssh`: the host(s) to probe from, one a line; `host:port` allowed. With several, every URL must pass from every host.",
        "required": false
      },
      "port": {
        "description": "SSH port, used for hosts given without `:port`.",
        "required": false,
        "default": "22"
      },
      "username": {
        "description": "SSH user.",
        "required": false
      },
      "private-key": {
        "description": "Private key (OpenSSH or PEM; ed25519, ECDSA or RSA). Pass a secret. Kept in memory only: never written to disk.",
        "required": false
      },
      "passphrase": {
        "description": "Passphrase of `private-key`, when it is encrypted.",
        "required": false
      },
      "host-fingerprint": {
        "description": "Expected host key fingerprint(s), one a line: `SHA256:...` as `ssh-keygen -lf` prints (accepted for every host), or `host=SHA256:...` / `host:port=SHA256:...` (accepted only for that host; every host then needs its own line). Use this or `known-hosts`.",
        "required": false
      },
      "known-hosts": {
        "description": "known_hosts lines (or a path to a known_hosts file) for the host(s).",
        "required": false
      },
      "insecure-ignore-host-key": {
        "description": "Accept the key of a host nothing is expected for (no `host-fingerprint` or `known-hosts` entry that applies to it). Never overrides an expected key that differs. Dangerous: anyone on the path can impersonate such a host. Loudly warned.",
        "required": false,
        "default": "false"
      },
      "proxy-host": {
        "description": "Bastion (jump host) to connect through: `host` or `host:port`.",
        "required": false
      },
      "proxy-port": {
        "description": "Bastion SSH port.",
        "required": false,
        "default": "22"
      },
      "proxy-username": {
        "description": "Bastion user (default: `username`).",
        "required": false
      },
      "proxy-private-key": {
        "description": "Bastion private key (default: `private-key`).",
        "required": false
      },
      "proxy-passphrase": {
        "description": "Passphrase of `proxy-private-key`, when it is encrypted.",
        "required": false
      },
      "proxy-host-fingerprint": {
        "description": "Expected bastion host key fingerprint(s), `SHA256:...`, one a line.",
        "required": false
      },
      "connect-timeout": {
        "description": "How long to wait for an SSH connection (retried with backoff within this time).",
        "required": false,
        "default": "30s"
      }
    },
    "outputs": {
      "ready": "`true` when every URL passed.",
      "attempts": "Attempts made (all URLs).",
      "elapsed-ms": "Time until ready (or until giving up), in milliseconds.",
      "status": "The last HTTP status per URL, one `url status` a line (the URL as given; `host url status` when probing via-ssh from several hosts); `open`/`closed` for `tcp://`, `none` when no HTTP answer came.",
      "error-code": "Set when the step fails: a stable code for what went wrong (`not-ready`, `invalid-input`, `cancelled`, `ssh-connect`, `ssh-auth`, `host-key-mismatch`)."
    }
  },
  "verify-signature": {
    "description": "Proves an image is signed by the expected signer (cosign/sigstore, key or keyless), optionally carries required attestations, and pins it by digest. In-process: nothing to download.",
    "inputs": {
      "image": {
        "description": "The image: `registry/repo:tag` or `registry/repo@sha256:...`.",
        "required": true
      },
      "key": {
        "description": "A PEM public key (inline, or a path to a file): ECDSA P-256, Ed25519 or RSA. Use this or the keyless identity inputs.",
        "required": false
      },
      "certificate-identity": {
        "description": "Keyless: the exact signer identity (SAN), e.g. `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`.",
        "required": false
      },
      "certificate-identity-regexp": {
        "description": "Keyless: a regular expression the signer identity must match in full (it is anchored for you).",
        "required": false
      },
      "certificate-oidc-issuer": {
        "description": "Keyless: the exact OIDC issuer, e.g. `https://token.actions.githubusercontent.com`.",
        "required": false
      },
      "certificate-github-workflow-repository": {
        "description": "Keyless: the repository whose workflow run signed, `owner/name` (or `https://<host>/owner/name`): the certificate's source repository (OID 1.3.6.1.4.1.57264.1.12, legacy .1.5) must be it. Needed when the identity is a reusable workflow that other repositories can call. Empty: not checked.",
        "required": false
      },
      "certificate-github-workflow-ref": {
        "description": "Keyless: the ref the signing run was for, e.g. `refs/heads/main`: the certificate's source repository ref (OID 1.3.6.1.4.1.57264.1.14, legacy .1.6) must be it. Empty: not checked.",
        "required": false
      },
      "certificate-github-workflow-sha": {
        "description": "Keyless: the commit the signing run was for (40 hex digits): the certificate's source repository digest (OID 1.3.6.1.4.1.57264.1.13, legacy .1.3) must be it, e.g. the commit of the `sha-<commit>` tag being deployed. Empty: not checked.",
        "required": false
      },
      "require-docker-reference": {
        "description": "Require the signature to name the repository being verified (the signed `critical.identity.docker-reference`, or a signed statement's subject name), not only the digest: a signed image copied into another repository then fails. cosign v3 bundle signatures name only the digest: sign them with `-a docker-reference=<repository>`.",
        "required": false,
        "default": "false"
      },
      "attestations": {
        "description": "Required attestation predicate types, one a line: `slsaprovenance`, `spdxjson`, `cyclonedx`, or a full URI.",
        "required": false
      },
      "registry-username": {
        "description": "Registry user name (for GHCR, the expression `github.actor`).",
        "required": false
      },
      "registry-password": {
        "description": "Registry password or token (for GHCR, the expression `secrets.GITHUB_TOKEN`). Sent only to the image's registry and to a token server on the same host (or listed in `registry-token-realms`).",
        "required": false
      },
      "registry-token-realms": {
        "description": "Token servers on another host than the registry that may receive the registry credentials, as origins, one a line (e.g. `https://gitlab.com` for `registry.gitlab.com`). Docker Hub's `https://auth.docker.io` is known. Any other realm a registry names gets no credentials.",
        "required": false
      },
      "trusted-root": {
        "description": "A sigstore `trusted_root.json` (path). Default: the public-good instance's root shipped with the action.",
        "required": false
      },
      "github-repository": {
        "description": "Also check GitHub artifact attestations (`actions/attest-build-provenance`) stored for the digest in this `owner/repo`, e.g. the expression `github.repository`. They count towards `attestations`. Empty: not checked.",
        "required": false
      },
      "github-token": {
        "description": "Token for reading GitHub artifact attestations (needs `attestations: read`). Used only with `github-repository`.",
        "required": false,
        "default": "${{ github.token }}"
      },
      "engine": {
        "description": "`native` (verify in-process; the default) or `cosign` (install the cosign binary, checked against a known sha256 on every run, and run `cosign verify` with the same policy).",
        "required": false,
        "default": "native"
      },
      "cosign-version": {
        "description": "With `engine: cosign`: the cosign release to install.",
        "required": false,
        "default": "v2.4.1"
      },
      "cosign-base-url": {
        "description": "With `engine: cosign`: where releases are downloaded from (`<base>/<version>/cosign-linux-amd64`), e.g. an internal mirror. `https://` (plain `http://` only on loopback).",
        "required": false,
        "default": "https://github.com/sigstore/cosign/releases/download"
      },
      "cosign-sha256": {
        "description": "With `engine: cosign`: the expected sha256 of the cosign binary. Default: the hash shipped in this action for `cosign-version` (linux amd64/arm64, v2.4.0 to v3.1.1); other versions and platforms need it.",
        "required": false
      },
      "allow-insecure-registry": {
        "description": "Speak plain HTTP to a registry beyond loopback. Registries on 127.0.0.0/8 and `localhost` always use HTTP, as Docker does.",
        "required": false,
        "default": "false"
      }
    },
    "outputs": {
      "digest": "The verified digest (`sha256:...`).",
      "image-ref": "The image pinned by digest: `registry/repo@sha256:...`.",
      "signer": "Who signed: the key's fingerprint, or the certificate identity and issuer.",
      "verified-attestations": "The predicate types that were verified, one a line.",
      "source-repository": "Keyless: the repository whose workflow run signed (`owner/name`), from the accepted certificate's source repository extension.",
      "source-ref": "Keyless: the ref the signing run was for (`refs/heads/main`), from the accepted certificate.",
      "source-digest": "Keyless: the commit the signing run was for (40 hex digits), from the accepted certificate.",
      "error-code": "Set when the step fails: a stable code for what went wrong."
    }
  },
  "secret-scan-gate": {
    "description": "Fails the job when the scanned range (a PR, a push, the history or the tree) holds a secret. Pure TypeScript, no download, free.",
    "inputs": {
      "path": {
        "description": "Repository or directory to scan.",
        "required": false,
        "default": "."
      },
      "mode": {
        "description": "`auto` (the PR's commits on pull_request, the pushed range on push, else the working tree), `diff` (base..head), `history` (every commit), or `tree` (the files as they are).",
        "required": false,
        "default": "auto"
      },
      "base": {
        "description": "Override the start of the range (a commit, exclusive). Used by `diff` and `auto`.",
        "required": false
      },
      "head": {
        "description": "Override the end of the range (a commit, inclusive). Used by `diff` and `auto`.",
        "required": false
      },
      "config": {
        "description": "A `.gitleaks.toml`-compatible rule file. Found automatically at `<path>/.gitleaks.toml` when present.",
        "required": false
      },
      "baseline": {
        "description": "A JSON report of accepted findings (from a previous `report-file`); findings in it are not reported again.",
        "required": false
      },
      "fail-on": {
        "description": "`any`: fail when anything is found. `none`: report only. `verified` (needs `verify: true`): fail only on secrets the provider confirmed live, and on `not-fully-scanned` findings (an unread part may hold one).",
        "required": false,
        "default": "any"
      },
      "sarif-file": {
        "description": "Where to write the SARIF 2.1.0 report (for github/codeql-action/upload-sarif).",
        "required": false,
        "default": "secret-scan.sarif"
      },
      "report-file": {
        "description": "Where to write the JSON report (every finding with its fingerprint, secrets redacted); usable as a later `baseline`.",
        "required": false,
        "default": "secret-scan-report.json"
      },
      "max-annotations": {
        "description": "At most this many findings become `::error` annotations on their lines; the summary and reports hold all of them.",
        "required": false,
        "default": "50"
      },
      "time-budget": {
        "description": "The whole scan's time limit (`30s`, `20m`). What is not scanned when it runs out becomes a `not-fully-scanned` finding, which `fail-on` decides like any other; a scan never passes what it did not read.",
        "required": false,
        "default": "20m"
      },
      "verify": {
        "description": "Check each finding of a supported kind (GitHub, GitLab, Slack, Stripe, npm, OpenAI, Anthropic, SendGrid, Twilio, AWS) with one read-only call to its own provider's documented endpoint, and report `verified: true|false|unknown`. Off by default: it sends each found credential to the service that issued it.",
        "required": false,
        "default": "false"
      },
      "verify-timeout": {
        "description": "The time limit of all the `verify` calls together (`10s`); checks without an answer by then are `unknown`.",
        "required": false,
        "default": "10s"
      }
    },
    "outputs": {
      "findings": "Number of findings (after baseline and allowlists).",
      "verified-live": "With `verify: true`: how many findings the provider confirmed live (`0` otherwise).",
      "sarif-file": "Path of the SARIF 2.1.0 report: one result per finding, uri relative to `path`, `region.startLine`.",
      "report-file": "Path of the JSON report, secrets redacted.",
      "error-code": "Set when the step fails: a stable code for what went wrong."
    }
  }
};
