export const id = 740;
export const ids = [740];
export const modules = {

/***/ 8968:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ checkRemoteDir)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);

/**
 * Directories remote-dir may never be, nor be inside: the system's own trees.
 * A deploy copies files into remote-dir and removes files it wrote there before,
 * so one of these as remote-dir could break the host.
 */
const SYSTEM_TREES = [
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/lib',
    '/lib32',
    '/lib64',
    '/libx32',
    '/proc',
    '/run',
    '/sbin',
    '/sys',
    '/usr',
    '/var/lib/docker',
    '/var/lib/containerd',
    '/var/run',
    '/var/lock',
    '/var/log',
    '/var/spool',
    '/var/cache',
    '/var/mail',
    '/var/backups',
];
/**
 * Directories that are shared roots: remote-dir may be below them (`/srv/myapp`,
 * `/home/deploy/app`, `/opt/myapp/prod`, `/var/www/app`) but never the directory itself.
 */
const SHARED_ROOTS = [
    '/',
    '/home',
    '/media',
    '/mnt',
    '/opt',
    '/root',
    '/snap',
    '/srv',
    '/tmp',
    '/usr/local',
    '/var',
    '/var/lib',
    '/var/opt',
    '/var/tmp',
    '/var/www',
    '/lost+found',
];
/** `/usr/local/<name>` holds an application (allowed); these names are the system's own. */
const USR_LOCAL_SYSTEM = new Set([
    'bin',
    'sbin',
    'lib',
    'lib64',
    'libexec',
    'include',
    'share',
    'etc',
    'man',
    'src',
    'games',
]);
/**
 * Normalises remote-dir (`//`, `/./`, `/x/..`, trailing `/`) as the host's
 * filesystem would read it. Returns the normalised directory, or the reason it
 * cannot be used, phrased for the user.
 */
function checkRemoteDir(value) {
    if (/[\0\r\n]/.test(value))
        return { problem: `'${value}' is not a usable path (NUL or line break).` };
    if (!value.startsWith('/'))
        return { problem: `'${value}' must be an absolute directory on the host (e.g. /opt/myapp/prod).` };
    if (value.split('/').includes('..'))
        return {
            problem: `'${value}' must not contain '..'; write the directory it means (e.g. /opt/myapp/prod).`,
        };
    // POSIX lets a path start with exactly two slashes mean something else; no deploy host relies on it.
    let dir = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.normalize(value.replace(/^\/+/, '/'));
    if (dir.length > 1)
        dir = dir.replace(/\/+$/, '');
    const said = dir === value ? `'${value}'` : `'${value}' (that is ${dir})`;
    if (SHARED_ROOTS.includes(dir)) {
        return {
            problem: `${said} is ${dir === '/' ? 'the root directory' : 'a shared system directory'}; use a directory of its own below it (e.g. ${dir === '/' ? '/opt/myapp/prod' : `${dir}/myapp`}).`,
        };
    }
    const tree = SYSTEM_TREES.find((t) => dir === t || dir.startsWith(`${t}/`));
    const usrLocal = /^\/usr\/local\/([^/]+)/.exec(dir);
    const inUsrLocalApp = usrLocal !== null && !USR_LOCAL_SYSTEM.has(usrLocal[1]);
    if (tree && !(tree === '/usr' && inUsrLocalApp)) {
        return {
            problem: `${said} is ${dir === tree ? '' : 'inside '}the system directory ${tree}; deploy into a directory of the stack's own (e.g. /opt/myapp/prod or /srv/myapp).`,
        };
    }
    return { dir };
}
//# sourceMappingURL=remote-dir.js.map

/***/ }),

/***/ 7453:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vh: () => (/* reexport */ breakHostLock),
  f3: () => (/* reexport */ checkBuildContexts),
  GZ: () => (/* reexport */ checkHosts),
  FQ: () => (/* reexport */ collectBundle),
  ex: () => (/* reexport */ deployToHosts),
  tH: () => (/* reexport */ listReleases),
  z$: () => (/* reexport */ normalisePreservePattern),
  ls: () => (/* reexport */ planHosts),
  mS: () => (/* reexport */ readLockStatus),
  jE: () => (/* reexport */ releaseHostLock),
  RB: () => (/* reexport */ stopLeftoverWork)
});

// UNUSED EXPORTS: COMPOSE_FILE_NAMES, DeployFailure, HealthGateError, PLAN_UNKNOWN_VALUE, RemoteCommandError, RollingUpdateError, SwarmDeployError, acquireHostLock, bundleArchive, checkHealthCommand, checkHealthUrl, checkRollable, checkSwarmStack, compareEnv, composeInvocation, computeDrift, computePlan, decodeEnvFiles, deployHost, describePlan, dockerignoreExcludes, envEntries, failureResult, findExposedContexts, formatShellExports, inspectHost, lastLines, newRunKey, parseGoDuration, parseReading, parseReleases, planHeadline, planRollout, planSteps, preserveRules, readBundleSide, readHost, releasePaths, resolveRollbackTarget, rollingSteps, rollingUpdate, settingsForHost, stackFileFromConfig, swarmDeploy, swarmRollback, swarmSteps, withHookEnv

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/deploy/lib/bundle.js




// tar and tinyglobby are loaded when a bundle is collected or packed, not at
// start-up, so a step that rejects its inputs does not pay for them.
/** The compose file names compose itself looks for, in its order of preference. */
const COMPOSE_FILE_NAMES = [
    'compose.yaml',
    'compose.yml',
    'docker-compose.yaml',
    'docker-compose.yml',
];
function sha256File(path) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(path)
            .on('data', (chunk) => hash.update(chunk))
            .on('error', reject)
            .on('end', () => resolve(hash.digest('hex')));
    });
}
/**
 * Lists the files to ship: the `files` globs in sourceDir (everything but .git
 * when none are given). Names with a newline are refused, because the host-side
 * file lists are one path a line.
 */
async function collectBundle(sourceDir, patterns) {
    if (!(0,external_node_fs_.existsSync)(sourceDir) || !(0,external_node_fs_.statSync)(sourceDir).isDirectory()) {
        throw new lib/* UserError */.yo('bundle-missing', `source-dir '${sourceDir}' is not a directory.`);
    }
    const files = (await (await __webpack_require__.e(/* import() */ 382).then(__webpack_require__.bind(__webpack_require__, 3382))).glob(patterns.length > 0 ? [...patterns] : ['**'], {
        cwd: sourceDir,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        ignore: ['.git/**'],
        expandDirectories: true,
    })).sort();
    if (files.length === 0) {
        throw new lib/* UserError */.yo('bundle-empty', `No files in source-dir '${sourceDir}' match files (${patterns.join(', ') || '**'}).`);
    }
    // Globs never match a name with a line break, so such a file would silently stay behind; say so instead.
    const badName = (0,external_node_fs_.readdirSync)(sourceDir, { recursive: true }).find((f) => /[\r\n]/.test(f) && !f.startsWith('.git/'));
    if (badName !== undefined) {
        throw new lib/* UserError */.yo('bundle-bad-name', `source-dir holds a file whose name contains a line break (${JSON.stringify(badName)}); rename or remove it.`);
    }
    const checksums = {};
    let totalBytes = 0;
    for (const file of files) {
        const path = (0,external_node_path_.join)(sourceDir, file);
        checksums[file] = await sha256File(path);
        totalBytes += (0,external_node_fs_.statSync)(path).size;
    }
    const composeFile = COMPOSE_FILE_NAMES.find((name) => files.includes(name));
    return { sourceDir, files, checksums, totalBytes, ...(composeFile ? { composeFile } : {}) };
}
/** The bundle as one gzip'd tar stream, read from disk as it is sent. */
async function bundleArchive(bundle) {
    const { create: createTar } = await __webpack_require__.e(/* import() */ 697).then(__webpack_require__.bind(__webpack_require__, 8697));
    return createTar({ cwd: bundle.sourceDir, gzip: { level: 1 }, portable: true }, bundle.files);
}
//# sourceMappingURL=bundle.js.map
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./packages/deploy/lib/chain.js


/**
 * The start of the line that ends a part of a chained exec on stdout. Each exec adds its own
 * random suffix (the script's first argument), so a part whose own output happens to print the
 * prefix (a migrator's log, a hook) can never end itself early.
 */
const CHAIN_MARK = '@@deploy-actions-chain';
/**
 * Several steps' commands in ONE exec (every exec costs a session on the host, ~0.05-0.1 s),
 * yet each step still starts only when the runner says so: between steps the host waits at
 * a gate, reading one line from the exec's stdin. `go` runs the next step; anything else, or
 * the end of stdin (the runner stopped, was killed, or the connection dropped), ends the exec
 * without running it. So a cancel or a timeout during one step (e.g. the migration) never lets
 * the host go on to the next (e.g. change the app): the runner simply never says `go`.
 *
 * A gate may also be answered `then <n>` followed by n values (each: its number of lines, then
 * those lines), which become the parts that follow instead of the ones given: parts whose
 * arguments the runner knows only after an earlier part (the host's state read with the lock).
 * They are read with the shell's own `read` (one line at a time, never parsed as shell).
 *
 * A part that passed is followed by one line on stdout, `<mark> end`; a part that fails ends
 * the exec with its exit code, a closed gate with 0. Only stdout is marked: the host's sshd
 * (Nagle's algorithm is on for sessions without a pty) would hold a second small write, a mark
 * on stderr, until the runner's delayed ACK (~40 ms plus a round trip), at every step. So a
 * part's stdout is exactly its own; stderr lines are the part's whose end mark had not come
 * when they arrived (a line can land on the next part), which is what logs and errors need. Parts run with stdin from /dev/null (a `compose run` reads
 * its stdin) and never see the gate's, except a `script-stdin` part, which reads the rest of
 * the exec's stdin (the bundle archive): no gate can follow it.
 * Args: the end mark, dir (argv parts run there), then the parts: `argv N <N words>`, `script N <script>
 * <N args>` (run as `sh -c script sh args...`), `script-stdin N <script> <N args>`, `gate 0`.
 */
const CHAIN_SCRIPT = `
M=$1; D=$2; shift 2
exec 3<&0 </dev/null
run_head() {
  rh_n=$1; shift; rh_c=0
  for rh_a do shift; rh_c=$((rh_c + 1)); if [ "$rh_c" -le "$rh_n" ]; then set -- "$@" "$rh_a"; fi; done
  "$@"
}
# number TEXT: TEXT is a non-negative integer.
number() { case $1 in ''|*[!0-9]*) return 1;; esac; }
nl='
'
while [ $# -gt 0 ]; do
  K=$1; N=$2; shift 2
  if [ "$K" = gate ]; then
    IFS= read -r g <&3 || g=
    case $g in
      go) ;;
      'then '*)
        n=\${g#then }; number "$n" || exit 1; set --
        while [ "$n" -gt 0 ]; do
          IFS= read -r l <&3 && number "$l" || exit 1; v=
          k=0; while [ "$k" -lt "$l" ]; do
            IFS= read -r x <&3 || exit 1
            if [ "$k" -eq 0 ]; then v=$x; else v="$v$nl$x"; fi; k=$((k + 1))
          done
          set -- "$@" "$v"; n=$((n - 1))
        done;;
      *) exit 0;;
    esac
    continue
  fi
  if [ "$K" = argv ]; then (cd "$D" && run_head "$N" "$@") 3<&- || exit $?; shift "$N"
  elif [ "$K" = script-stdin ]; then (S=$1; shift; run_head $((N + 4)) sh -c "$S" sh "$@") <&3 3<&- || exit $?; shift $((N + 1))
  else (S=$1; shift; run_head $((N + 4)) sh -c "$S" sh "$@") 3<&- || exit $?; shift $((N + 1)); fi
  printf '%s end\\n' "$M"
done
`;
/** The words CHAIN_SCRIPT reads for parts; new PartStates for those that are not gates. */
function partWords(parts) {
    const words = [];
    let count = 0;
    for (const p of parts) {
        if (p.kind === 'gate')
            words.push('gate', '0');
        else {
            count++;
            if (p.kind === 'argv')
                words.push('argv', String(p.argv.length), ...p.argv);
            else
                words.push(p.kind, String(p.args.length), p.script, ...p.args);
        }
    }
    return { words, count };
}
/** A part of the chain that never ran: the exec ended (a part before failed, or it was stopped) first. */
class ChainPartNotRun extends Error {
}
/** One running chained exec (CHAIN_SCRIPT); parts are numbered without the gates. */
class ExecChain {
    stdin = new external_node_stream_.PassThrough();
    parts = [];
    /** The part running (or last to run): the number of end marks seen. */
    current = 0;
    settled = false;
    stdinEnded = false;
    /** The whole exec: resolves when the host's side ended (never rejects). */
    done;
    constructor(conn, dir, parts, 
    /** Each output line of part `index` as it arrives (marks are not passed on). */
    onLine) {
        const { words, count } = partWords(parts);
        for (let i = 0; i < count; i++)
            this.parts.push(newPart());
        const mark = `${CHAIN_MARK}-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`;
        const endLine = `${mark} end`;
        // A write after the host's side ended must not crash the process.
        this.stdin.on('error', () => undefined);
        this.done = conn
            .exec(['sh', '-c', CHAIN_SCRIPT, 'sh', mark, dir, ...words], {
            stdin: this.stdin,
            onOutput: (line, stream) => {
                const s = stream ?? 'stdout';
                // A part whose output did not end with a newline has the mark on its last line.
                if (s === 'stdout' && line.endsWith(endLine)) {
                    if (line.length > endLine.length)
                        this.line(s, line.slice(0, -endLine.length), onLine);
                    const p = this.parts[this.current];
                    if (p && !p.result)
                        this.finish(p, 0);
                    this.current++;
                    return;
                }
                this.line(s, line, onLine);
            },
        })
            .then((result) => {
            this.settle(result);
            return result;
        }, (error) => {
            this.settle(error instanceof Error ? error : new Error(String(error)));
            return error instanceof Error ? error : new Error(String(error));
        });
    }
    /** Part `index`'s own result, once it ended (rejects with ChainPartNotRun when it never ran). */
    result(index) {
        const p = this.parts[index];
        if (!p)
            return Promise.reject(new Error(`no chain part ${index}`));
        return p.promise;
    }
    /** Opens the next gate: the host runs the parts up to the gate after it. */
    go() {
        if (!this.settled && !this.stdinEnded)
            this.stdin.write('go\n');
    }
    /**
     * Opens the next gate with new parts in place of the ones after it (their indexes continue
     * from the parts so far); `stdin` (for a script-stdin part) follows and ends the exec's stdin.
     * Returns the new parts' indexes.
     */
    then(parts, stdin) {
        const { words, count } = partWords(parts);
        const first = this.parts.length;
        for (let i = 0; i < count; i++)
            this.parts.push(newPart());
        if (this.settled || this.stdinEnded) {
            for (const p of this.parts.slice(first))
                p.reject(new ChainPartNotRun('did not run'));
        }
        else {
            const lines = [`then ${words.length}`];
            for (const w of words) {
                const own = w.split('\n');
                lines.push(String(own.length), ...own);
            }
            this.stdin.write(`${lines.join('\n')}\n`);
            if (stdin) {
                this.stdinEnded = true;
                stdin.on('error', (error) => this.stdin.destroy(error));
                stdin.pipe(this.stdin);
            }
        }
        return Array.from({ length: count }, (_, i) => first + i);
    }
    /** Tells the host to run nothing more and waits until its side ended. */
    async stop() {
        if (!this.stdinEnded) {
            this.stdinEnded = true;
            if (!this.settled)
                this.stdin.end('stop\n');
        }
        await this.done;
    }
    line(s, line, onLine) {
        // A late stderr line of the last part (after its end mark) stays with it.
        const index = Math.min(this.current, this.parts.length - 1);
        const p = this.parts[index];
        if (!p)
            return;
        p[s].push(line);
        onLine(index, line, s);
    }
    finish(p, code) {
        const text = (lines) => lines.map((l) => `${l}\n`).join('');
        p.result = { code, stdout: text(p.stdout), stderr: text(p.stderr) };
        p.resolve(p.result);
    }
    /**
     * The exec ended: with a non-zero exit, the first part without an end mark failed with it;
     * with 0 (a closed gate, or all done) it never ran. The parts after it never ran.
     */
    settle(outcome) {
        this.settled = true;
        if (!this.stdinEnded) {
            this.stdinEnded = true;
            this.stdin.end();
        }
        let failed = outcome instanceof Error || outcome.code === 0 ? undefined : outcome.code;
        for (const p of this.parts) {
            if (p.result)
                continue;
            if (outcome instanceof Error)
                p.reject(outcome);
            else if (failed !== undefined) {
                this.finish(p, failed);
                failed = undefined;
            }
            else
                p.reject(new ChainPartNotRun('did not run'));
        }
    }
}
function newPart() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    // Parts nobody asks for (the run stopped before them) must not surface as unhandled rejections.
    promise.catch(() => undefined);
    return { stdout: [], stderr: [], resolve, reject, promise };
}
//# sourceMappingURL=chain.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/errors.js

/**
 * A deploy failed on a host. Says whether the previous release was restored
 * (`rolledBack`) and what runs there now (`running`: a release id, `unknown`
 * when a restore failed too, undefined when nothing was ever deployed).
 */
class DeployFailure extends lib/* UserError */.yo {
    rolledBack;
    running;
    previousRelease;
    constructor(code, message, rolledBack, running, previousRelease) {
        super(code, message);
        this.rolledBack = rolledBack;
        this.running = running;
        this.previousRelease = previousRelease;
    }
}
/** The health gate failed; `rolledBack` says whether the previous release was restored. */
class HealthGateError extends DeployFailure {
    constructor(message, rolledBack, previousRelease, running, 
    /** `timeout` when the step's timeout (or a cancel) ended the gate. */
    code = 'health-gate-failed') {
        super(code, message, rolledBack, running ?? previousRelease, previousRelease);
    }
}
//# sourceMappingURL=errors.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/host-scripts.js
// The host-side steps, as POSIX sh run with `sh -c SCRIPT sh ARG...`: every
// input reaches them as a positional argument, quoted by the SSH layer, and is
// only ever expanded inside double quotes, so no input can become shell syntax.
/** Lays out where things live under remote-dir. */
function releasePaths(remoteDir) {
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
const INSPECT_SCRIPT = `${FUNCTIONS}
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
const LOCK_SCRIPT = `${FUNCTIONS}
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
const UNLOCK_SCRIPT = `
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
const SHIP_RELEASE_SCRIPT = `${FUNCTIONS}
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
const ACTIVATE_SCRIPT = `${FUNCTIONS}
PRESERVE=$6
activate "$1" "$2" "$3" "$4" "$5"
`;
/** Writes one env file from several (later wins), for compose v1 which takes one. Args: remote-dir, target, files... */
const MERGE_ENV_SCRIPT = `${FUNCTIONS}
cd "$1" || exit 1; shift
merge_env "$@"
`;
/**
 * The end of a good deploy, in one exec: the release becomes current, its
 * status is written, old releases beyond keep-releases go (never the current one
 * or the one before it), and the lock is released if it is still ours.
 * Args: remote-dir, id, keep-releases, status text, lock dir ('' to keep it), lock token.
 */
const FINISH_SCRIPT = `
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
const MARK_STATUS_SCRIPT = `
R=$1; [ -d "$R/.releases/$2" ] && printf '%s\\n' "$3" > "$R/.releases/$2/status"
exit 0
`;
/**
 * Records the image each container of the release runs: `ref id` lines.
 * Args: target file, project ('' to take the ids that follow), container ids...
 */
const RECORD_IMAGES_SCRIPT = `${FUNCTIONS}
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
const RETAG_SCRIPT = `
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
const CONTAINER_STATE_SCRIPT = `${FUNCTIONS}
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
const STOP_ONEOFF_SCRIPT = `
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
const HEALTH_LOOK_SCRIPT = `
command -v curl >/dev/null 2>&1 || exit 0
code=$(curl -q -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time "$2" --url "$1" 2>/dev/null) || exit 0
echo "status=$code"
`;
//# sourceMappingURL=host-scripts.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/lock.js







/** An owner-less lock younger than this may be one a deploy of an older version is taking right now. */
const OWNERLESS_GRACE_MS = 60_000;
/** Reads LOCK_SCRIPT's answer for a held lock: the owner record, and `lock-age=<seconds>` on stderr. */
function describeOwner(raw, stderr = '', now = Date.now()) {
    const ageLine = /^lock-age=(-?\d+)$/m.exec(stderr);
    const ageMs = ageLine ? Math.max(0, Number(ageLine[1])) * 1000 : undefined;
    let owner = {};
    try {
        owner = JSON.parse(raw);
    }
    catch {
        // A lock whose owner file is half-written or missing still blocks; say what little we know.
    }
    if (!owner.run) {
        const age = ageMs !== undefined ? `, taken ${(0,lib/* formatDuration */.a3)(ageMs)} ago` : '';
        return {
            text: `an unknown owner (the lock has no owner record${age}: a deploy stopped while taking it, or an older ssh-deploy)`,
            stale: ageMs !== undefined && ageMs >= OWNERLESS_GRACE_MS,
        };
    }
    const since = owner.startedAt ? ` since ${owner.startedAt}` : '';
    const age = owner.startedAt ? ` (${(0,lib/* formatDuration */.a3)(now - Date.parse(owner.startedAt))} ago)` : '';
    const stale = owner.expiresAt !== undefined && Date.parse(owner.expiresAt) < now;
    return {
        text: `run ${owner.run}${owner.runUrl ? ` (${owner.runUrl})` : ''} of ${owner.repository ?? '?'} by ${owner.actor ?? '?'}, release ${owner.release ?? '?'}, on runner ${owner.runner ?? '?'}${since}${age}`,
        stale,
    };
}
/**
 * Takes the host lock under remote-dir (an atomic mkdir, owner recorded in it),
 * waiting up to `timeoutMs` for another deploy to finish. Returns the lock and
 * the host's state read right after taking it (INSPECT_SCRIPT's lines).
 * With `chained`, the lock is taken in a chained exec (chain.ts) that then waits at a gate,
 * so the step after it (the upload) runs in the same exec: `chain`, which the caller must
 * continue or stop.
 */
async function acquireHostLock(conn, label, remoteDir, origin, options, log) {
    const token = (0,external_node_crypto_.randomBytes)(12).toString('hex');
    const now = Date.now();
    const owner = {
        token,
        run: origin.run,
        repository: origin.repository,
        actor: origin.actor,
        commit: origin.commit,
        release: origin.id,
        runner: (0,external_node_os_.hostname)(),
        startedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + options.timeoutMs + options.holdForMs).toISOString(),
        ...(origin.runUrl ? { runUrl: origin.runUrl } : {}),
    };
    const lockDir = releasePaths(remoteDir).lock;
    const deadline = now + options.timeoutMs;
    let delay = 500;
    let announced = false;
    let holder;
    for (;;) {
        // A cancel (or the step's timeout) ends the wait at once: nothing on the host changed yet.
        // (A lock that is free is still taken: the session then stops with the host's state known.)
        if (holder && options.signal?.aborted)
            throw lockWaitStopped(label, lockDir, options.signal, holder.text);
        const args = [remoteDir, JSON.stringify(owner), token];
        let chain;
        let result;
        if (options.chained) {
            chain = new ExecChain(conn, remoteDir, [{ kind: 'script', script: LOCK_SCRIPT, args }, { kind: 'gate' }], () => undefined);
            result = await chain.result(0).catch(async (error) => {
                if (!(error instanceof ChainPartNotRun))
                    throw error;
                const done = await chain.done;
                throw done instanceof Error ? done : new Error(`the lock exec ended (exit ${done.code})`);
            });
        }
        else
            result = await conn.exec(['sh', '-c', LOCK_SCRIPT, 'sh', ...args]);
        if (result.code === 0) {
            log.info(`[${label}] lock taken: ${lockDir}`);
            return { lock: { host: label, lockDir, token }, hostState: result.stdout, ...(chain ? { chain } : {}) };
        }
        if (result.code !== 10) {
            throw new lib/* UserError */.yo('lock-failed', `${label}: could not create the lock under remote-dir '${remoteDir}' (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}. Check that the user may write there.`);
        }
        const seen = describeOwner(result.stdout, result.stderr);
        holder = seen;
        if (Date.now() + delay > deadline) {
            throw new lib/* UserError */.yo(seen.stale ? 'lock-stale' : 'lock-timeout', seen.stale
                ? `${label}: the host lock ${lockDir} is stale: it was taken by ${seen.text}, and that deploy's time is up. ` +
                    `If that run is no longer running, remove the lock on the host (rm -r '${lockDir}') and deploy again.`
                : `${label}: another deploy holds the host lock ${lockDir}: ${seen.text}. Waited lock-timeout (${(0,lib/* formatDuration */.a3)(options.timeoutMs)}); ` +
                    'raise lock-timeout or use a workflow concurrency group so deploys queue.');
        }
        if (!announced) {
            log.info(`[${label}] waiting for the host lock, held by ${seen.text}${seen.stale ? ' (stale?)' : ''}`);
            announced = true;
        }
        await (0,promises_.setTimeout)(delay, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
        delay = Math.min(delay * 2, 5000);
    }
}
/** The lock wait was ended by a cancel or the step's timeout: nothing on the host changed. */
class LockWaitStopped extends DeployFailure {
}
/** The lock wait was ended by a cancel (reason `cancel`) or the step's timeout. */
function lockWaitStopped(label, lockDir, signal, holder) {
    const cancelled = signal.reason === 'cancel';
    return new LockWaitStopped(cancelled ? 'cancelled' : 'timeout', `${label}: the run was ${cancelled ? 'cancelled' : 'stopped by its timeout'} while waiting for the host lock ${lockDir}` +
        ` (held by ${holder}); nothing on the host had changed.`, false, undefined, undefined);
}
/** Removes the lock if it is still ours; never touches another run's lock. */
async function releaseHostLock(conn, lock) {
    const result = await conn.exec(['sh', '-c', UNLOCK_SCRIPT, 'sh', lock.lockDir, lock.token]);
    return result.stdout.includes('released');
}
//# sourceMappingURL=lock.js.map
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./packages/ssh/lib/index.js + 5 modules
var ssh_lib = __webpack_require__(2932);
// EXTERNAL MODULE: ./packages/probe/lib/index.js + 7 modules
var probe_lib = __webpack_require__(605);
;// CONCATENATED MODULE: ./packages/deploy/lib/remote-error.js

const TAIL_LINES = 20;
function lastLines(text, count = TAIL_LINES) {
    const lines = text.replace(/\s+$/, '').split(/\r?\n/);
    return lines.slice(-count).join('\n');
}
/**
 * A command on the host exited non-zero. Carries what a person needs to act:
 * the host, the step, the command, the exit code and the last lines it printed.
 */
class RemoteCommandError extends lib/* UserError */.yo {
    exitCode;
    constructor(code, host, step, command, result) {
        const output = lastLines(`${result.stdout}\n${result.stderr}`.trim());
        super(code, `${host}: ${step} failed: \`${command}\` exited with ${result.code}.` +
            (output ? `\nLast lines of output:\n${output}` : ''));
        this.exitCode = result.code;
    }
}
//# sourceMappingURL=remote-error.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/health.js



/**
 * health-url: probed from the host's side, through the connection (direct-tcpip),
 * so endpoints bound to the host's loopback or BIND_IP are reachable.
 */
async function checkHealthUrl(conn, url, timeoutMs, log, signal) {
    const result = await (0,probe_lib/* waitUntilReady */.bs)([
        {
            url,
            method: 'GET',
            headers: {},
            expectStatus: (0,probe_lib/* parseStatusMatcher */.W6)('200-299'),
            requestTimeoutMs: Math.min(10_000, timeoutMs),
            insecureTls: false,
        },
    ], {
        timeoutMs,
        // An app that is up a moment after `up -d` passes at the next probe, not a second later;
        // the probe backs off after 10 failing rounds (to 5 s), so a slow app is not hammered.
        intervalMs: 250,
        maxIntervalMs: 5000,
        successThreshold: 1,
        initialDelayMs: 0,
        dial: (host, port) => conn.forwardOut(host, port),
        ...(signal ? { signal } : {}),
    }, log);
    return result.ready
        ? { healthy: true, detail: `${url} ready after ${result.attempts} attempt(s)` }
        : { healthy: false, detail: (0,probe_lib/* describeNotReady */.gN)(result, timeoutMs) };
}
/**
 * health-cmd: the user's shell on the host, retried until it exits 0 or the time
 * is up. Each run is bounded by what is left of health-timeout (`timeout` on the
 * host kills it; the runner stops waiting too), so a hanging command cannot hold
 * the deploy past the gate.
 */
async function checkHealthCommand(conn, command, options, log) {
    const deadline = Date.now() + options.timeoutMs;
    let delay = 250;
    let attempts = 0;
    for (;;) {
        attempts++;
        const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        const run = conn.exec([
            'sh',
            '-c',
            'if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL "$1" sh -c "$2"; else exec sh -c "$2"; fi',
            'sh',
            String(left),
            command,
        ], { cwd: options.cwd, env: options.env });
        let timer;
        const bound = new Promise((resolve) => {
            timer = setTimeout(() => resolve({ code: 124, stdout: '', stderr: `health-cmd still running after health-timeout` }), left * 1000 + 5000);
        });
        const result = await Promise.race([run, bound]).finally(() => clearTimeout(timer));
        if (result.code === 0)
            return { healthy: true, detail: `health-cmd passed after ${attempts} attempt(s)` };
        const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 5);
        if (Date.now() + delay > deadline || options.signal?.aborted) {
            const code = result.code === 137 || result.code === 124
                ? `${result.code} (stopped at health-timeout)`
                : `${result.code}`;
            return {
                healthy: false,
                detail: `health-cmd still exits ${code} after ${attempts} attempt(s)${output ? `; last output:\n${output}` : ''}`,
            };
        }
        log.debug(`health-cmd exited ${result.code}; trying again in ${delay}ms`);
        await (0,promises_.setTimeout)(delay);
        delay = Math.min(delay * 2, 5000);
    }
}
//# sourceMappingURL=health.js.map
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
;// CONCATENATED MODULE: ./packages/deploy/lib/preserve.js


/** The `preserve` input's default (action.yml). */
const DEFAULT_PRESERVE = ['.env', 'docker-compose.override.yml', 'data/', 'logs/'];
/** One pattern normalised, or why it cannot be honoured. */
function normalisePreservePattern(raw) {
    const value = raw.trim();
    if (value === '')
        return { problem: 'an empty entry' };
    if (value.startsWith('!'))
        return { problem: `'${raw}': negated patterns are not supported; list what to keep instead` };
    if (value.startsWith('/') || /[\0\r\n]/.test(value))
        return { problem: `'${raw}' must be a path inside remote-dir (relative, no '..')` };
    if (value.includes('\\'))
        return { problem: `'${raw}': backslashes are not supported; write paths with '/'` };
    let pattern = external_node_path_.posix.normalize(value);
    if (pattern.split('/').includes('..') || pattern.startsWith('/'))
        return { problem: `'${raw}' must be a path inside remote-dir (relative, no '..')` };
    pattern = pattern.replace(/\/+$/, '');
    if (pattern === '.' || pattern === '' || pattern === '**' || pattern === '*')
        return { problem: `'${raw}' would preserve the whole remote-dir, so nothing could ever be deployed` };
    return { pattern };
}
function preserveRules(patterns) {
    const normalised = patterns.map((p) => {
        const n = normalisePreservePattern(p);
        if ('problem' in n)
            throw new Error(`preserve: ${n.problem}`);
        return n.pattern;
    });
    const matcher = normalised.length === 0
        ? () => false
        : picomatch(normalised.flatMap((p) => [p, `${p}/**`]), { dot: true });
    return { patterns: normalised, matches: (path) => matcher(path) };
}
//# sourceMappingURL=preserve.js.map
// EXTERNAL MODULE: ./packages/compose-env/lib/index.js + 11 modules
var compose_env_lib = __webpack_require__(4089);
;// CONCATENATED MODULE: ./packages/deploy/lib/hook-env.js
/**
 * The environment hooks (`pre-deploy`, `post-deploy`, `script`) and `health-cmd`
 * see: the env files' variables, exactly as compose reads them.
 *
 * A compose env file is not shell: `set -a; . ./.env` runs a backtick in a value
 * as a command and turns `$$` (a literal `$` to compose, as render-env writes it)
 * into the shell's PID. So the files are read from the host as bytes, parsed on
 * the runner by compose-env's parser (compose v2's rules), and handed back as a
 * file of `export KEY='value'` lines in which no value is ever expanded. That
 * file is written through stdin (never argv, so no value shows in `ps`), mode
 * 0600, inside the host lock's directory, so it goes when the lock goes.
 */



/**
 * Prints each env file as hex bytes (POSIX `od`, present in busybox too), so
 * every byte arrives exactly: `@file N` then the bytes, or `@missing N`.
 * Args: remote-dir, env files (relative to remote-dir, or absolute).
 */
const READ_ENV_FILES_SCRIPT = `
cd "$1" || exit 1; shift
n=0
for f in "$@"; do
  n=$((n + 1))
  if [ -f "$f" ]; then echo "@file $n"; od -An -v -tx1 -- "$f" || exit 1; else echo "@missing $n"; fi
done
exit 0
`;
/** Writes stdin to a file only its owner can read, replacing it by rename. Args: target. */
const WRITE_PRIVATE_FILE_SCRIPT = `
umask 077
cat > "$1.tmp" || exit 1
chmod 600 "$1.tmp" && mv -f "$1.tmp" "$1"
`;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Splits READ_ENV_FILES_SCRIPT's output into each file's bytes (undefined: the file is missing). */
function decodeEnvFiles(stdout, count) {
    const files = new Array(count).fill(undefined);
    let current;
    let index = -1;
    const finish = () => {
        if (current && index >= 0)
            files[index] = Buffer.from(current.join(''), 'hex');
    };
    for (const line of stdout.split('\n')) {
        const header = /^@(file|missing) (\d+)$/.exec(line);
        if (header) {
            finish();
            index = Number(header[2]) - 1;
            current = header[1] === 'file' ? [] : undefined;
            continue;
        }
        if (current)
            current.push(line.replace(/\s+/g, ''));
    }
    finish();
    return files;
}
/**
 * `export KEY='value'` lines for a POSIX shell: single quotes, so nothing in a
 * value is expanded. Keys a shell cannot name (compose allows `.`, `-`) are left
 * out and returned, so the caller can say so.
 */
function formatShellExports(env) {
    let text = '';
    const skipped = [];
    for (const [key, value] of env) {
        if (!SHELL_NAME.test(key) || value.includes('\0')) {
            skipped.push(key);
            continue;
        }
        text += `export ${key}=${(0,ssh_lib/* quoteShellArg */.Tn)(value)}\n`;
    }
    return { text, skipped };
}
/** What is wrong in an env file, without its content (a value may be a secret). */
function describeDotenvError(error) {
    const line = error.line;
    const at = line ? `line ${line}: ` : '';
    if (error instanceof compose_env_lib/* DotenvSyntaxError */.aj)
        return `${at}${error.reason}`;
    if (error instanceof compose_env_lib/* MissingRequiredError */.kR)
        return `${at}required variable ${error.variable} is not set`;
    return `${at}a \${...} expression compose cannot read`;
}
/**
 * Reads and parses the env files as they are on the host now, writes their
 * values as shell exports to `target`, and returns `command` prefixed with
 * reading that file. With no env files, `command` as it is.
 */
async function withHookEnv(conn, options, command) {
    const { envFiles, label } = options;
    if (envFiles.length === 0)
        return command;
    const read = await conn.exec(['sh', '-c', READ_ENV_FILES_SCRIPT, 'sh', options.remoteDir, ...envFiles]);
    if (read.code !== 0) {
        throw new lib/* UserError */.yo('env-files-failed', `${label}: could not read env-files ${envFiles.join(', ')} in ${options.remoteDir} for the hook (exit ${read.code}): ${read.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    const contents = decodeEnvFiles(read.stdout, envFiles.length);
    const missing = envFiles.filter((_, i) => contents[i] === undefined);
    if (missing.length)
        options.note?.(`env file(s) not on the host yet, so not exported to the hook: ${missing.join(', ')}`);
    // As `docker compose --env-file a --env-file b`: later files win, each file's `${VAR}`
    // sees its own earlier keys, then earlier files' (not the host's shell environment,
    // which the runner cannot see).
    const env = new Map();
    for (const [i, bytes] of contents.entries()) {
        if (bytes === undefined)
            continue;
        let parsed;
        try {
            parsed = (0,compose_env_lib/* parseDotenv */.qd)(bytes.toString('utf8'), { fallback: (k) => env.get(k) });
        }
        catch (error) {
            if (!(0,compose_env_lib/* isDotenvError */.X6)(error))
                throw error;
            throw new lib/* UserError */.yo('env-files-invalid', `${label}: env file ${envFiles[i]} cannot be read as compose reads it: ${describeDotenvError(error)}. The hook did not run.`);
        }
        for (const [k, v] of parsed)
            env.set(k, v);
    }
    const { text, skipped } = formatShellExports(env);
    if (skipped.length)
        options.note?.(`not exported to the hook (not a shell variable name): ${skipped.join(', ')}`);
    const written = await conn.exec(['sh', '-c', WRITE_PRIVATE_FILE_SCRIPT, 'sh', options.target], {
        stdin: text,
    });
    if (written.code !== 0) {
        throw new lib/* UserError */.yo('env-files-failed', `${label}: could not write the hook environment to ${options.target} (exit ${written.code}): ${written.stderr.trim()}`);
    }
    return `. ${(0,ssh_lib/* quoteShellArg */.Tn)(options.target)} || exit 1\n${command}`;
}
//# sourceMappingURL=hook-env.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/rolling.js
// Zero-downtime replacement of compose services on one host (`strategy: rolling`):
// the new containers start beside the old ones, and the old ones leave only once
// every new one is healthy. The order is docker-rollout's and kamal-proxy's. Several services
// roll together, each step once for all of them (S... = every rolled service):
//
//   scale-up      `up -d --no-deps --no-recreate --scale S=old+N ... S...` (the old containers are kept)
//   wait-healthy  every new container's Docker healthcheck says `healthy` (bounded; one inspect a poll)
//   drain         until the new containers have been in their service's DNS name for `drainMs`
//                 (the proxy's DNS refresh), counted from when they joined it: usually over
//                 already, as the healthcheck took longer. Nothing changes on the host.
//   stop-old      `docker stop -t <stop_grace_period>`: SIGTERM, the app closes its listener
//                 (the proxy retries new connections on the new containers) and finishes the
//                 requests in flight; KILL at the grace's end (one stop per distinct grace, at
//                 once). The old containers stay on their networks until they exit: taking them
//                 off first would cut the requests in flight (their answers have no way back).
//                 Docker's DNS drops them as they exit.
//   remove-old    `docker rm`
//   scale-down    `up -d --no-deps --no-recreate --scale S=N ... S...` for the services where more
//                 than the new containers are left (compose's view matches again)
//
// A failure up to and including stop-old is undone for every service of the roll: all the new
// containers are removed and the old ones started again (if the stop got that far), so they
// serve as before. From remove-old on, the new containers are healthy and serving; a failure
// there is reported and left as it is (an old container that is gone cannot come back).




/** The line between `docker stop`'s output and `docker rm`'s in STOP_THEN_REMOVE_SCRIPT. */
const STOP_THEN_REMOVE_MARK = '@@deploy-actions-remove-old';
/**
 * stop-old and remove-old in one exec (one session fewer): `docker rm` runs only after every
 * `docker stop` succeeded, after a marker line, so each keeps its own exit and output.
 * Args: the graces and how many containers each stops (`"<seconds>:<count> ..."`, digits only,
 * one pair per distinct stop_grace_period), then the container ids in that order. The stops of
 * different graces run at once (a roll of several services waits for the longest, not the sum).
 */
const STOP_THEN_REMOVE_SCRIPT = `
set -f
spec=$1; shift
pids=; off=0
for gc in $spec; do
  g=\${gc%:*}; c=\${gc#*:}
  (
    k=0
    for a do
      k=$((k + 1)); shift
      if [ "$k" -gt "$off" ] && [ "$k" -le $((off + c)) ]; then set -- "$@" "$a"; fi
    done
    exec docker stop -t "$g" "$@"
  ) &
  pids="$pids $!"; off=$((off + c))
done
rc=0
for p in $pids; do wait "$p" || rc=$?; done
[ "$rc" -eq 0 ] || exit "$rc"
echo ${STOP_THEN_REMOVE_MARK}
docker rm "$@"
`;
/**
 * A rolling update failed; `undone` says whether the host was put back as it was (every service
 * of the roll: they are rolled together, and a failure undoes them all).
 */
class RollingUpdateError extends lib/* UserError */.yo {
    service;
    step;
    undone;
    completed;
    /** The services the failure is about (`service` is the first); all of the roll when it is not one's. */
    services;
    constructor(code, message, service, step, undone, 
    /** Services fully rolled before this roll (they run the new release); none when they roll together. */
    completed, options) {
        super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.service = service;
        this.step = step;
        this.undone = undone;
        this.completed = completed;
        this.services = options?.services?.length ? options.services : [service];
    }
}
const DEFAULT_STOP_GRACE_S = 10;
/** A Go duration as compose prints it (`1m30s`, `500ms`, `10s`) in milliseconds; undefined when unreadable. */
function parseGoDuration(text) {
    const units = {
        h: 3_600_000,
        m: 60_000,
        s: 1000,
        ms: 1,
        us: 1e-3,
        µs: 1e-3,
        ns: 1e-6,
    };
    const trimmed = text.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
    let total = 0;
    let matched = 0;
    let m;
    while ((m = re.exec(trimmed))) {
        total += Number(m[1]) * units[m[2]];
        matched = re.lastIndex;
    }
    return matched === trimmed.length && matched > 0 ? total : undefined;
}
function publishedPort(port) {
    if (typeof port === 'number')
        return undefined; // a container port only: the host picks one
    if (typeof port === 'string') {
        // short syntax: [ip:][host:]container[/proto]
        const spec = port.replace(/\/\w+$/, '');
        const parts = spec.startsWith('[') ? spec.replace(/^\[[^\]]*\]:/, '').split(':') : spec.split(':');
        if (parts.length < 2)
            return undefined;
        const host = parts.length === 3 ? parts[1] : parts[0];
        return host && host !== '0' ? host : undefined;
    }
    const published = port.published;
    if (published === undefined || published === null || published === '' || String(published) === '0')
        return undefined;
    return String(published);
}
/** Why a service cannot run twice side by side, or undefined when it can. */
function blocker(name, svc) {
    if (svc.container_name) {
        return `it sets container_name '${svc.container_name}': two containers cannot have one name (remove container_name; compose names them <project>-${name}-<n>)`;
    }
    const fixed = (svc.ports ?? []).map(publishedPort).filter((p) => p !== undefined);
    if (fixed.length) {
        return `it publishes host port ${fixed.join(', ')}: the new container cannot bind it while the old one holds it (serve it through a proxy on the project network instead of \`ports:\`)`;
    }
    const mode = svc.network_mode;
    if (mode && mode !== 'bridge' && !mode.startsWith('default')) {
        return `it uses network_mode '${mode}': the new container needs a network address of its own beside the old one, which this mode does not give (it shares a network namespace, or has none)`;
    }
    if (svc.networks && !Array.isArray(svc.networks)) {
        for (const [net, cfg] of Object.entries(svc.networks)) {
            const fixedIp = cfg?.ipv4_address ?? cfg?.ipv6_address;
            if (fixedIp)
                return `it has the fixed address ${fixedIp} on network '${net}': two containers cannot share it`;
        }
    }
    if (svc.deploy?.mode === 'global')
        return "it has deploy.mode 'global'";
    return undefined;
}
function hasComposeHealthcheck(svc) {
    const hc = svc.healthcheck;
    if (!hc)
        return 'no';
    if (hc.disable)
        return 'disabled';
    const test = hc.test;
    if (Array.isArray(test) && test[0] === 'NONE')
        return 'disabled';
    return test === undefined || (Array.isArray(test) && test.length === 0) ? 'no' : 'yes';
}
/**
 * Chooses and checks the services to roll, before anything changes.
 * `services` empty or absent: every service with a healthcheck in the compose file and nothing
 * that stops it from running twice (others are listed in `skipped`). Named services must all be
 * rollable: one `not-rollable` UserError names every one that is not, and why.
 */
function checkRollable(config, services = []) {
    const all = config.services ?? {};
    const selection = {
        ...(config.name ? { project: config.name } : {}),
        services: [],
        skipped: [],
    };
    const describe = (name, svc) => {
        const graceMs = svc.stop_grace_period ? parseGoDuration(svc.stop_grace_period) : undefined;
        return {
            name,
            replicas: Math.max(1, svc.deploy?.replicas ?? svc.scale ?? 1),
            stopGraceSeconds: graceMs === undefined ? DEFAULT_STOP_GRACE_S : Math.ceil(graceMs / 1000),
            ...(svc.image ? { image: svc.image } : {}),
            composeHealthcheck: hasComposeHealthcheck(svc) === 'yes',
        };
    };
    if (services.length === 0) {
        for (const [name, svc] of Object.entries(all)) {
            const s = svc ?? {};
            const why = blocker(name, s) ??
                (hasComposeHealthcheck(s) === 'yes' ? undefined : 'it has no healthcheck in the compose file');
            if (why)
                selection.skipped.push({ service: name, reason: why });
            else
                selection.services.push(describe(name, s));
        }
        return selection;
    }
    const problems = [];
    for (const name of new Set(services)) {
        const svc = all[name];
        if (svc === undefined) {
            problems.push(`'${name}' is not a service of this compose project (services: ${Object.keys(all).join(', ') || 'none'})`);
            continue;
        }
        const s = svc ?? {};
        const why = blocker(name, s) ??
            (hasComposeHealthcheck(s) === 'disabled'
                ? 'its healthcheck is disabled: rolling needs one to know when a new container may take traffic'
                : undefined);
        if (why)
            problems.push(`service '${name}' cannot be rolled: ${why}`);
        else
            selection.services.push(describe(name, s));
    }
    if (problems.length) {
        throw new lib/* UserError */.yo('not-rollable', `strategy rolling: ${problems.join('; ')}. Nothing was changed.`);
    }
    return selection;
}
/**
 * The steps of a rolling update of one service, or of several rolled together, with their
 * command lines, for dry-run and the log.
 */
function rollingSteps(compose, service, options = {}) {
    const services = Array.isArray(service) ? service : [service];
    const isolate = options.isolateUntilHealthy === true;
    const names = services.map((s) => s.name);
    const quoted = names.map((n) => `'${n}'`).join(', ');
    const up = (scale, noStart = false) => quoteCommand(compose.argv('up', '-d', '--no-deps', '--no-recreate', ...(noStart ? ['--no-start'] : []), ...services.flatMap((s) => ['--scale', `${s.name}=${scale(s)}`]), ...names));
    const graces = [...new Set(services.map((s) => s.stopGraceSeconds))];
    const stop = graces.length === 1
        ? `docker stop -t ${graces[0]} <old containers>`
        : services.map((s) => `docker stop -t ${s.stopGraceSeconds} <old ${s.name}>`).join(' & ');
    const undoAll = `remove the new containers${services.length > 1 ? ' of every service' : ''}; the old ones keep (or go back to) serving`;
    const steps = [
        {
            name: 'scale-up',
            does: isolate
                ? `${up((s) => `<old>+${s.replicas}`, true)}; reconnect the new container(s) without the alias ${names.length > 1 ? 'of their service' : quoted}; docker start them`
                : up((s) => `<old>+${s.replicas}`),
            changes: `starts ${services.map((s) => `${s.replicas} new container(s) of ${s.name}`).join(', ')} beside the old ones${isolate ? ', out of the DNS name' : ''}`,
            undo: undoAll,
        },
        {
            name: 'wait-healthy',
            does: `wait until every new container's healthcheck says healthy (up to ${formatDuration(options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS)})`,
            changes: 'nothing',
            undo: undoAll,
        },
        ...(isolate
            ? [
                {
                    name: 'admit',
                    does: `docker network disconnect + connect each new container with the alias ${names.length > 1 ? 'of its service' : quoted}`,
                    changes: 'the new containers join the DNS name the proxy follows',
                    undo: undoAll,
                },
            ]
            : []),
        {
            name: 'drain',
            does: `wait until the new container(s) have been in the name ${names.length > 1 ? 'of their service' : quoted} for ${formatDuration(options.drainMs ?? DEFAULT_DRAIN_MS)} (the proxy's DNS refresh; counted from when they joined it)`,
            changes: 'nothing: the proxy has seen the new containers before the old ones stop',
            undo: undoAll,
        },
        {
            name: 'stop-old',
            does: stop,
            changes: 'the old containers get SIGTERM: they stop taking connections, finish the requests in flight and leave Docker DNS as they exit (KILL after stop_grace_period)',
            undo: `start the old containers again; ${undoAll}`,
        },
        {
            name: 'remove-old',
            does: 'docker rm <old containers>',
            changes: 'the old containers are gone',
            undo: 'none: the new containers are healthy and serving; the step fails naming what is left',
        },
        {
            name: 'scale-down',
            does: `${up((s) => String(s.replicas))} (only the services where more than their new container(s) are left)`,
            changes: `nothing when only the new container(s) run (compose's own count agrees again)`,
            undo: 'none: the new containers are healthy and serving; the step fails saying so',
        },
    ];
    return steps;
}
const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;
/** One DNS refresh of a proxy set up as docs/zero-downtime.md says (Caddy `refresh 1s`, nginx `valid=1s`). */
const DEFAULT_DRAIN_MS = 1000;
const rolling_short = (id) => id.slice(0, 12);
/** A failure that is about some services of the roll (not all of them). */
class ServicesError extends Error {
    services;
    constructor(message, services, options) {
        super(message, options);
        this.services = services;
    }
}
/** New containers that are unhealthy, exited or still starting at the deadline. */
class HealthError extends ServicesError {
}
/**
 * Replaces the services' containers with the release's, all of them together, without a moment
 * where none serves: one compose call starts the new containers of every service beside the old
 * ones, one wait until all are healthy, one drain, one stop and removal of all the old ones.
 * Returns what it did per service. Throws a RollingUpdateError naming the service(s) and the
 * step; for failures up to stop-old every service is as it was before (`undone`).
 */
async function rollingUpdate(exec, options) {
    if (options.services.length === 0)
        return [];
    return new Roll(exec, options).run();
}
class Roll {
    exec;
    o;
    log;
    host;
    durations = {
        'scale-up': 0,
        'wait-healthy': 0,
        admit: 0,
        drain: 0,
        'stop-old': 0,
        'remove-old': 0,
        'scale-down': 0,
        total: 0,
    };
    parts;
    /** Undo actions of the steps done so far, last first. */
    undos = [];
    constructor(exec, o) {
        this.exec = exec;
        this.o = o;
        this.log = o.log ?? lib/* silentLogger */.qq;
        this.host = o.host ?? 'host';
        this.parts = o.services.map((svc) => ({ svc, old: [], newIds: [] }));
    }
    get names() {
        return this.parts.map((p) => p.svc.name);
    }
    say(part, message) {
        this.log.info(`[${this.host}] rolling ${part.svc.name}: ${message}`);
    }
    /** Runs argv; a non-zero exit throws with the command and its last lines. Changes are logged. */
    async sh(argv, what) {
        const query = argv[0] === 'docker' && (argv[1] === 'ps' || argv[1] === 'inspect');
        if (!query)
            this.log.info(`[${this.host}] $ ${(0,ssh_lib/* quoteCommand */.ch)(argv)}`);
        return this.checked(argv, what, await this.exec(argv, { cwd: this.o.cwd }));
    }
    /** A non-zero exit of argv throws with the command and its last lines. */
    checked(argv, what, result) {
        if (result.code !== 0) {
            const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 10);
            throw new Error(`${what}: \`${(0,ssh_lib/* quoteCommand */.ch)(argv)}\` exited with ${result.code}${output ? `:\n${output}` : ''}`);
        }
        return result;
    }
    /** `up -d --no-deps --no-recreate [--no-start] --scale S=n ... S ...`: one compose call for them all. */
    up(scales, noStart = false) {
        return this.o.compose.argv('up', '-d', '--no-deps', '--no-recreate', ...(noStart ? ['--no-start'] : []), ...scales.flatMap(([name, n]) => ['--scale', `${name}=${n}`]), ...scales.map(([name]) => name));
    }
    /** The containers of the rolled services (one `docker ps` for them all), by service. */
    async listContainers() {
        const result = await this.sh([
            'docker',
            'ps',
            '-a',
            '--no-trunc',
            '--filter',
            `label=com.docker.compose.project=${this.o.project}`,
            '--filter',
            'label=com.docker.compose.oneoff=False',
            '--format',
            '{{.ID}} {{.Label "com.docker.compose.service"}}',
        ], 'list the containers');
        const by = new Map(this.names.map((n) => [n, []]));
        for (const line of result.stdout.split('\n')) {
            const [id, service] = line.trim().split(/\s+/);
            if (id && service)
                by.get(service)?.push(id);
        }
        return by;
    }
    async inspect(ids) {
        if (ids.length === 0)
            return [];
        const result = await this.sh(['docker', 'inspect', ...ids], 'inspect the containers');
        return JSON.parse(result.stdout);
    }
    async run() {
        const started = Date.now();
        const at = { step: 'check' };
        let removed;
        const timed = async (s, fn) => {
            at.step = s;
            const t0 = Date.now();
            try {
                return await fn();
            }
            finally {
                this.durations[s] = Date.now() - t0;
            }
        };
        const allOld = () => this.parts.flatMap((p) => p.old);
        const allNew = () => this.parts.flatMap((p) => p.newIds);
        try {
            await this.checkImageHealthchecks();
            const before = await this.listContainers();
            for (const p of this.parts) {
                p.old = before.get(p.svc.name) ?? [];
                this.say(p, `old container(s): ${p.old.map(rolling_short).join(', ') || 'none'}; starting ${p.svc.replicas} new beside them` +
                    (this.parts.length > 1
                        ? ` (rolled together with ${this.names.filter((n) => n !== p.svc.name).join(', ')})`
                        : ''));
            }
            // scale-up: registered before it runs, so containers a half-done `up` created are removed too.
            this.undos.push({ what: 'remove the new containers', run: () => this.removeNew() });
            const isolate = this.o.isolateUntilHealthy === true;
            let admitTo = [];
            /** When the new containers joined their services' DNS names (the proxy can pick them from then). */
            let inName = 0;
            await timed('scale-up', async () => {
                await this.sh(this.up(this.parts.map((p) => [p.svc.name, p.old.length + p.svc.replicas]), isolate), isolate ? 'create the new containers' : 'start the new containers');
                const now = await this.listContainers();
                const wrong = [];
                for (const p of this.parts) {
                    p.newIds = (now.get(p.svc.name) ?? []).filter((id) => !p.old.includes(id));
                    if (p.newIds.length !== p.svc.replicas)
                        wrong.push(`expected ${p.svc.replicas} new container(s) of ${p.svc.name}, found ${p.newIds.length} (${p.newIds.map(rolling_short).join(', ') || 'none'})`);
                }
                if (wrong.length)
                    throw new ServicesError(wrong.join('; '), this.parts.filter((p) => p.newIds.length !== p.svc.replicas).map((p) => p.svc.name));
                if (isolate) {
                    // Attached as created, minus the service's name: out of the proxy's view until admitted.
                    admitTo = await this.attachments();
                    for (const a of admitTo) {
                        await this.sh(['docker', 'network', 'disconnect', a.network, a.container], 'isolate a new container');
                        await this.connect({ ...a, aliases: a.aliases.filter((al) => al !== a.service) }, 'isolate a new container');
                    }
                    await this.sh(['docker', 'start', ...allNew()], 'start the new containers');
                }
                else {
                    inName = Date.now(); // started with the service's alias (isolated: at admit)
                }
            });
            await timed('wait-healthy', async () => {
                await this.waitHealthy();
                for (const p of this.parts) {
                    try {
                        await this.o.verify?.(p.svc.name, p.newIds);
                    }
                    catch (error) {
                        throw new ServicesError(error instanceof Error ? error.message : String(error), [p.svc.name], {
                            cause: error,
                        });
                    }
                }
            });
            for (const p of this.parts)
                this.say(p, `new container(s) healthy: ${p.newIds.map(rolling_short).join(', ')}`);
            if (isolate) {
                await timed('admit', async () => {
                    for (const a of admitTo) {
                        await this.sh(['docker', 'network', 'disconnect', a.network, a.container], 'admit a new container');
                        await this.connect(a, 'admit a new container');
                    }
                    inName = Date.now();
                });
            }
            const stopping = this.parts.filter((p) => p.old.length);
            if (stopping.length) {
                await timed('drain', async () => {
                    // The old containers keep their networks: they leave Docker's DNS as they exit (stop-old).
                    const left = inName + (this.o.drainMs ?? DEFAULT_DRAIN_MS) - Date.now();
                    if (left > 0)
                        await (0,promises_.setTimeout)(left);
                });
                await timed('stop-old', async () => {
                    this.undos.push({ what: 'start the old containers again', run: () => this.startOld() });
                    // One `docker stop -t <grace>` per distinct stop_grace_period, at once; `docker rm`
                    // (remove-old) runs in the same exec, only after every stop succeeded.
                    const graces = new Map();
                    for (const p of stopping)
                        graces.set(p.svc.stopGraceSeconds, [...(graces.get(p.svc.stopGraceSeconds) ?? []), ...p.old]);
                    const ordered = [...graces.values()].flat();
                    const stops = [...graces].map(([g, ids]) => ['docker', 'stop', '-t', String(g), ...ids]);
                    for (const stop of stops)
                        this.log.info(`[${this.host}] $ ${(0,ssh_lib/* quoteCommand */.ch)(stop)}`);
                    this.log.info(`[${this.host}] $ ${(0,ssh_lib/* quoteCommand */.ch)(['docker', 'rm', ...ordered])}`);
                    const both = await this.exec([
                        'sh',
                        '-c',
                        STOP_THEN_REMOVE_SCRIPT,
                        'sh',
                        [...graces].map(([g, ids]) => `${g}:${ids.length}`).join(' '),
                        ...ordered,
                    ], { cwd: this.o.cwd });
                    const lines = both.stdout.split('\n');
                    const mark = lines.indexOf(STOP_THEN_REMOVE_MARK);
                    if (mark < 0) {
                        const stop = stops.length === 1 ? stops[0] : ['sh', '-c', stops.map((s) => (0,ssh_lib/* quoteCommand */.ch)(s)).join(' & ')];
                        this.checked(stop, 'stop the old containers', { ...both, code: both.code || 1 });
                    }
                    removed = { code: both.code, stdout: lines.slice(mark + 1).join('\n'), stderr: both.stderr };
                });
            }
            this.undos.length = 0; // the point of no return: from here the new containers stay
            if (stopping.length) {
                await timed('remove-old', async () => {
                    this.checked(['docker', 'rm', ...allOld()], 'remove the old containers', removed);
                });
            }
            await timed('scale-down', async () => {
                // Compose keeps no count of its own: with exactly the N new containers left, `up --scale`
                // would change nothing, so it runs only for a service where something else is there
                // (~0.5 s a compose call; one call for them all).
                const left = await this.listContainers();
                const off = this.parts.filter((p) => {
                    const ids = left.get(p.svc.name) ?? [];
                    return !(ids.length === p.svc.replicas && ids.every((id) => p.newIds.includes(id)));
                });
                if (off.length === 0)
                    return;
                await this.sh(this.up(off.map((p) => [p.svc.name, p.svc.replicas])), 'scale back');
            });
            this.durations.total = Date.now() - started;
            for (const p of this.parts)
                this.say(p, `done in ${(0,lib/* formatDuration */.a3)(this.durations.total)}: ${p.old.map(rolling_short).join(', ') || 'none'} -> ${p.newIds.map(rolling_short).join(', ')}`);
            return this.parts.map((p) => ({
                service: p.svc.name,
                replicas: p.svc.replicas,
                oldContainers: p.old,
                newContainers: p.newIds,
                durations: { ...this.durations },
            }));
        }
        catch (error) {
            throw await this.fail(at.step, error);
        }
    }
    /** A service whose healthcheck is not in the compose file must get one from its image. */
    async checkImageHealthchecks() {
        const none = [];
        for (const { svc } of this.parts) {
            if (svc.composeHealthcheck || !svc.image)
                continue;
            const result = await this.exec([
                'docker',
                'image',
                'inspect',
                '-f',
                '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}',
                svc.image,
            ], { cwd: this.o.cwd });
            if (result.code !== 0)
                continue; // not on the host yet: each new container's health is checked instead
            const test = result.stdout.trim();
            if (test === '' || test.startsWith('["NONE"'))
                none.push(svc.name);
        }
        if (none.length) {
            const images = (name) => this.parts.find((p) => p.svc.name === name).svc.image;
            throw Object.assign(new lib/* UserError */.yo('not-rollable', `${none.map((n) => `service '${n}' has no healthcheck, neither in the compose file nor in its image ${images(n)}`).join('; ')}: ` +
                'rolling needs one to know when a new container may take traffic. Add a healthcheck. Nothing was changed.'), { rollingServices: none });
        }
    }
    /** Which service a new container belongs to. */
    serviceOf(id) {
        return this.parts.find((p) => p.newIds.includes(id))?.svc.name ?? '?';
    }
    async attachments() {
        const out = [];
        for (const c of await this.inspect(this.parts.flatMap((p) => p.newIds))) {
            for (const [network, cfg] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
                // Docker adds the short id by itself on connect.
                const aliases = (cfg?.Aliases ?? []).filter((a) => a !== rolling_short(c.Id));
                out.push({ container: c.Id, service: this.serviceOf(c.Id), network, aliases });
            }
        }
        return out;
    }
    /** Until every new container of every service is healthy: one `docker inspect` of them all a poll. */
    async waitHealthy() {
        const timeout = this.o.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
        const deadline = Date.now() + timeout;
        const poll = this.o.pollIntervalMs ?? 200;
        const several = this.parts.length > 1;
        for (;;) {
            const states = await this.inspect(this.parts.flatMap((p) => p.newIds));
            const bad = [];
            const noHealth = [];
            let waiting = 0;
            for (const c of states) {
                const service = this.serviceOf(c.Id);
                const status = c.State?.Status ?? 'unknown';
                const health = c.State?.Health?.Status;
                const lastCheck = c.State?.Health?.Log?.at(-1);
                const evidence = lastCheck
                    ? `; last check exited ${lastCheck.ExitCode ?? '?'}${lastCheck.Output?.trim() ? `: ${lastLines(lastCheck.Output.trim(), 3)}` : ''}`
                    : '';
                const of = several ? ` of ${service}` : '';
                if (status === 'exited' || status === 'dead') {
                    bad.push([
                        service,
                        `new container ${rolling_short(c.Id)}${of} ${status} (exit code ${c.State?.ExitCode ?? '?'})`,
                    ]);
                }
                else if (health === undefined) {
                    noHealth.push([service, rolling_short(c.Id)]);
                }
                else if (health === 'unhealthy') {
                    bad.push([service, `new container ${rolling_short(c.Id)}${of} is unhealthy${evidence}`]);
                }
                else if (health !== 'healthy' || status !== 'running') {
                    waiting++;
                    if (Date.now() > deadline) {
                        bad.push([
                            service,
                            `new container ${rolling_short(c.Id)}${of} is still ${health} (${status}) after ${(0,lib/* formatDuration */.a3)(timeout)}${evidence}`,
                        ]);
                    }
                }
            }
            if (noHealth.length) {
                const services = [...new Set(noHealth.map(([s]) => s))];
                throw Object.assign(new lib/* UserError */.yo('not-rollable', `${services
                    .map((s) => `service '${s}' has no healthcheck (new container ${noHealth
                    .filter(([n]) => n === s)
                    .map(([, id]) => id)
                    .join(', ')} reports none)`)
                    .join('; ')}: ` +
                    'rolling needs one to know when a new container may take traffic. Add a healthcheck to the service or its image.'), { rollingServices: services });
            }
            if (bad.length)
                throw new HealthError(bad.map(([, why]) => why).join('; '), [...new Set(bad.map(([s]) => s))]);
            if (waiting === 0)
                return;
            await (0,promises_.setTimeout)(poll);
        }
    }
    /** Removes every container of the rolled services that was not there before (one `docker rm -f`). */
    async removeNew() {
        const now = await this.listContainers();
        const extra = this.parts.flatMap((p) => (now.get(p.svc.name) ?? []).filter((id) => !p.old.includes(id)));
        if (extra.length)
            await this.sh(['docker', 'rm', '-f', ...extra], 'remove the new containers');
    }
    async connect(a, what) {
        const aliases = a.aliases.flatMap((al) => ['--alias', al]);
        await this.sh(['docker', 'network', 'connect', ...aliases, a.network, a.container], what);
    }
    async startOld() {
        const states = await this.inspect(this.parts.flatMap((p) => p.old));
        const stopped = states.filter((c) => c.State?.Status !== 'running').map((c) => c.Id);
        if (stopped.length)
            await this.sh(['docker', 'start', ...stopped], 'start the old containers again');
    }
    /** Undoes what the steps changed (last first, for every service of the roll) and builds the error. */
    async fail(step, error) {
        const named = error instanceof ServicesError
            ? error.services
            : (error.rollingServices ?? this.names);
        const failed = named.length ? [...named] : this.names;
        const cause = error.message;
        const several = this.parts.length > 1;
        const together = several
            ? ` The ${this.parts.length} services of this roll (${this.names.join(', ')}) roll together`
            : '';
        if (error instanceof lib/* UserError */.yo && error.code === 'not-rollable' && this.undos.length === 0) {
            return new RollingUpdateError('not-rollable', `${this.host}: ${cause}`, failed[0], step, true, [], {
                cause: error,
                services: failed,
            });
        }
        const undoProblems = [];
        const undoable = this.undos.length > 0;
        for (const u of [...this.undos].reverse()) {
            try {
                await u.run();
            }
            catch (e) {
                undoProblems.push(`${u.what}: ${e.message}`);
            }
        }
        const code = error instanceof lib/* UserError */.yo && error.code === 'not-rollable'
            ? 'not-rollable'
            : error instanceof HealthError
                ? 'rolling-unhealthy'
                : `rolling-${step}-failed`;
        const ids = (pick) => several
            ? this.parts.map((p) => `${pick(p).map(rolling_short).join(', ') || '(none)'} (${p.svc.name})`).join(', ')
            : pick(this.parts[0]).map(rolling_short).join(', ');
        let outcome;
        if (!undoable) {
            outcome =
                step === 'check'
                    ? ' Nothing was changed.'
                    : ` The new container(s) ${ids((p) => p.newIds)} are healthy and serving; the old ones were stopped${step === 'scale-down' ? ' and removed' : ''}: check \`docker ps -a\` for leftovers of ${ids((p) => p.old)}.`;
        }
        else if (undoProblems.length === 0) {
            outcome = ` The new containers were removed; the old one(s) ${ids((p) => p.old) || '(none)'} serve as before.${together ? `${together}: none of them changed.` : ''}`;
        }
        else {
            outcome = ` Undoing it failed too: ${undoProblems.join('; ')}.`;
        }
        const who = failed.length === 1 ? `service '${failed[0]}'` : `services ${failed.map((n) => `'${n}'`).join(', ')}`;
        return new RollingUpdateError(code, `${this.host}: rolling update of ${who} failed at step ${step}: ${cause}.${outcome}`, failed[0], step, undoable && undoProblems.length === 0, [], { cause: error, services: failed });
    }
}
//# sourceMappingURL=rolling.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/swarm.js
// Docker Swarm rollouts (`strategy: swarm`): `docker stack deploy` of the release's fully
// interpolated compose file on a manager node, and a wait until swarm has converged.
//
//   check-manager  `docker info`: the node is an active swarm manager
//   render         `docker compose ... config --format json` (or a pre-rendered file), checked by
//                  checkSwarmStack, made into a stack file (swarm's v3 schema) in the release dir
//   migrate        (optional) a `replicated-job` service with the migrator's image on the stack's
//                  network; its task must complete (exit 0), then the job service is removed
//   deploy         `docker stack deploy --with-registry-auth --prune -c <file> <stack>`
//   converge       every service's update completed and its running tasks = replicas; a swarm
//                  rollback (`failure_action: rollback`) or a paused update fails with swarm's reason
//
// Swarm itself undoes a failed update when the service says `failure_action: rollback`: the
// service goes back to its previous spec with the same start-first order, so the old tasks kept
// serving. A stack-wide rollback redeploys the previous release's stack file (swarmRollback).








/** A swarm deploy failed at `step`; `service` names the service when one is to blame. */
class SwarmDeployError extends lib/* UserError */.yo {
    step;
    service;
    services;
    constructor(code, message, step, service, 
    /** Per-service state when the convergence failed or timed out. */
    services = [], options) {
        super(code, message, options);
        this.step = step;
        this.service = service;
        this.services = services;
    }
}
const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_STACK_FILE = 'stack.swarm.json';
/** Service keys of swarm's stack schema (compose file format 3.9); others are left out with a warning. */
const STACK_SERVICE_KEYS = new Set([
    'cap_add',
    'cap_drop',
    'cgroup_parent',
    'command',
    'configs',
    'container_name',
    'credential_spec',
    'deploy',
    'devices',
    'dns',
    'dns_search',
    'domainname',
    'entrypoint',
    'env_file',
    'environment',
    'expose',
    'external_links',
    'extra_hosts',
    'healthcheck',
    'hostname',
    'image',
    'init',
    'ipc',
    'isolation',
    'labels',
    'links',
    'logging',
    'mac_address',
    'network_mode',
    'networks',
    'pid',
    'ports',
    'privileged',
    'read_only',
    'restart',
    'security_opt',
    'shm_size',
    'secrets',
    'sysctls',
    'stdin_open',
    'stop_grace_period',
    'stop_signal',
    'tmpfs',
    'tty',
    'ulimits',
    'user',
    'userns_mode',
    'volumes',
    'working_dir',
]);
/** Keys swarm ignores anyway: left out without a warning. */
const QUIETLY_DROPPED = new Set(['build', 'depends_on', 'profiles', 'pull_policy', 'restart']);
const STACK_TOP_KEYS = new Set(['version', 'services', 'networks', 'volumes', 'secrets', 'configs']);
function stripNulls(value) {
    if (Array.isArray(value))
        return value.map(stripNulls);
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value))
            if (v !== null)
                out[k] = stripNulls(v);
        return out;
    }
    return value;
}
/**
 * The stack file swarm's schema accepts, from compose's interpolated config: compose-spec-only
 * keys left out (`name`, `pull_policy`, `depends_on`, ...), nulls removed, published ports as
 * numbers, long-syntax bind options swarm does not know removed. `dropped` says what was left out.
 */
function stackFileFromConfig(config) {
    const dropped = [];
    const out = {};
    for (const [key, value] of Object.entries(config)) {
        if (STACK_TOP_KEYS.has(key) || key.startsWith('x-'))
            out[key] = value;
        else if (key !== 'name')
            dropped.push(key);
    }
    const services = {};
    for (const [name, raw] of Object.entries(config.services ?? {})) {
        const svc = {};
        for (const [key, value] of Object.entries(raw ?? {})) {
            if (STACK_SERVICE_KEYS.has(key) || key.startsWith('x-'))
                svc[key] = value;
            else if (!QUIETLY_DROPPED.has(key))
                dropped.push(`services.${name}.${key}`);
        }
        if (svc.networks && !Array.isArray(svc.networks)) {
            const nets = {};
            for (const [net, cfg] of Object.entries(svc.networks))
                nets[net] = cfg ?? {};
            svc.networks = nets;
        }
        if (Array.isArray(svc.ports)) {
            svc.ports = svc.ports.map((p) => {
                if (!p || typeof p !== 'object')
                    return p;
                const port = { ...p };
                if (typeof port.published === 'string' && /^\d+$/.test(port.published))
                    port.published = Number(port.published);
                if (port.host_ip !== undefined) {
                    dropped.push(`services.${name}.ports.host_ip (${String(port.host_ip)}: swarm publishes on every address)`);
                    delete port.host_ip;
                }
                delete port.app_protocol;
                delete port.name;
                return port;
            });
        }
        if (Array.isArray(svc.volumes)) {
            svc.volumes = svc.volumes.map((v) => {
                if (!v || typeof v !== 'object')
                    return v;
                const vol = { ...v };
                if (vol.bind && typeof vol.bind === 'object') {
                    const { create_host_path: _c, selinux: _s, ...bind } = vol.bind;
                    if (Object.keys(bind).length)
                        vol.bind = bind;
                    else
                        delete vol.bind;
                }
                return vol;
            });
        }
        if (svc.healthcheck && typeof svc.healthcheck === 'object') {
            const { start_interval: _si, ...hc } = svc.healthcheck;
            svc.healthcheck = hc;
        }
        services[name] = svc;
    }
    out.services = services;
    if (!out.version)
        out.version = '3.9';
    return { content: `${JSON.stringify(stripNulls(out), null, 2)}\n`, dropped };
}
/** The steps of a swarm deploy with their command lines, for dry-run and the log. */
function swarmSteps(options) {
    const file = options.stackFileName ?? DEFAULT_STACK_FILE;
    const steps = [
        {
            name: 'check-manager',
            does: "docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'",
            changes: 'nothing',
            undo: 'nothing to undo',
        },
        {
            name: 'render',
            does: 'compose' in options.source
                ? `${(0,ssh_lib/* quoteCommand */.ch)(options.source.compose.argv('config', '--format', 'json'))}; checkSwarmStack; write ${file}`
                : `read ${options.source.renderedFile}; checkSwarmStack; write ${file}`,
            changes: `writes ${file} (mode 0600) in the release dir`,
            undo: 'nothing to undo: the stack is unchanged',
        },
    ];
    if (options.migrateService) {
        steps.push({
            name: 'migrate',
            does: `docker service create --mode replicated-job --restart-condition none --name ${options.stack}_migrate-<id> --network <stack networks> <${options.migrateService}'s image>; wait for its task to complete; docker service rm`,
            changes: `runs ${options.migrateService} once against the stack's network (whatever the migration changes)`,
            undo: 'the job service is removed; the stack is unchanged (a failed migration stops the deploy)',
        });
    }
    steps.push({
        name: 'deploy',
        does: `docker stack deploy --with-registry-auth --prune -c ${file} ${options.stack}`,
        changes: 'swarm starts updating every changed service (start-first where the stack says so); services no longer in the file are removed',
        undo: "swarm's own: a service with failure_action: rollback goes back to its previous spec; the stack-wide rollback is swarmRollback",
    }, {
        name: 'converge',
        does: "docker service inspect (UpdateStatus, replicas) and docker stack ps until every service's update completed and its tasks run",
        changes: 'nothing',
        undo: "a rolled-back or paused update fails the deploy with swarm's reason",
    });
    return steps;
}
const TERMINAL_FAILED = new Set(['rollback_completed', 'rollback_paused', 'paused']);
class SwarmRun {
    exec;
    cwd;
    log;
    host;
    constructor(exec, cwd, o) {
        this.exec = exec;
        this.cwd = cwd;
        this.log = o.log ?? lib/* silentLogger */.qq;
        this.host = o.host ?? 'host';
    }
    say(message) {
        this.log.info(`[${this.host}] swarm: ${message}`);
    }
    /** Runs argv; a non-zero exit throws with the command and its last lines. Changes are logged. */
    async sh(argv, what, options = {}) {
        if (!options.quiet)
            this.log.info(`[${this.host}] $ ${(0,ssh_lib/* quoteCommand */.ch)(argv)}`);
        const result = await this.exec(argv, {
            cwd: this.cwd,
            ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        });
        if (result.code !== 0) {
            const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 10);
            throw new Error(`${what}: \`${(0,ssh_lib/* quoteCommand */.ch)(argv)}\` exited with ${result.code}${output ? `:\n${output}` : ''}`);
        }
        return result;
    }
    async checkManager() {
        const result = await this.exec(['docker', 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'], { cwd: this.cwd });
        if (result.code !== 0) {
            throw new SwarmDeployError('swarm-not-manager', `${this.host}: cannot ask Docker whether this node is a swarm manager: ${lastLines(`${result.stdout}\n${result.stderr}`.trim(), 5)}. Nothing was changed.`, 'check-manager');
        }
        const [state, control] = result.stdout.trim().split(/\s+/);
        if (state !== 'active' || control !== 'true') {
            const why = state !== 'active'
                ? `its swarm state is '${state ?? ''}' (run \`docker swarm init\` on it, or point host at a manager of your swarm)`
                : 'it is a worker, not a manager (point host at a manager node: `docker node ls` there lists them)';
            throw new SwarmDeployError('swarm-not-manager', `${this.host}: strategy swarm needs a swarm manager node, but ${why}. Nothing was changed.`, 'check-manager');
        }
    }
    async writeFile(path, content) {
        await this.sh(['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path], `write ${path}`, { stdin: content });
    }
    async stackServices(stack) {
        const ids = (await this.sh(['docker', 'service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`], "list the stack's services", { quiet: true })).stdout
            .split(/\s+/)
            .filter(Boolean);
        if (!ids.length)
            return [];
        const result = await this.sh(['docker', 'service', 'inspect', ...ids], "inspect the stack's services", {
            quiet: true,
        });
        return JSON.parse(result.stdout);
    }
    async tasks(stack) {
        const result = await this.exec([
            'docker',
            'stack',
            'ps',
            '--no-trunc',
            '--filter',
            'desired-state=running',
            '--format',
            '{{json .}}',
            stack,
        ], { cwd: this.cwd });
        if (result.code !== 0)
            return [];
        return result.stdout
            .split('\n')
            .filter((l) => l.trim().startsWith('{'))
            .map((l) => JSON.parse(l));
    }
    /** What a failed task left: its state and error, and its container's last healthcheck (when on this node). */
    async taskEvidence(task) {
        const t = await this.exec([
            'docker',
            'inspect',
            '--format',
            '{{.Status.State}}|{{.Status.Err}}|{{if .Status.ContainerStatus}}{{.Status.ContainerStatus.ContainerID}}{{end}}',
            task,
        ], { cwd: this.cwd });
        if (t.code !== 0)
            return '';
        const [state = '', err = '', container = ''] = t.stdout.trim().split('|');
        const parts = [`task ${task.slice(0, 12)} ${state}${err ? ` (${err})` : ''}`];
        if (container) {
            const c = await this.exec(['docker', 'inspect', '--format', '{{if .State.Health}}{{json .State.Health.Log}}{{end}}', container], {
                cwd: this.cwd,
            });
            try {
                const log = c.code === 0 && c.stdout.trim()
                    ? JSON.parse(c.stdout)
                    : [];
                const last = [...log].reverse().find((l) => l.ExitCode !== 0);
                if (last)
                    parts.push(`its healthcheck exited ${last.ExitCode ?? '?'}${last.Output?.trim() ? `: ${lastLines(last.Output.trim(), 2)}` : ''}`);
            }
            catch {
                // no health log to show
            }
        }
        return parts.join(', ');
    }
    async deploy(stack, file) {
        await this.sh(['docker', 'stack', 'deploy', '--with-registry-auth', '--prune', '-c', file, stack], 'docker stack deploy');
    }
    /** Waits until every service of the stack converged; throws SwarmDeployError(converge) otherwise. */
    async converge(stack, before, options) {
        const t0 = Date.now();
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const poll = options.pollIntervalMs ?? 1000;
        const doneAt = new Map();
        /** Per service, swarm's message naming the task that failed (it is replaced by 'rollback completed'). */
        const failures = new Map();
        for (;;) {
            const services = await this.stackServices(stack);
            const tasks = await this.tasks(stack);
            const results = [];
            const failed = [];
            let waiting = 0;
            for (const svc of services) {
                const swarmName = svc.Spec?.Name ?? svc.ID;
                const short = swarmName.startsWith(`${stack}_`) ? swarmName.slice(stack.length + 1) : swarmName;
                const mode = svc.Spec?.Mode ?? {};
                if (mode.ReplicatedJob || mode.GlobalJob)
                    continue;
                const replicas = mode.Replicated ? (mode.Replicated.Replicas ?? 1) : undefined;
                const mine = tasks.filter((t) => t.Name?.startsWith(`${swarmName}.`) && t.DesiredState === 'Running');
                const running = mine.filter((t) => t.CurrentState?.startsWith('Running')).length;
                const pending = mine.length - running;
                const prev = before.get(svc.ID);
                const us = svc.UpdateStatus ?? undefined;
                const templateChanged = !prev || JSON.stringify(prev.Spec?.TaskTemplate) !== JSON.stringify(svc.Spec?.TaskTemplate);
                const newUpdate = us !== undefined && us.StartedAt !== prev?.UpdateStatus?.StartedAt;
                let state;
                if (!prev)
                    state = 'created';
                else if (newUpdate)
                    state = us.State ?? 'unknown';
                else
                    state = templateChanged ? 'update-pending' : 'unchanged';
                const result = {
                    service: short,
                    swarmService: swarmName,
                    image: svc.Spec?.TaskTemplate?.ContainerSpec?.Image ?? '',
                    ...(replicas !== undefined ? { replicas } : {}),
                    running,
                    updateState: state,
                    ...(newUpdate && us.Message ? { updateMessage: us.Message } : {}),
                    durationMs: 0,
                };
                results.push(result);
                if (newUpdate && us.Message && /\btask \w+/.test(us.Message))
                    failures.set(swarmName, us.Message);
                if (newUpdate && TERMINAL_FAILED.has(state)) {
                    failed.push(result);
                    continue;
                }
                const settled = (state === 'completed' || state === 'created' || state === 'unchanged') &&
                    pending === 0 &&
                    (replicas === undefined ? running > 0 : running === replicas);
                if (settled) {
                    if (!doneAt.has(swarmName))
                        doneAt.set(swarmName, Date.now() - t0);
                }
                else {
                    doneAt.delete(swarmName);
                    waiting++;
                }
                result.durationMs = doneAt.get(swarmName) ?? Date.now() - t0;
            }
            // Wait for a rollback that is still running to end before failing: the old tasks must serve again.
            const rollingBack = results.some((r) => r.updateState === 'rollback_started');
            if (failed.length && !rollingBack) {
                const f = failed[0];
                const reasons = [];
                for (const s of failed) {
                    const first = failures.get(s.swarmService);
                    const task = first ? /\btask (\w+)/.exec(first)?.[1] : undefined;
                    const evidence = task ? await this.taskEvidence(task) : '';
                    const detail = [s.updateMessage, first && first !== s.updateMessage ? first : undefined, evidence]
                        .filter(Boolean)
                        .join('; ');
                    reasons.push(`service '${s.service}' (${s.swarmService}): update ${s.updateState}${detail ? `: ${detail}` : ''}`);
                }
                const why = reasons.join('; ');
                const back = failed.every((s) => s.updateState === 'rollback_completed');
                throw new SwarmDeployError(f.updateState === 'paused' ? 'swarm-update-paused' : 'swarm-rolled-back', `${this.host}: stack ${stack} did not converge: ${why}.${back ? ' Swarm rolled the service(s) back to their previous version, which serves.' : ' The update is paused half-done: `docker service update --rollback <service>` or redeploy.'}`, 'converge', f.service, results);
            }
            if (waiting === 0 && results.length > 0)
                return results;
            if (Date.now() - t0 > timeoutMs) {
                const late = results.filter((r) => !doneAt.has(r.swarmService));
                throw new SwarmDeployError('swarm-timeout', `${this.host}: stack ${stack} did not converge within ${(0,lib/* formatDuration */.a3)(timeoutMs)}: ${late
                    .map((r) => `service '${r.service}' ${r.updateState}, ${r.running}/${r.replicas ?? '?'} running`)
                    .join('; ')}`, 'converge', late[0]?.service, results);
            }
            if (options.signal?.aborted) {
                throw new SwarmDeployError('timeout', `${this.host}: stopped (timeout or cancel) while stack ${stack} converged: ${results
                    .map((r) => `service '${r.service}' ${r.updateState}, ${r.running}/${r.replicas ?? '?'} running`)
                    .join('; ')}`, 'converge', undefined, results);
            }
            await (0,promises_.setTimeout)(poll);
        }
    }
}
function parseConfig(text, where) {
    try {
        const parsed = (0,dist/* parse */.qg)(text);
        if (!parsed || typeof parsed !== 'object')
            throw new Error('not a mapping');
        return parsed;
    }
    catch (e) {
        throw new SwarmDeployError('swarm-stack-invalid', `${where} is not a compose config: ${e.message}. Nothing was changed.`, 'render');
    }
}
/** Swarm's network name for a compose network of the stack. */
function swarmNetwork(config, stack, net) {
    const cfg = config.networks?.[net];
    const ext = cfg?.external;
    if (ext && typeof ext === 'object' && ext.name)
        return ext.name;
    // compose's config names every network <project>_<net>: a stack names it <stack>_<net>.
    if (ext && cfg?.name)
        return cfg.name;
    return `${stack}_${net}`;
}
/**
 * A swarm deploy as separate steps, so ssh-deploy's session runs each as a named step of its plan
 * (check-manager, render, migrate, stack-deploy, converge). Every method throws a SwarmDeployError
 * naming its step; swarmDeploy runs them all in order.
 */
class SwarmDeployment {
    options;
    run;
    durations = { 'check-manager': 0, render: 0, migrate: 0, deploy: 0, converge: 0, total: 0 };
    config;
    before;
    /** The stack file written by render (or given to deploy). */
    stackFile;
    warnings = [];
    constructor(exec, options) {
        this.options = options;
        this.run = new SwarmRun(exec, options.cwd, options);
        this.stackFile = `${options.cwd.replace(/\/+$/, '')}/${options.stackFileName ?? DEFAULT_STACK_FILE}`;
    }
    async timed(s, fn) {
        const t = Date.now();
        const { run, options } = this;
        try {
            return await fn();
        }
        catch (e) {
            if (e instanceof SwarmDeployError)
                throw e;
            const code = s === 'migrate' ? 'swarm-migration-failed' : `swarm-${s}-failed`;
            const outcome = s === 'deploy'
                ? ' Services the command reached before it failed may be updating: run the deploy again, or roll back.'
                : s === 'converge'
                    ? ''
                    : ' The stack was not changed.';
            throw new SwarmDeployError(code, `${run.host}: swarm deploy of stack ${options.stack} failed at step ${s}: ${e.message}${outcome}`, s, s === 'migrate' ? options.migrateService : undefined, [], { cause: e });
        }
        finally {
            this.durations[s] = Date.now() - t;
        }
    }
    say(message) {
        this.run.say(message);
    }
    /** The node is an active swarm manager and the stack name is valid. Changes nothing. */
    async checkManager() {
        if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(this.options.stack)) {
            throw new SwarmDeployError('swarm-stack-invalid', `stack name '${this.options.stack}' is not a valid stack name (letters, digits, _ . -). Nothing was changed.`, 'check-manager');
        }
        await this.timed('check-manager', () => this.run.checkManager());
    }
    /** Reads the interpolated config, checks it (checkSwarmStack) and writes the stack file (0600). */
    async render() {
        const { run, options } = this;
        const file = this.stackFile;
        const { config, warnings } = await this.timed('render', async () => {
            let text;
            let where;
            if ('compose' in options.source) {
                text = (await run.sh(options.source.compose.argv('config', '--format', 'json'), 'render the compose config', {
                    quiet: true,
                })).stdout;
                where = 'docker compose config';
            }
            else {
                text = (await run.sh(['cat', options.source.renderedFile], `read ${options.source.renderedFile}`, {
                    quiet: true,
                })).stdout;
                where = options.source.renderedFile;
            }
            const cfg = parseConfig(text, where);
            const check = (0,compose_env_lib/* checkSwarmStack */.$Y)(cfg);
            if (check.errors.length) {
                throw new SwarmDeployError('swarm-stack-invalid', `${run.host}: stack ${options.stack} cannot be deployed to swarm: ${check.errors.map((e) => e.message).join('; ')}. Nothing was changed.`, 'render', check.errors[0].service);
            }
            // The migrator runs once (migrate step), never as a service of the stack.
            const deployed = { ...cfg, services: { ...cfg.services } };
            if (options.migrateService)
                delete deployed.services[options.migrateService];
            const stackFile = stackFileFromConfig(deployed);
            const notes = [
                ...check.warnings.map((w) => w.message),
                ...stackFile.dropped.map((d) => `left out of the stack file (swarm does not support it): ${d}`),
            ];
            for (const n of notes)
                run.log.warning(`[${run.host}] swarm: ${n}`);
            await run.writeFile(file, stackFile.content);
            return { config: cfg, warnings: notes };
        });
        this.config = config;
        this.warnings = warnings;
        return { stackFile: file, warnings };
    }
    /** Runs migrate-service once as a job on the stack's network (after render). */
    async migrate() {
        const { run, options } = this;
        const name = options.migrateService;
        if (!name)
            return undefined;
        const config = this.config;
        if (!config)
            throw new Error('swarm migrate before render');
        return this.timed('migrate', async () => {
            let svcCfg = config.services?.[name];
            if (svcCfg === undefined && 'compose' in options.source) {
                // A migrator in a profile is not in the default config: naming it enables it.
                const text = (await run.sh(options.source.compose.argv('config', '--format', 'json', name), "render the migrator's config", { quiet: true })).stdout;
                svcCfg = parseConfig(text, 'docker compose config').services?.[name];
            }
            if (!svcCfg?.image) {
                throw new SwarmDeployError('swarm-migration-failed', `${run.host}: migrate service '${name}' ${svcCfg ? 'has no image' : 'is not a service of the compose file'}. Nothing was changed.`, 'migrate', name);
            }
            return runMigration(run, options, config, name, svcCfg, svcCfg.image);
        });
    }
    /** `docker stack deploy` of the stack file (render's, or `file`: a recorded one for a rollback). */
    async deploy(file = this.stackFile) {
        this.stackFile = file;
        this.before = new Map((await this.run.stackServices(this.options.stack)).map((s) => [s.ID, s]));
        await this.timed('deploy', () => this.run.deploy(this.options.stack, file));
        this.run.say(`deployed ${file}; waiting for every service to converge`);
    }
    /** Waits until every service converged; a rolled-back, paused or late update throws. */
    async converge() {
        const before = this.before ?? new Map();
        return this.timed('converge', () => this.run.converge(this.options.stack, before, this.options));
    }
    /** The stack-wide rollback: redeploys `stackFile` (a previous release's) and waits for convergence. */
    async redeploy(stackFile) {
        const exists = await this.run.exec(['test', '-f', stackFile], { cwd: this.options.cwd });
        if (exists.code !== 0) {
            throw new SwarmDeployError('swarm-rollback-failed', `${this.run.host}: the previous stack file ${stackFile} is not on the manager: nothing to roll back to.`, 'deploy');
        }
        await this.deploy(stackFile);
        const services = await this.converge();
        this.run.say(`stack ${this.options.stack} is back on ${stackFile}`);
        return services;
    }
}
/**
 * Deploys a release as a swarm stack on a manager and waits until it converged. Throws a
 * SwarmDeployError naming the step (and the service for a failed update) otherwise.
 */
async function swarmDeploy(exec, options) {
    const started = Date.now();
    const d = new SwarmDeployment(exec, options);
    await d.checkManager();
    const { stackFile, warnings } = await d.render();
    const migration = await d.migrate();
    await d.deploy();
    const services = await d.converge();
    d.durations.total = Date.now() - started;
    d.say(`converged in ${formatDuration(d.durations.total)}: ${services.map((s) => `${s.service} ${s.updateState} ${s.running}/${s.replicas ?? s.running}`).join(', ')}`);
    return {
        stack: options.stack,
        stackFile,
        ...(migration ? { migration } : {}),
        services,
        warnings,
        durations: d.durations,
    };
}
async function runMigration(run, options, config, name, svc, image) {
    const t0 = Date.now();
    const job = `${options.stack}_migrate-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    const argv = [
        'docker',
        'service',
        'create',
        '--detach',
        '--quiet',
        '--with-registry-auth',
        '--mode',
        'replicated-job',
        '--restart-condition',
        'none',
        '--name',
        job,
        '--label',
        `deploy-actions.migrate=${options.stack}`,
    ];
    const nets = Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks ?? { default: null });
    for (const net of nets) {
        const netName = swarmNetwork(config, options.stack, net);
        argv.push('--network', netName);
        // First deploy: the stack's network does not exist yet. Create it as stack deploy would
        // (overlay, the stack's namespace label), so the stack adopts it.
        const known = await run.exec(['docker', 'network', 'inspect', '--format', '{{.Scope}}', netName], {
            cwd: options.cwd,
        });
        if (known.code !== 0) {
            const cfg = config.networks?.[net];
            if (cfg?.external)
                throw new Error(`the external network ${netName} does not exist`);
            await run.sh([
                'docker',
                'network',
                'create',
                '--driver',
                cfg?.driver ?? 'overlay',
                '--label',
                `com.docker.stack.namespace=${options.stack}`,
                netName,
            ], `create the stack's network ${netName} for the migration`);
        }
    }
    // Environment goes through a 0600 file, never the command line (values can be secrets).
    const env = Array.isArray(svc.environment)
        ? svc.environment
        : Object.entries(svc.environment ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
    // Next to the stack file (with ssh-deploy: the release dir, under the 0700 .releases).
    const stackFile = `${options.cwd.replace(/\/+$/, '')}/${options.stackFileName ?? DEFAULT_STACK_FILE}`;
    const envFile = `${stackFile.slice(0, stackFile.lastIndexOf('/'))}/.${job}.env`;
    if (env.length) {
        const bad = env.find((e) => /[\n\r]/.test(e));
        if (bad) {
            throw new SwarmDeployError('swarm-migration-failed', `${run.host}: migrate service '${name}': the value of ${bad.split('=')[0]} has a line break, which a job's env file cannot carry. Nothing was changed.`, 'migrate', name);
        }
        await run.writeFile(envFile, `${env.join('\n')}\n`);
        argv.push('--env-file', envFile);
    }
    if (svc.user)
        argv.push('--user', svc.user);
    if (svc.working_dir)
        argv.push('--workdir', svc.working_dir);
    for (const v of svc.volumes ?? []) {
        if (typeof v === 'object' && v.target && (v.type === 'volume' || v.type === 'bind') && v.source) {
            const src = v.type === 'volume' ? `${options.stack}_${v.source}` : v.source;
            argv.push('--mount', `type=${v.type},source=${src},target=${v.target}${v.read_only ? ',readonly' : ''}`);
        }
    }
    const entrypoint = svc.entrypoint;
    const command = svc.command;
    const words = (w) => w === null || w === undefined ? [] : Array.isArray(w) ? w : ['sh', '-c', w];
    if (entrypoint !== null && entrypoint !== undefined) {
        const e = words(entrypoint);
        argv.push('--entrypoint', e[0]);
        argv.push(image, ...e.slice(1), ...words(command));
    }
    else {
        argv.push(image, ...words(command));
    }
    run.say(`migration: running ${name} (${image}) once as ${job}`);
    const deadline = Date.now() + (options.migrateTimeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
        await run.sh(argv, `create the migration job ${job}`);
        for (;;) {
            const ps = await run.exec(['docker', 'service', 'ps', '--no-trunc', '-q', job], { cwd: options.cwd });
            const ids = ps.stdout.split(/\s+/).filter(Boolean);
            if (ids.length) {
                const inspected = await run.exec([
                    'docker',
                    'inspect',
                    '--format',
                    '{{.Status.State}}|{{if .Status.ContainerStatus}}{{.Status.ContainerStatus.ExitCode}}{{end}}|{{.Status.Err}}',
                    ...ids,
                ], { cwd: options.cwd });
                const states = inspected.stdout
                    .split('\n')
                    .filter(Boolean)
                    .map((l) => l.split('|'));
                const done = states.find(([s]) => s === 'complete');
                const bad = states.find(([s]) => s === 'failed' || s === 'rejected' || s === 'orphaned');
                if (done || bad) {
                    const logs = await run.exec(['docker', 'service', 'logs', '--raw', job], { cwd: options.cwd });
                    const output = lastLines(`${logs.stdout}\n${logs.stderr}`.trim(), 10);
                    if (bad) {
                        throw new SwarmDeployError('swarm-migration-failed', `${run.host}: migration (${name}) failed: task ${bad[0]}${bad[1] ? ` with exit code ${bad[1]}` : ''}${bad[2] ? ` (${bad[2]})` : ''}${output ? `:\n${output}` : ''}\nThe stack was not changed.`, 'migrate', name);
                    }
                    return { service: name, jobService: job, image, durationMs: Date.now() - t0, output };
                }
            }
            if (Date.now() > deadline || options.signal?.aborted) {
                throw new SwarmDeployError(options.signal?.aborted ? 'timeout' : 'swarm-migration-failed', `${run.host}: migration (${name}) did not finish within ${(0,lib/* formatDuration */.a3)(options.migrateTimeoutMs ?? DEFAULT_TIMEOUT_MS)}; the job was removed and the stack was not changed.`, 'migrate', name);
            }
            await (0,promises_.setTimeout)(options.pollIntervalMs ?? 1000);
        }
    }
    finally {
        await run.exec(['docker', 'service', 'rm', job], { cwd: options.cwd }).catch(() => undefined);
        if (env.length)
            await run.exec(['rm', '-f', envFile], { cwd: options.cwd }).catch(() => undefined);
    }
}
/**
 * The stack-wide rollback: redeploys a previous release's stack file (as swarmDeploy wrote it)
 * and waits for convergence. Every service goes back to what that file says, not only the failed one.
 */
async function swarmRollback(exec, options) {
    const run = new SwarmRun(exec, options.cwd, options);
    const started = Date.now();
    const durations = { 'check-manager': 0, render: 0, migrate: 0, deploy: 0, converge: 0, total: 0 };
    let t = Date.now();
    await run.checkManager();
    durations['check-manager'] = Date.now() - t;
    const exists = await exec(['test', '-f', options.stackFile], { cwd: options.cwd });
    if (exists.code !== 0) {
        throw new SwarmDeployError('swarm-rollback-failed', `${run.host}: the previous stack file ${options.stackFile} is not on the manager: nothing to roll back to. Nothing was changed.`, 'deploy');
    }
    const before = new Map((await run.stackServices(options.stack)).map((s) => [s.ID, s]));
    t = Date.now();
    try {
        await run.deploy(options.stack, options.stackFile);
    }
    catch (e) {
        throw new SwarmDeployError('swarm-deploy-failed', `${run.host}: rollback of stack ${options.stack}: ${e.message}`, 'deploy', undefined, [], { cause: e });
    }
    durations.deploy = Date.now() - t;
    t = Date.now();
    const services = await run.converge(options.stack, before, options);
    durations.converge = Date.now() - t;
    durations.total = Date.now() - started;
    run.say(`rolled stack ${options.stack} back to ${options.stackFile} in ${formatDuration(durations.total)}`);
    return { stack: options.stack, stackFile: options.stackFile, services, warnings: [], durations };
}
//# sourceMappingURL=swarm.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/swarm-host.js
// `strategy: swarm` inside ssh-deploy's session: the swarm steps of the plan (steps.ts) run here,
// against the manager the session is connected to, with the session's lock, release records
// and undo rules. The stack file of a release is its record: `.releases/<id>/stack.json`
// (mode 0600, the interpolated config as deployed), which a rollback or a restore redeploys.




/** The steps of the plan a SwarmHost runs. */
const SWARM_STEPS = [
    'check-manager',
    'render',
    'migrate',
    'stack-deploy',
    'converge',
    'record-images',
];
function isSwarmStep(name) {
    return SWARM_STEPS.includes(name);
}
/** Where a release's stack file lives, relative to remote-dir (compose and stack deploy run there). */
function stackFileOf(release) {
    return `.releases/${release}/stack.json`;
}
/** The stack name: project-name (settings.ts requires it with strategy: swarm). */
function stackName(settings) {
    return settings.projectName ?? '';
}
/**
 * The swarm steps of the plan: `check` goes first (after the lock, before any hook), `rollout`
 * replaces compose's steps. Forward: render, migrate, stack-deploy, converge, record-images; a
 * rollback: stack-deploy of the target's recorded stack file, converge. A failure at render or
 * migrate restores the files only (the stack did not change); later, the previous release's stack
 * file is redeployed (`app`).
 */
function swarmPlan(s, compose, target, previous) {
    const stack = stackName(s);
    const file = `${s.remoteDir.replace(/\/+$/, '')}/${stackFileOf(target)}`;
    const texts = new Map(swarmSteps({
        stack,
        source: { compose },
        stackFileName: stackFileOf(target),
        ...(s.migrateService ? { migrateService: s.migrateService } : {}),
    }).map((st) => [st.name, st]));
    const rollback = Boolean(s.rollback);
    const back = previous && previous !== target
        ? `copy release ${previous}'s files back, redeploy its stack file ${s.remoteDir.replace(/\/+$/, '')}/${stackFileOf(previous)} (stack-wide) and wait for convergence (no migrator: the schema stays)`
        : 'first deploy: nothing to restore; what swarm started keeps running, the release is marked failed, not current';
    const check = {
        name: 'check-manager',
        does: `${texts.get('check-manager').does}: this node is an active swarm manager${rollback ? `; release ${target}'s stack file ${file} is there` : ''}`,
        changes: 'nothing',
        undo: 'none',
    };
    const rollout = [];
    if (!rollback) {
        rollout.push({
            name: 'render',
            does: texts
                .get('render')
                .does.replace('checkSwarmStack', 'check it for swarm (refuse build-only services and relative bind mounts)'),
            changes: texts.get('render').changes,
            undo: 'files',
        });
        if (s.migrateService) {
            const m = texts.get('migrate');
            rollout.push({ name: 'migrate', does: m.does, changes: m.changes, undo: 'files' });
        }
    }
    rollout.push({
        name: 'stack-deploy',
        does: (0,ssh_lib/* quoteCommand */.ch)(['docker', 'stack', 'deploy', '--with-registry-auth', '--prune', '-c', file, stack]),
        changes: texts.get('deploy').changes,
        undo: 'app',
        undoText: back,
    }, {
        name: 'converge',
        does: `${texts.get('converge').does} (up to timeout, ${(0,lib/* formatDuration */.a3)(s.timeoutMs)}); a rolled-back or paused update fails with swarm's reason`,
        changes: 'nothing',
        undo: 'app',
        undoText: back,
    });
    if (!rollback)
        rollout.push({
            name: 'record-images',
            does: `record the image swarm pinned for each service in ${releasePaths(s.remoteDir).releases}/${target}/images`,
            changes: 'the release record',
            undo: 'app',
            undoText: back,
        });
    return { check, rollout, undoApp: back };
}
class SwarmHost {
    conn;
    settings;
    compose;
    label;
    log;
    signal;
    /** What converge saw last (the summary's services and the release's images). */
    services = [];
    deployment;
    constructor(conn, settings, 
    /** Compose v2 with the deploy's -f and --env-file (the same for every release under swarm). */
    compose, label, log, signal) {
        this.conn = conn;
        this.settings = settings;
        this.compose = compose;
        this.label = label;
        this.log = log;
        this.signal = signal;
    }
    for(release, restoring = false) {
        const s = this.settings;
        this.deployment ??= new SwarmDeployment((argv, o) => this.conn.exec(argv, o), {
            stack: stackName(s),
            cwd: s.remoteDir,
            source: { compose: this.compose },
            stackFileName: stackFileOf(release),
            ...(s.migrateService ? { migrateService: s.migrateService } : {}),
            // Bounded by `timeout` (the signal): swarm itself fails an update that does not get healthy.
            migrateTimeoutMs: s.timeoutMs,
            // A restore also runs after the signal stopped the deploy: then it gets health-timeout + 1m
            // (within the grace period of health-timeout + 2m that hosts.ts gives an undo).
            timeoutMs: restoring && this.signal?.aborted ? s.healthTimeoutMs + 60_000 : s.timeoutMs,
            ...(this.signal && !restoring ? { signal: this.signal } : {}),
            host: this.label,
            log: this.log,
        });
        return this.deployment;
    }
    absolute(release) {
        return `${this.settings.remoteDir.replace(/\/+$/, '')}/${stackFileOf(release)}`;
    }
    /** Runs one swarm step of the plan for `release` (the release this run makes current). */
    async run(step, release) {
        const d = this.for(release);
        switch (step) {
            case 'check-manager': {
                await d.checkManager();
                if (this.settings.rollback)
                    await this.requireStackFile(release);
                return;
            }
            case 'render':
                await d.render();
                return;
            case 'migrate': {
                const m = await d.migrate();
                if (m)
                    this.say(`migration ${m.service} done in ${m.durationMs} ms`);
                return;
            }
            case 'stack-deploy':
                await d.deploy(this.absolute(release));
                return;
            case 'converge':
                this.services = await d.converge();
                this.say(`converged: ${this.services.map((r) => `${r.service} ${r.updateState} ${r.running}/${r.replicas ?? r.running}`).join(', ')}`);
                return;
            case 'record-images':
                await this.recordImages(release);
                return;
        }
    }
    /** The stack-wide restore: redeploys `release`'s recorded stack file and waits for convergence. */
    async restore(release) {
        this.say(`redeploying release ${release}'s stack file`);
        // A fresh deployment: the one of the failed release may be half-way through a step.
        this.deployment = undefined;
        const d = this.for(release, true);
        await d.checkManager();
        this.services = await d.redeploy(this.absolute(release));
    }
    async requireStackFile(release) {
        const file = this.absolute(release);
        const r = await this.conn.exec(['test', '-f', file]);
        if (r.code !== 0)
            throw new SwarmDeployError('swarm-rollback-failed', `${this.label}: release ${release} has no stack file (${file}): it was not deployed with strategy swarm. Nothing was changed.`, 'check-manager');
    }
    /** The images swarm pinned for each service (`repo:tag@sha256:...`), one a line, in the release record. */
    async recordImages(release) {
        const file = `${releasePaths(this.settings.remoteDir).releases}/${release}/images`;
        const lines = [...new Set(this.services.map((r) => r.image).filter(Boolean))].sort();
        const r = await this.conn.exec(['sh', '-c', 'umask 077 && cat > "$1.tmp" && mv -f "$1.tmp" "$1"', 'sh', file], {
            stdin: lines.map((l) => `${l}\n`).join(''),
        });
        if (r.code !== 0)
            throw new SwarmDeployError('swarm-record-failed', `${this.label}: could not record the images of release ${release} in ${file}: ${r.stderr.trim()}`, 'converge');
    }
    say(message) {
        this.log.info(`[${this.label}] swarm: ${message}`);
    }
}
//# sourceMappingURL=swarm-host.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/state.js


function parseState(stdout) {
    const state = {
        composeAvailable: [],
        owned: [],
        ownedLegacy: false,
        exists: false,
        hasOverride: false,
        history: [],
        releases: [],
        intact: [],
    };
    let legacy;
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const key = line.slice(0, eq);
        const raw = line.slice(eq + 1);
        const value = raw.trim();
        if (key === 'compose_v2' && value === 'yes')
            state.composeAvailable.push('v2');
        else if (key === 'compose_v1' && value === 'yes')
            state.composeAvailable.push('v1');
        else if (key === 'compose' && (value === 'v1' || value === 'v2'))
            legacy = value;
        else if (key === 'current' && value !== '')
            state.current = value;
        else if (key === 'current_record' && (value === 'ok' || value === 'broken'))
            state.currentRecord = value;
        else if (key === 'owned' && raw !== '')
            state.owned.push(raw);
        else if (key === 'owned_legacy')
            state.ownedLegacy = true;
        else if (key === 'override')
            state.hasOverride = true;
        else if (key === 'exists')
            state.exists = true;
        else if (key === 'history' && value !== '')
            state.history.push(value);
        else if (key === 'release')
            state.releases.push(value);
        else if (key === 'intact')
            state.intact.push(value);
    }
    if (legacy && !state.composeAvailable.includes(legacy))
        state.composeAvailable.push(legacy);
    const first = state.composeAvailable.includes('v2') ? 'v2' : state.composeAvailable[0];
    if (first)
        state.compose = first;
    return state;
}
async function inspectHost(conn, remoteDir) {
    const result = await conn.exec(['sh', '-c', INSPECT_SCRIPT, 'sh', remoteDir]);
    return parseState(result.stdout);
}
/** Picks the compose flavour: `compose-version` when forced, else v2 when the host has it. */
function chooseCompose(settings, state, label) {
    if (settings.strategy === 'swarm') {
        // The stack file is compose's own interpolation (`config --format json`): Compose v2 only.
        if (state.composeAvailable.includes('v2'))
            return { ...state, compose: 'v2' };
        throw new lib/* UserError */.yo('compose-missing', `${label}: strategy swarm renders the stack with \`docker compose config\` (Compose v2), which does not work for this user on the manager.`);
    }
    if (settings.strategy !== 'compose')
        return state;
    const wanted = settings.composeVersion ?? 'auto';
    const available = state.composeAvailable;
    if (wanted === 'auto') {
        if (!state.compose) {
            throw new lib/* UserError */.yo('compose-missing', `${label}: neither \`docker compose\` nor \`docker-compose\` works for this user on the host.`);
        }
        return state;
    }
    if (!available.includes(wanted)) {
        throw new lib/* UserError */.yo('compose-missing', `${label}: compose-version is ${wanted}, but ${wanted === 'v2' ? '`docker compose` (the v2 plugin)' : '`docker-compose` (v1)'} does not work for this user on the host` +
            `${available.length ? ` (found: ${available.join(', ')})` : ''}.`);
    }
    return { ...state, compose: wanted };
}
/**
 * A deploy needs an intact record of the running release: it is what a failure
 * restores. When current names a release whose record is gone, refuse before
 * changing anything (a missing list must never read as "nothing to keep").
 */
function checkCurrentRecord(settings, state, label) {
    if (state.current && state.currentRecord !== 'ok') {
        const rel = releasePaths(settings.remoteDir);
        throw new lib/* UserError */.yo('release-record-missing', `${label}: ${rel.current} names release ${state.current}, but its record (${rel.releases}/${state.current}: files list and bundle) is gone, ` +
            'so a failure could not be undone. Nothing was changed. Restore that directory, or, to deploy without a restore target, ' +
            `remove ${rel.current} (no file will be removed then; the next release is copied over what is there).`);
    }
}
/** The release `rollback` names: `previous` is the one current before the current one. */
function resolveRollbackTarget(state, wanted, label) {
    if (wanted === 'previous') {
        const previous = [...state.history]
            .reverse()
            .find((id) => id !== state.current && state.releases.includes(id));
        if (!previous) {
            throw new lib/* UserError */.yo('no-previous-release', `${label}: there is no previous release to roll back to (current: ${state.current ?? 'none'}).`);
        }
        if (!state.intact.includes(previous))
            throw recordMissing(previous, label);
        return previous;
    }
    if (!state.releases.includes(wanted)) {
        throw new lib/* UserError */.yo('release-not-found', `${label}: release '${wanted}' is not on the host. Kept releases: ${state.releases.join(', ') || 'none'}.`);
    }
    if (!state.intact.includes(wanted))
        throw recordMissing(wanted, label);
    return wanted;
}
function recordMissing(id, label) {
    return new lib/* UserError */.yo('release-record-missing', `${label}: release ${id} is on the host but its files list or bundle is gone, so it cannot be re-activated. Nothing was changed.`);
}
//# sourceMappingURL=state.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/compose.js
/**
 * Builds compose command lines. v2 takes several --env-file (later wins);
 * v1 (1.29) takes one, so the caller passes the merged file for v1.
 */
function composeInvocation(options) {
    const base = options.flavour === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
    const global = [];
    if (options.projectName)
        global.push('-p', options.projectName);
    for (const file of options.files)
        global.push('-f', file);
    for (const envFile of options.envFiles)
        global.push('--env-file', envFile);
    return {
        flavour: options.flavour,
        argv: (...subcommand) => [...base, ...global, ...subcommand],
    };
}
//# sourceMappingURL=compose.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/steps.js





/** Compose v1 reads one --env-file: several are merged into the release's compose.env. */
function needsMergedEnv(settings, state) {
    return settings.strategy === 'compose' && state.compose === 'v1' && settings.envFiles.length > 1;
}
function mergedEnvPath(settings, release) {
    return `${releasePaths(settings.remoteDir).releases}/${release}/compose.env`;
}
function composeFor(settings, state, release) {
    return composeInvocation({
        flavour: state.compose ?? 'v2',
        ...(settings.projectName ? { projectName: settings.projectName } : {}),
        files: settings.composeFiles,
        envFiles: needsMergedEnv(settings, state) ? [mergedEnvPath(settings, release)] : settings.envFiles,
    });
}
/**
 * `up` must not start the migrator as a long-running service: when the user
 * names no services and there is a migrate-service, the services come from
 * `config --services` (which also validates the config) without it.
 */
function needsServiceList(settings) {
    return settings.services.length === 0 && settings.migrateService !== undefined;
}
/** The services `up` names: the user's, or compose's list without the migrator, or none (= all). */
function upServices(settings, fromConfig) {
    if (settings.services.length)
        return [...settings.services];
    if (!settings.migrateService || !fromConfig)
        return [];
    return fromConfig.filter((s) => s !== settings.migrateService);
}
const UNDO_TEXT = {
    none: () => 'nothing to undo',
    files: (p) => p
        ? `copy release ${p}'s files back; remove what this release wrote (unchanged files only)`
        : 'first deploy: nothing to restore; the files stay, the release is marked failed, not current',
    deps: (p) => p
        ? `restore ${p}: re-tag its recorded images, copy its files back, \`up -d\` its services-first (the app was not touched; no migrator; the schema stays)`
        : 'first deploy: nothing to restore; what started keeps running, the release is marked failed, not current',
    app: (p) => p
        ? `roll back to ${p}: re-tag its recorded images, copy its files back, \`up -d --remove-orphans\` (no pull, build or migrator; the schema stays)`
        : 'first deploy: nothing to restore; what started keeps running, the release is marked failed, not current',
    keep: () => 'the release stays live and current; the step fails saying so',
};
/** The rollout as a list of named steps: `dry-run` prints it, the run executes it. */
function planRollout(ctx) {
    const { settings: s, state, bundle, target } = ctx;
    const rel = releasePaths(s.remoteDir).releases;
    const steps = [];
    const add = (name, does, changes, undo, argv) => {
        steps.push({ name, does, changes, undo, ...(argv ? { argv } : {}) });
    };
    const rollback = Boolean(s.rollback);
    add('lock', `take the host lock ${rel}/.lock (wait up to ${(0,lib/* formatDuration */.a3)(s.lockTimeoutMs)})`, 'creates the lock directory', 'none');
    // strategy: swarm asks the manager first, before anything (a hook included) changes.
    const swarm = s.strategy === 'swarm' ? swarmPlan(s, composeFor(s, state, target), target, ctx.previous) : undefined;
    if (swarm)
        steps.push(swarm.check);
    if (s.preDeploy)
        add('pre-deploy', 'run pre-deploy', "whatever the hook does (the host's files are as before)", 'none');
    const c = s.strategy === 'compose' ? composeFor(s, state, target) : undefined;
    if (rollback && !swarm) {
        add('restore-images', `check that every image release ${target} ran with is still on the host, then re-tag them`, 'image tags (nothing when one is missing)', 'none');
    }
    if (rollback) {
        add('activate', `copy release ${target}'s files into ${s.remoteDir} (current: ${state.current ?? 'none'})`, 'files in remote-dir', 'files');
    }
    else {
        add('ship', `upload ${bundle ? `${bundle.files.length} file(s) (${bundle.totalBytes} bytes)` : 'the bundle'} as one archive to ${rel}/${target}, then copy it into ${s.remoteDir}, keeping ${s.preserve.join(', ') || 'nothing'} as the host has them` +
            (needsMergedEnv(s, state)
                ? `; merge env-files ${s.envFiles.join(', ')} into ${mergedEnvPath(s, target)} (compose v1 reads one)`
                : ''), 'files in remote-dir (only those a release wrote are ever removed)', 'files');
    }
    if (c) {
        if (s.rolling && !rollback) {
            // Before any container changes: which services roll, and can each run twice? Reading the
            // whole config also validates it and names every service, so no other config call is needed.
            const argv = c.flavour === 'v2' ? c.argv('config', '--format', 'json') : c.argv('config');
            add('check-rolling', `${line(argv)}, then check that ${s.rolling.services.length ? s.rolling.services.join(', ') : 'every service with a healthcheck'} can run twice (healthcheck, no host port, no container_name)`, 'nothing', 'files', argv);
        }
        else if (needsServiceList(s)) {
            const argv = c.argv('config', '--services');
            add('config', line(argv), 'nothing', 'files', argv);
        }
        else if (c.flavour === 'v1') {
            const argv = c.argv('config', '-q');
            add('config', line(argv), 'nothing', 'files', argv);
        }
        if (!rollback) {
            if (s.build) {
                const argv = c.argv('build', ...s.services);
                add('build', line(argv), 'image tags', 'deps', argv);
            }
            if (s.pull) {
                const names = s.services.length
                    ? [...new Set([...s.servicesFirst, ...(s.migrateService ? [s.migrateService] : []), ...s.services])]
                    : [];
                // -q: no progress lines (a failure still prints its error, which the step's error carries).
                const argv = c.argv('pull', '-q', ...(s.build ? ['--ignore-pull-failures'] : []), ...names);
                add('pull', line(argv), 'image tags', 'deps', argv);
            }
            if (s.servicesFirst.length) {
                // `up -d`, then our own poll of the containers' health: on Compose v2.26 `up --wait`
                // took 0.5 s longer for a database that was already healthy (bench/ssh-deploy.bench.mjs).
                const argv = c.argv('up', '-d', ...s.servicesFirst);
                add('services-first', `${line(argv)}, then wait until healthy (up to ${(0,lib/* formatDuration */.a3)(s.healthTimeoutMs)})`, 'services-first containers', 'deps', argv);
            }
            if (s.migrateService) {
                const argv = c.argv('run', '--rm', '-T', s.migrateService);
                add('migrate', line(argv), 'the database schema (never undone: expand/contract)', 'deps', argv);
            }
        }
        const argv = c.argv('up', '-d', '--remove-orphans', ...(rollback && s.build ? ['--no-build'] : []), ...s.services);
        if (s.rolling && !rollback)
            add('up', `roll the checked services together (start the new containers of them all next to the old, wait until healthy and in the service's DNS name for ${(0,lib/* formatDuration */.a3)(s.rolling.drainMs)}, stop the old with SIGTERM (they finish the requests in flight within stop_grace_period) and remove them, scale back); a failure there removes the new containers and leaves the old serving. Then ${line(c.argv('up', '-d', '--remove-orphans'))} <the other services${s.migrateService ? `, without ${s.migrateService}` : ''}>. A later failure (health gate) rolls the previous release's containers back in the same way`, 'app containers', 'app');
        else
            add('up', `${line(argv)}${needsServiceList(s) ? ` <services from config, without ${s.migrateService}>` : ''}`, 'app containers', 'app', argv);
        if (!rollback)
            add('record-images', `record the image each container runs in ${rel}/${target}/images`, 'the release record', 'app');
    }
    else if (swarm) {
        steps.push(...swarm.rollout);
    }
    else {
        add('script', 'run script', 'whatever the script does', 'app');
    }
    const gates = [
        ...(s.healthUrl ? [`wait for ${s.healthUrl}`] : []),
        ...(s.healthCmd ? ['wait for health-cmd to pass (each run bounded too)'] : []),
    ];
    if (gates.length)
        add('health', `${gates.join(', then ')} (up to ${(0,lib/* formatDuration */.a3)(s.healthTimeoutMs)})`, 'nothing', 'app');
    add('mark-current', `mark ${target} current, keep the last ${s.keepReleases} releases`, `${rel}/current, history, old releases`, 'app');
    if (s.postDeploy)
        add('post-deploy', 'run post-deploy', 'whatever the hook does', 'keep');
    add('unlock', 'release the host lock', 'removes the lock directory', 'none');
    if (swarm)
        for (const st of steps)
            if (st.undo === 'app')
                st.undoText ??= swarm.undoApp;
    return steps;
}
function line(argv) {
    return argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
}
/** One line per step for dry-run and the log: what runs, and how a failure there is undone. */
function describePlan(steps, previous) {
    return steps.map((st) => `${st.name}: ${st.does}${st.undo === 'none' ? '' : ` — on failure: ${st.undoText ?? UNDO_TEXT[st.undo](previous)}`}`);
}
//# sourceMappingURL=steps.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/session.js
















/** The line between the two parts of a paired exec (PAIR_SCRIPT). */
const PAIR_MARK = '@@deploy-actions-next-step';
/**
 * Two adjacent steps in one exec (every exec costs a session on the host, ~0.05-0.1 s): a
 * compose argv (run in remote-dir) and a host script, in either order; the second runs only
 * when the first succeeded, after a marker line, so each part's exit and output stay its own.
 * The script runs as its own `sh -c` with its own arguments, exactly as when it runs alone.
 * Args: dir, order (argv-first | script-first), script, n, the argv's n words, the script's args.
 */
const PAIR_SCRIPT = `
D=$1; ORDER=$2; S=$3; N=$4; shift 4
run_head() {
  rh_n=$1; shift; rh_c=0
  for rh_a do shift; rh_c=$((rh_c + 1)); if [ "$rh_c" -le "$rh_n" ]; then set -- "$@" "$rh_a"; fi; done
  "$@"
}
run_argv() { (cd "$D" && run_head "$N" "$@"); }
run_script() { (shift "$N"; sh -c "$S" sh "$@"); }
if [ "$ORDER" = argv-first ]; then run_argv "$@" || exit $?; echo ${PAIR_MARK}; run_script "$@"
else run_script "$@" || exit $?; echo ${PAIR_MARK}; run_argv "$@"; fi
`;
function splitPair(result) {
    const lines = result.stdout.split('\n');
    const at = lines.indexOf(PAIR_MARK);
    if (at < 0)
        return { first: result };
    return {
        first: { code: 0, stdout: lines.slice(0, at).join('\n'), stderr: result.stderr },
        second: { code: result.code, stdout: lines.slice(at + 1).join('\n'), stderr: result.stderr },
    };
}
/** One deploy on one host while holding its lock: executes the plan's steps in order. */
class HostSession {
    d;
    state;
    lock;
    lockChain;
    rel;
    label;
    conn;
    settings;
    log;
    /** Set when the final step released the lock together with marking the release current. */
    lockReleased = false;
    /** Releases whose merged env file (compose v1) is already fresh in this deploy. */
    mergedEnv = new Set();
    /** Services `config --services` listed, per release. */
    configServices = new Map();
    /** `strategy: rolling`: what check-rolling found (the services to roll, every service). */
    rollingPlan;
    /** `strategy: rolling`: what the roll did, per service. */
    rolled = [];
    /** `strategy: swarm`: the swarm steps against the manager (swarm-host.ts). */
    swarmHost;
    /** The plan being run (a step may run together with the next one in one exec). */
    steps = [];
    /** Steps whose command already ran in the exec of the step before: their result. */
    ranEarly = new Map();
    /** services-first's `up -d` and its first health look, when they ran in the pull's exec. */
    servicesFirstEarly;
    /**
     * The steps from pull to mark-current in one exec (ExecChain): each step's parts, by index,
     * and the step that started it (the others wait at a gate until their step runs).
     */
    chain;
    constructor(d, state, lock, 
    /** The lock's exec, waiting at its gate: the upload runs in it (acquireHostLock `chained`). */
    lockChain) {
        this.d = d;
        this.state = state;
        this.lock = lock;
        this.lockChain = lockChain;
        this.rel = releasePaths(d.settings.remoteDir).releases;
        this.label = d.label;
        this.conn = d.conn;
        this.settings = d.settings;
        this.log = d.log;
    }
    say(message) {
        this.log.info(`[${this.label}] ${message}`);
    }
    /** Runs a command; a non-zero exit becomes a RemoteCommandError with host, step, command and output. */
    async exec(code, step, command, options = {}) {
        const display = options.display ?? (typeof command === 'string' ? step : command.map(ssh_lib/* quoteShellArg */.Tn).join(' '));
        if (!options.quiet)
            this.say(`$ ${display}`);
        const result = await this.conn.exec(command, {
            ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
            ...(options.env ? { env: options.env } : {}),
            ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
            ...(options.quiet ? {} : { onOutput: (line) => this.log.info(`[${this.label}]   ${line}`) }),
        });
        if (result.code !== 0)
            throw new RemoteCommandError(code, this.label, step, display, result);
        return result;
    }
    script(code, step, script, args, options = {}) {
        return this.exec(code, step, ['sh', '-c', script, 'sh', ...args], {
            display: step,
            quiet: options.quiet ?? true,
            ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        });
    }
    /** Whether the step's command already ran in the exec of the step before. */
    ranAlready(name) {
        return this.ranEarly.has(name) || (name === 'services-first' && this.servicesFirstEarly !== undefined);
    }
    /**
     * Whether a failure at `step` comes after this release may have started containers of its
     * own: from services-first or migrate on, whichever comes first (services-first's `up -d` may
     * have started some before it failed; `run --rm` of the migrator starts what it depends on).
     * build and pull only change image tags: before those steps nothing of the release runs.
     */
    startedContainers(step) {
        const first = this.steps.findIndex((st) => st.name === 'services-first' || st.name === 'migrate');
        return first >= 0 && this.steps.findIndex((st) => st.name === step.name) >= first;
    }
    /** The step after `name` in the plan being run. */
    next(name) {
        const at = this.steps.findIndex((st) => st.name === name);
        return at < 0 ? undefined : this.steps[at + 1];
    }
    /**
     * Runs a compose argv (in remote-dir) and a host script in one exec (PAIR_SCRIPT). The argv's
     * output is logged as it comes (unless quiet); the script's is not.
     */
    async pair(order, argv, script, args, options = {}) {
        let inArgv = order === 'argv-first';
        const result = await this.conn.exec([
            'sh',
            '-c',
            PAIR_SCRIPT,
            'sh',
            this.settings.remoteDir,
            order,
            script,
            String(argv.length),
            ...argv,
            ...args,
        ], {
            ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
            onOutput: (text) => {
                if (text === PAIR_MARK)
                    inArgv = !inArgv;
                else if (inArgv && options.logArgv)
                    this.log.info(`[${this.label}]   ${text}`);
            },
        });
        return splitPair(result);
    }
    /**
     * A compose step whose command may already have run in the exec of the step before
     * (`ranEarly`): its result is taken as if it ran now; else it runs now.
     */
    async execOrEarly(name, code, step, argv, options = {}) {
        const early = this.ranEarly.get(name);
        if (!early)
            return this.exec(code, step, argv, { cwd: this.settings.remoteDir, ...options });
        this.ranEarly.delete(name);
        const display = argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
        if (!options.quiet) {
            this.say(`$ ${display}`);
            for (const l of `${early.stdout}`.split('\n'))
                if (l)
                    this.log.info(`[${this.label}]   ${l}`);
        }
        if (early.code !== 0)
            throw new RemoteCommandError(code, this.label, step, display, early);
        return early;
    }
    /** A forward compose deploy with a project name runs its steps from pull on in one chained exec. */
    chainable() {
        const s = this.settings;
        return s.strategy === 'compose' && !s.rollback && !s.rolling && Boolean(s.projectName);
    }
    /**
     * health-url, when the gate may take a first look from the host (HEALTH_LOOK_SCRIPT): plain
     * http with no credentials or query (the URL is then in a host process's argv, which other
     * users can read, so nothing that may be a secret goes there).
     */
    healthLookUrl() {
        const url = this.settings.healthUrl;
        if (!url)
            return undefined;
        try {
            const u = new URL(url);
            return u.protocol === 'http:' && !u.username && !u.password && !u.search ? url : undefined;
        }
        catch {
            return undefined;
        }
    }
    /** What a chained step runs on the host (none for the health gate, which runs from here). */
    async chainParts(step, target) {
        const s = this.settings;
        switch (step.name) {
            case 'pull':
            case 'migrate':
                return [{ kind: 'argv', argv: await this.argv(step, target) }];
            case 'services-first':
                return [
                    { kind: 'argv', argv: await this.argv(step, target) },
                    { kind: 'script', script: CONTAINER_STATE_SCRIPT, args: [s.projectName, ...s.servicesFirst] },
                ];
            case 'up':
                return [{ kind: 'argv', argv: await this.upArgv(step, target) }];
            case 'record-images':
                return [
                    {
                        kind: 'script',
                        script: RECORD_IMAGES_SCRIPT,
                        args: [`${this.rel}/${target}/images`, s.projectName],
                    },
                ];
            case 'mark-current':
                return [{ kind: 'script', script: FINISH_SCRIPT, args: this.finishArgs(target) }];
            case 'health': {
                const url = this.healthLookUrl();
                if (!url)
                    return [];
                const seconds = Math.max(1, Math.min(2, Math.floor(s.healthTimeoutMs / 1000)));
                return [{ kind: 'script', script: HEALTH_LOOK_SCRIPT, args: [url, String(seconds)] }];
            }
            default:
                return [];
        }
    }
    /**
     * Runs a step's commands in the chained exec: the first chainable step starts it with every
     * later step's parts behind a gate; a later step opens its gate. `announce` is logged before
     * its output. Returns the parts' results up to the first that failed, or undefined when the
     * step is not chained.
     */
    async chainStep(step, target, announce) {
        if (!this.chain && this.chainable()) {
            const at = this.steps.indexOf(step);
            const parts = [];
            const steps = new Map();
            const logged = new Set();
            let index = 0;
            for (const st of this.steps.slice(at)) {
                if (!CHAINED.has(st.name))
                    break;
                const own = await this.chainParts(st, target);
                if (own.length === 0)
                    continue;
                if (parts.length)
                    parts.push({ kind: 'gate' });
                steps.set(st.name, own.map((part) => {
                    if (part.kind === 'argv')
                        logged.add(index);
                    return index++;
                }));
                parts.push(...own);
            }
            if (steps.size > 1) {
                if (announce)
                    this.say(announce);
                // A compose command's last stderr line may come after its end mark (chain.ts): still logged.
                const exec = new ExecChain(this.conn, this.settings.remoteDir, parts, (i, line, stream) => {
                    if (logged.has(i) || (stream === 'stderr' && logged.has(i - 1)))
                        this.log.info(`[${this.label}]   ${line}`);
                });
                this.chain = { exec, steps, first: step.name };
                return this.chainResults(step.name);
            }
        }
        const chain = this.chain;
        if (!chain?.steps.has(step.name))
            return undefined;
        if (announce)
            this.say(announce);
        if (step.name !== chain.first)
            chain.exec.go();
        return this.chainResults(step.name);
    }
    async chainResults(name) {
        const results = [];
        for (const i of this.chain.steps.get(name)) {
            const result = await this.chain.exec.result(i).catch((error) => {
                if (error instanceof ChainPartNotRun)
                    return undefined;
                throw error;
            });
            if (!result)
                break;
            results.push(result);
            if (result.code !== 0)
                break;
        }
        return results;
    }
    /** Ends the chained exec (nothing more runs in it) before anything else is done on the host. */
    async endChain() {
        const chain = this.chain;
        const lockChain = this.lockChain;
        this.chain = undefined;
        this.lockChain = undefined;
        await lockChain?.stop();
        await chain?.exec.stop();
    }
    finishArgs(target) {
        const s = this.settings;
        return [
            s.remoteDir,
            target,
            String(s.keepReleases),
            s.rollback ? 'active (rollback)' : 'active',
            // With a post-deploy hook the lock is kept until the hook is done.
            s.postDeploy ? '' : this.lock.lockDir,
            this.lock.token,
        ];
    }
    async run() {
        try {
            return await this.runSteps();
        }
        finally {
            await this.endChain();
        }
    }
    async runSteps() {
        const previous = this.state.current;
        const s = this.settings;
        const target = s.rollback ? resolveRollbackTarget(this.state, s.rollback, this.label) : s.origin.id;
        if (s.rollback)
            this.say(`rolling back to release ${target} (current: ${previous ?? 'none'})`);
        const steps = planRollout({
            settings: s,
            state: this.state,
            ...(this.d.bundle ? { bundle: this.d.bundle } : {}),
            target,
            ...(previous ? { previous } : {}),
        });
        this.steps = steps;
        this.log.debug(`[${this.label}] plan:\n${describePlan(steps, previous).join('\n')}`);
        const env = this.hookEnv(target, previous);
        // What a failure must undo so far: the undo of the last step that ran (or started).
        let undone = 'none';
        for (const step of steps) {
            // A step whose command already ran in the exec before (ranEarly) takes its result even
            // when the deploy was stopped meanwhile: what it changed is then undone like any other.
            const ran = this.ranAlready(step.name);
            if (this.cancelled() &&
                !ran &&
                step.undo !== 'keep' &&
                step.name !== 'unlock' &&
                step.name !== 'mark-current')
                // Cancelled: stop now, change nothing more, record where (a verified release is still made current).
                throw await this.stopCancelled(`before ${step.name}`, undone, target, previous);
            if (this.d.signal?.aborted && !ran && step.undo !== 'keep' && step.name !== 'unlock') {
                // Stopped between steps: undo what the steps so far changed; this one never ran.
                const stopped = new lib/* UserError */.yo('timeout', `${this.label}: the deploy ran over timeout (${(0,lib/* formatDuration */.a3)(s.timeoutMs)}) or was cancelled before ${step.name}.`);
                throw await this.undo(step, undone, stopped, target, previous);
            }
            try {
                const outcome = await this.execute(step, target, previous, env);
                if (outcome === 'unhealthy') {
                    await this.failHealth(target, previous);
                }
                if (step.undo !== 'keep')
                    undone = step.undo;
            }
            catch (error) {
                if (error instanceof DeployFailure)
                    throw error;
                // A ship that failed before its copy began changed nothing; a roll that undid itself
                // left the app's old containers serving, as a failure before the app changed does.
                const undo = step.name === 'ship' && !(error instanceof ShipCopyStarted)
                    ? 'none'
                    : error instanceof RollingUpdateError && error.undone
                        ? 'deps'
                        : step.undo;
                const cause = error instanceof ShipCopyStarted ? error.original : error;
                if (this.cancelled() && step.undo !== 'keep')
                    throw await this.stopCancelled(`during ${step.name}`, undo === 'none' ? undone : undo, target, previous);
                throw await this.undo(step, undo, cause, target, previous);
            }
        }
        this.say(`release ${target} is live${previous ? ` (was ${previous})` : ''}`);
        return {
            host: this.label,
            status: 'deployed',
            release: target,
            ...(previous ? { previousRelease: previous } : {}),
            rolledBack: false,
            running: target,
        };
    }
    /** Executes one step; `unhealthy` when the health gate did not pass. */
    async execute(step, target, previous, env) {
        const s = this.settings;
        const cwd = s.remoteDir;
        if (s.strategy === 'swarm' && isSwarmStep(step.name)) {
            await this.swarm().run(step.name, target);
            return 'ok';
        }
        switch (step.name) {
            case 'lock':
            case 'unlock':
                return 'ok'; // taken and released around the session (deployHost)
            case 'pre-deploy':
                // Before anything ships, so a hook's backup sees the host exactly as the previous release left it.
                await this.exec('pre-deploy-failed', 'pre-deploy', await this.withEnvFiles(s.preDeploy ?? ''), {
                    cwd,
                    env,
                    display: 'pre-deploy hook',
                });
                return 'ok';
            case 'restore-images':
                await this.restoreImages(target);
                return 'ok';
            case 'ship':
                await this.ship(target, previous);
                return 'ok';
            case 'activate':
                await this.activate(target, previous, 'forward');
                return 'ok';
            case 'config': {
                const result = await this.execOrEarly('config', 'compose-config-invalid', 'validate the compose config', await this.argv(step, target), needsServiceList(s) ? { quiet: true } : {});
                if (needsServiceList(s))
                    this.configServices.set(target, result.stdout
                        .split('\n')
                        .map((l) => l.trim())
                        .filter(Boolean));
                return 'ok';
            }
            case 'build':
                await this.exec('build-failed', 'build', await this.argv(step, target), { cwd });
                return 'ok';
            case 'pull': {
                const argv = await this.argv(step, target);
                const chained = await this.chainStep(step, target, `$ ${argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ')}`);
                if (chained) {
                    if (chained[0]?.code !== 0)
                        throw new RemoteCommandError('pull-failed', this.label, 'pull', argv.map(ssh_lib/* quoteShellArg */.Tn).join(' '), chained[0] ?? notRun());
                    return 'ok';
                }
                const sf = this.next('pull');
                if (sf?.name === 'services-first' && s.projectName) {
                    // `pull`, then services-first's `up -d` and its first health look: one exec, nested
                    // pairs (PAIR_SCRIPT as the second part of PAIR_SCRIPT), each part's result its own.
                    const sfArgv = await this.argv(sf, target);
                    const display = argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
                    this.say(`$ ${display}`);
                    const ran = await this.pair('argv-first', argv, PAIR_SCRIPT, [
                        s.remoteDir,
                        'argv-first',
                        CONTAINER_STATE_SCRIPT,
                        String(sfArgv.length),
                        ...sfArgv,
                        s.projectName,
                        ...s.servicesFirst,
                    ]);
                    for (const l of ran.first.stdout.split('\n'))
                        if (l)
                            this.log.info(`[${this.label}]   ${l}`);
                    if (!ran.second)
                        throw new RemoteCommandError('pull-failed', this.label, 'pull', display, ran.first);
                    this.servicesFirstEarly = splitPair(ran.second);
                    return 'ok';
                }
                await this.exec('pull-failed', 'pull', argv, { cwd });
                return 'ok';
            }
            case 'services-first': {
                const c = await this.compose(target);
                const argv = await this.argv(step, target);
                const chained = await this.chainStep(step, target, `$ ${argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ')}`);
                if (chained) {
                    if (chained[0]?.code !== 0)
                        throw new RemoteCommandError('services-first-failed', this.label, 'start services-first', argv.map(ssh_lib/* quoteShellArg */.Tn).join(' '), chained[0] ?? notRun());
                    const look = chained[1]?.code === 0 ? chained[1].stdout.trim() : '';
                    await this.waitHealthy(c, s.servicesFirst, look || undefined);
                    return 'ok';
                }
                if (!s.projectName) {
                    await this.exec('services-first-failed', 'start services-first', argv, { cwd });
                    await this.waitHealthy(c, s.servicesFirst);
                    return 'ok';
                }
                // `up -d` and the first look at their health in one exec (or in the pull's, before).
                this.say(`$ ${argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ')}`);
                const early = this.servicesFirstEarly;
                this.servicesFirstEarly = undefined;
                if (early)
                    for (const l of early.first.stdout.split('\n'))
                        if (l)
                            this.log.info(`[${this.label}]   ${l}`);
                const ran = early ??
                    (await this.pair('argv-first', argv, CONTAINER_STATE_SCRIPT, [s.projectName, ...s.servicesFirst], {
                        logArgv: true,
                    }));
                if (!ran.second)
                    throw new RemoteCommandError('services-first-failed', this.label, 'start services-first', argv.map(ssh_lib/* quoteShellArg */.Tn).join(' '), ran.first);
                await this.waitHealthy(c, s.servicesFirst, ran.second.code === 0 ? ran.second.stdout.trim() : undefined);
                return 'ok';
            }
            case 'migrate': {
                const argv = await this.argv(step, target);
                const display = argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
                const chained = await this.chainStep(step, target, `$ ${display}`);
                if (!chained) {
                    await this.exec('migration-failed', `migration (${s.migrateService})`, argv, { cwd });
                    return 'ok';
                }
                if (chained[0]?.code !== 0)
                    throw new RemoteCommandError('migration-failed', this.label, `migration (${s.migrateService})`, display, chained[0] ?? notRun());
                return 'ok';
            }
            case 'check-rolling':
                await this.checkRolling(step, target);
                return 'ok';
            case 'check-manager':
            case 'render':
            case 'stack-deploy':
            case 'converge':
                throw new Error(`step ${step.name} is a strategy swarm step`);
            case 'up':
                if (this.rollingPlan) {
                    await this.rollingUp(target);
                    return 'ok';
                }
                if (this.chainable()) {
                    const argv = await this.upArgv(step, target);
                    const display = argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
                    const chained = await this.chainStep(step, target, `$ ${display}`);
                    if (chained) {
                        if (chained[0]?.code !== 0)
                            throw new RemoteCommandError('up-failed', this.label, 'start the services', display, chained[0] ?? notRun());
                        return 'ok';
                    }
                }
                if (this.next('up')?.name === 'record-images' && s.projectName) {
                    // `up` and recording what each container runs, in one exec.
                    const argv = await this.upArgv(step, target);
                    const display = argv.map(ssh_lib/* quoteShellArg */.Tn).join(' ');
                    this.say(`$ ${display}`);
                    const ran = await this.pair('argv-first', argv, RECORD_IMAGES_SCRIPT, [`${this.rel}/${target}/images`, s.projectName], { logArgv: true });
                    if (!ran.second)
                        throw new RemoteCommandError('up-failed', this.label, 'start the services', display, ran.first);
                    this.ranEarly.set('record-images', ran.second);
                    return 'ok';
                }
                await this.exec('up-failed', 'start the services', await this.upArgv(step, target), { cwd });
                return 'ok';
            case 'script':
                await this.exec('script-failed', 'script', await this.withEnvFiles(s.script ?? ''), {
                    cwd,
                    env: this.hookEnv(target, previous),
                    display: 'deploy script',
                });
                return 'ok';
            case 'record-images': {
                const chained = await this.chainStep(step, target);
                if (chained) {
                    if (chained[0]?.code !== 0)
                        throw new RemoteCommandError('up-failed', this.label, 'record images', 'record images', chained[0] ?? notRun());
                    return 'ok';
                }
                const early = this.ranEarly.get('record-images');
                if (!early) {
                    await this.recordImages(target);
                    return 'ok';
                }
                this.ranEarly.delete('record-images');
                if (early.code !== 0)
                    throw new RemoteCommandError('up-failed', this.label, 'record images', 'record images', early);
                return 'ok';
            }
            case 'health': {
                const outcome = await this.healthGate(env, () => this.chainStep(step, target));
                if (outcome.healthy)
                    return 'ok';
                this.lastHealth = outcome;
                return 'unhealthy';
            }
            case 'mark-current': {
                const chained = await this.chainStep(step, target);
                if (chained && chained[0]?.code !== 0)
                    throw new RemoteCommandError('mark-current-failed', this.label, 'mark the release current', 'mark the release current', chained[0] ?? notRun());
                const finished = chained?.[0] ??
                    (await this.script('mark-current-failed', 'mark the release current', FINISH_SCRIPT, this.finishArgs(target)));
                this.lockReleased = finished.stdout.includes('released');
                return 'ok';
            }
            case 'post-deploy':
                await this.exec('post-deploy-failed', 'post-deploy', await this.withEnvFiles(s.postDeploy ?? ''), {
                    cwd,
                    env,
                    display: 'post-deploy hook',
                });
                return 'ok';
        }
    }
    lastHealth;
    /** The job was cancelled (SIGINT/SIGTERM from the runner), not timed out. */
    cancelled() {
        return this.d.signal?.aborted === true && this.d.signal.reason === 'cancel';
    }
    /**
     * A cancel stops the deploy where it is: no restore is started (the runner kills the process
     * seconds after its signal, and a restore cut half-way leaves less known than none), the
     * release's record says `unknown` and where it stopped, and the lock is released by deployHost.
     */
    async stopCancelled(where, undone, target, previous) {
        await this.endChain();
        const { current } = releasePaths(this.settings.remoteDir);
        const was = previous ? `${current} still names ${previous}` : `nothing is current`;
        if (undone === 'none')
            return new DeployFailure('cancelled', `${this.label}: the run was cancelled ${where}; nothing on the host had changed.`, false, previous, previous);
        const appChanged = undone === 'app';
        const state = appChanged
            ? `release ${target} was started and not verified healthy; it keeps running, not current (${was})`
            : `release ${target}'s files${undone === 'deps' ? ', image tags and services-first' : ''} are in place; the app's containers were not changed (${was})`;
        await this.markStatus(target, `unknown: cancelled ${where}; ${state}`);
        return new DeployFailure('cancelled', `${this.label}: the run was cancelled ${where}: ${state}. Nothing was rolled back; release ${target} is recorded as unknown. ` +
            (previous ? `Deploy again, or go back with rollback: ${previous}.` : 'Deploy again to finish.'), false, appChanged ? target : previous, previous);
    }
    async failHealth(target, previous) {
        await this.endChain();
        if (this.cancelled())
            throw await this.stopCancelled('during the health gate', 'app', target, previous);
        const stopped = this.d.signal?.aborted === true;
        const code = stopped ? 'timeout' : 'health-gate-failed';
        const why = stopped
            ? `the deploy ran over timeout (${(0,lib/* formatDuration */.a3)(this.settings.timeoutMs)}) or was cancelled during the health gate of release ${target}`
            : `release ${target} did not become healthy`;
        const detail = this.lastHealth?.detail ?? 'not healthy';
        await this.markStatus(target, stopped ? 'failed: timeout during the health gate' : 'failed: health gate');
        if (!previous || previous === target) {
            throw new HealthGateError(`${this.label}: ${why}, and there is no previous release to roll back to.\n${detail}`, false, undefined, target, code);
        }
        this.say(`${stopped ? 'stopped during the health gate' : 'health gate failed'}; rolling back to ${previous}`);
        const restoreError = await this.restore(previous, target, 'app');
        if (restoreError) {
            throw new HealthGateError(`${this.label}: ${why}, and rolling back to ${previous} failed too: ${restoreError}\n` +
                `What runs on the host is unknown; check it, then deploy or roll back.\n${detail}`, false, previous, 'unknown', code);
        }
        const after = stopped
            ? { healthy: true, detail: '' }
            : await this.healthGate(this.hookEnv(previous, target));
        throw new HealthGateError(`${this.label}: ${why}, so the host was rolled back to ${previous}` +
            `${after.healthy ? '' : ' (which is not healthy either)'}.\n${detail}`, true, previous, undefined, code);
    }
    /** Undoes a failed step as its plan entry says and returns the error to throw. */
    async undo(step, undo, cause, target, previous) {
        await this.endChain();
        const code = (0,lib/* isUserError */.iU)(cause) ? cause.code : 'internal';
        const message = (0,lib/* errorMessage */.gJ)(cause);
        if (undo === 'keep') {
            return new DeployFailure(code, `${message}\nRelease ${target} is live and current (the ${step.name} step failed after it was marked current; nothing was rolled back).`, false, target, previous);
        }
        if (undo === 'none')
            return new DeployFailure(code, message, false, previous, previous);
        await this.markStatus(target, `failed: ${message.split('\n')[0]}`);
        if (!previous || previous === target) {
            return new DeployFailure(code, `${message}\nThere is no previous release to restore: release ${target} stays on the host, marked failed, not current.`, false, undo === 'app' || (undo === 'deps' && this.startedContainers(step)) ? target : undefined, undefined);
        }
        this.say(`restoring release ${previous} after the failure`);
        const restoreError = await this.restore(previous, target, undo);
        if (restoreError) {
            return new DeployFailure(code, `${message}\nRestoring release ${previous} failed too: ${restoreError}\n` +
                `What runs on the host is unknown; check it, then deploy or roll back. ${this.rel}/current still names ${previous}.`, false, 'unknown', previous);
        }
        return new DeployFailure(code, undo === 'deps'
            ? `${message}\nThe app was not changed: release ${previous}'s files, image tags and services-first are back.`
            : `${message}\nRelease ${previous} was restored.`, undo === 'app', previous, previous);
    }
    /**
     * Puts `release` back after `failed`: its images (for `app`), its files (what
     * `failed` wrote and the host did not change goes), and starts it with
     * `up -d --remove-orphans` — never a pull, a build or the migrator. Returns
     * the error text when something failed, so it is reported, not swallowed.
     */
    async restore(release, failed, kind) {
        const s = this.settings;
        try {
            if (kind !== 'files' && s.strategy === 'compose')
                await this.restoreImages(release);
            await this.activate(release, failed, 'restore');
            if (kind === 'files')
                return undefined;
            if (kind === 'deps') {
                // The app was not touched: only the services-first containers go back (to the restored tags).
                if (s.strategy === 'compose' && s.servicesFirst.length) {
                    const c = await this.compose(release);
                    await this.exec('rollback-failed', `restart release ${release}'s services-first`, c.argv('up', '-d', ...(s.build ? ['--no-build'] : []), ...s.servicesFirst), { cwd: s.remoteDir });
                }
                return undefined;
            }
            if (s.strategy === 'swarm') {
                await this.swarm().restore(release);
                return undefined;
            }
            if (s.strategy === 'script') {
                await this.exec('rollback-failed', 'script', await this.withEnvFiles(s.script ?? ''), {
                    cwd: s.remoteDir,
                    env: this.hookEnv(release, failed),
                    display: 'deploy script',
                });
                return undefined;
            }
            const c = await this.compose(release);
            // What this run rolled goes back by rolling too: a recreate would drop requests.
            if (this.rolled.length && this.rollingPlan) {
                await this.rollBack(c, release);
                return undefined;
            }
            let services = [...s.services];
            if (needsServiceList(s)) {
                const listed = await this.exec('rollback-failed', 'list services', c.argv('config', '--services'), {
                    cwd: s.remoteDir,
                    quiet: true,
                });
                services = upServices(s, listed.stdout
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean));
            }
            await this.exec('rollback-failed', `start release ${release}`, c.argv('up', '-d', '--remove-orphans', ...(s.build ? ['--no-build'] : []), ...services), { cwd: s.remoteDir });
            return undefined;
        }
        catch (error) {
            const text = (0,lib/* errorMessage */.gJ)(error);
            this.log.error(`[${this.label}] restoring release ${release} failed: ${text}`);
            return text;
        }
    }
    /**
     * `strategy: rolling`, after the roll: `release` (the previous one, its files and image tags
     * already back) replaces the rolled services the way they were rolled in (rolling.ts: its
     * containers start beside the failed release's, healthy, then the others drain and go); then
     * `up -d --remove-orphans` for the services not rolled. A service the previous release cannot
     * run twice (or does not have) is started by that `up` instead.
     */
    async rollBack(c, release) {
        const s = this.settings;
        const plan = this.rollingPlan;
        const read = await this.exec('rollback-failed', `read release ${release}'s compose config`, c.flavour === 'v2' ? c.argv('config', '--format', 'json') : c.argv('config'), { cwd: s.remoteDir, quiet: true });
        const config = (0,dist/* parse */.qg)(read.stdout);
        const wanted = this.rolled.map((r) => r.service).filter((name) => config.services?.[name] !== undefined);
        let selection;
        try {
            selection = wanted.length ? checkRollable(config, wanted) : undefined;
        }
        catch (error) {
            this.say(`restoring release ${release} by a recreate: ${(0,lib/* errorMessage */.gJ)(error)}`);
        }
        const project = s.projectName ?? selection?.project ?? plan.selection.project;
        const rolled = new Set();
        if (selection && project) {
            this.say(`restoring release ${release}: rolling ${selection.services.map((r) => r.name).join(', ')}`);
            await rollingUpdate((argv, options) => this.conn.exec(argv, options), {
                compose: c,
                project,
                cwd: s.remoteDir,
                services: selection.services,
                healthTimeoutMs: s.healthTimeoutMs,
                drainMs: s.rolling?.drainMs ?? 1000,
                host: this.label,
                log: this.log,
            });
            for (const r of selection.services)
                rolled.add(r.name);
        }
        const others = Object.keys(config.services ?? {}).filter((name) => !rolled.has(name) &&
            name !== s.migrateService &&
            (s.services.length === 0 || s.services.includes(name)));
        // With nothing else to start, `--no-recreate` on the rolled services only removes the
        // failed release's orphans.
        await this.exec('rollback-failed', `start release ${release}'s other services`, c.argv('up', '-d', '--remove-orphans', ...(s.build ? ['--no-build'] : []), ...(others.length ? others : ['--no-recreate', ...rolled])), { cwd: s.remoteDir });
    }
    /** Re-tags the images `release` ran with; fails naming every one that is gone, before re-tagging any. */
    async restoreImages(release) {
        const result = await this.conn.exec(['sh', '-c', RETAG_SCRIPT, 'sh', `${this.rel}/${release}/images`]);
        if (result.code === 0)
            return;
        if (result.code === 21) {
            const missing = result.stdout
                .split('\n')
                .filter((l) => l.startsWith('missing '))
                .map((l) => l.slice('missing '.length));
            throw new lib/* UserError */.yo('rollback-image-missing', `${this.label}: release ${release} ran with image(s) no longer on the host: ${missing.join(', ')}. ` +
                'Nothing was re-tagged. Pull or load them (same image id), or deploy a new release instead.');
        }
        throw new RemoteCommandError('rollback-failed', this.label, `restore the images of release ${release}`, 'retag', result);
    }
    /** Uploads the bundle as one archive, records the release and copies it into remote-dir, in one exec. */
    async ship(id, previous) {
        const bundle = this.d.bundle;
        if (!bundle)
            throw new Error('no bundle to upload');
        const s = this.settings;
        const started = Date.now();
        const rules = preserveRules(s.preserve);
        const record = {
            ...s.origin,
            createdAt: new Date().toISOString(),
            files: bundle.files.length,
            bytes: bundle.totalBytes,
            envFiles: s.envFiles,
            projectName: s.projectName ?? null,
            strategy: s.strategy,
            preserve: rules.patterns,
        };
        const preserved = bundle.files.filter((f) => rules.matches(f));
        const keep = this.keepList(rules);
        const merged = needsMergedEnv(s, this.state) ? mergedEnvPath(s, id) : '';
        const display = `upload ${bundle.files.length} file(s) to ${this.rel}/${id} and copy them into ${s.remoteDir}`;
        this.say(`$ ${display}`);
        const args = [
            s.remoteDir,
            id,
            previous ?? '',
            JSON.stringify(record),
            merged,
            preserved.join('\n'),
            keep.join('\n'),
            ...s.envFiles,
        ];
        // The compose config read that follows (config / check-rolling) runs in the same exec.
        const next = this.next('ship');
        const then = next && (next.name === 'config' || next.name === 'check-rolling') ? next.argv : undefined;
        const stdin = await bundleArchive(bundle);
        let result;
        const lockChain = this.lockChain;
        this.lockChain = undefined;
        if (lockChain) {
            // In the lock's exec, past its gate: the upload reads the rest of its stdin; the config read follows.
            const [shipAt, thenAt] = lockChain.then([
                { kind: 'script-stdin', script: SHIP_RELEASE_SCRIPT, args },
                ...(then ? [{ kind: 'argv', argv: then }] : []),
            ], stdin);
            const notRunYet = (error) => {
                if (error instanceof ChainPartNotRun)
                    return undefined;
                throw error;
            };
            result = (await lockChain.result(shipAt).catch(notRunYet)) ?? notRun();
            if (thenAt !== undefined && result.code === 0) {
                const second = await lockChain.result(thenAt).catch(notRunYet);
                if (second)
                    this.ranEarly.set(next.name, second);
            }
        }
        else if (then) {
            const ran = await this.pair('script-first', then, SHIP_RELEASE_SCRIPT, args, { stdin });
            result = ran.first;
            if (ran.second)
                this.ranEarly.set(next.name, ran.second);
        }
        else {
            result = await this.conn.exec(['sh', '-c', SHIP_RELEASE_SCRIPT, 'sh', ...args], { stdin });
        }
        const lines = result.stdout.split('\n').filter(Boolean);
        for (const l of lines)
            if (l !== 'activating')
                this.say(`  ${l}`);
        if (result.code !== 0) {
            const error = new RemoteCommandError('upload-failed', this.label, 'upload', display, result);
            // After `activating`, remote-dir may have changed: the failure must restore the previous files.
            throw lines.includes('activating') ? new ShipCopyStarted(error) : error;
        }
        if (merged)
            this.mergedEnv.add(id);
        this.say(`shipped ${bundle.files.length} file(s), ${bundle.totalBytes} bytes, in ${(0,lib/* formatDuration */.a3)(Date.now() - started)}`);
    }
    /**
     * What the current release wrote that stays on a forward deploy: what `preserve` (as the user
     * writes it now) covers. A release recorded before `written.sha256` lists every bundle file,
     * skipped ones included, so for it the default preserve paths are kept too.
     */
    keepList(rules) {
        const legacy = this.state.ownedLegacy ? preserveRules(DEFAULT_PRESERVE) : undefined;
        return this.state.owned.filter((f) => rules.matches(f) || legacy?.matches(f) === true);
    }
    async activate(id, previous, mode) {
        const rules = preserveRules(this.settings.preserve);
        const keep = mode === 'forward' ? this.keepList(rules) : [];
        const result = await this.script('activate-failed', `copy release ${id} into ${this.settings.remoteDir}`, ACTIVATE_SCRIPT, [this.settings.remoteDir, id, previous ?? '', mode, keep.join('\n'), rules.patterns.join('\n')]);
        for (const l of result.stdout.split('\n'))
            if (l)
                this.say(`  ${l}`);
    }
    async markStatus(id, text) {
        const result = await this.conn
            .exec(['sh', '-c', MARK_STATUS_SCRIPT, 'sh', this.settings.remoteDir, id, text])
            .catch((error) => ({ code: -1, stdout: '', stderr: (0,lib/* errorMessage */.gJ)(error) }));
        if (result.code !== 0)
            this.log.warning(`${this.label}: could not record the status of release ${id}: ${result.stderr.trim()}`);
    }
    hookEnv(release, previous) {
        const s = this.settings;
        return {
            DEPLOY_RELEASE_ID: release,
            DEPLOY_PREVIOUS_RELEASE_ID: previous ?? '',
            DEPLOY_REMOTE_DIR: s.remoteDir,
            DEPLOY_RELEASE_DIR: `${this.rel}/${release}`,
            DEPLOY_HOST: this.label,
            DEPLOY_COMMIT: s.origin.commit,
            ...(s.projectName ? { COMPOSE_PROJECT_NAME: s.projectName } : {}),
        };
    }
    /**
     * Hooks and scripts see the env files' variables exported, with the exact values compose
     * reads (never by sourcing a compose-format file: see hook-env.ts).
     */
    withEnvFiles(command) {
        return withHookEnv(this.conn, {
            label: this.label,
            remoteDir: this.settings.remoteDir,
            envFiles: this.settings.envFiles,
            target: `${this.lock.lockDir}/hook.env`,
            note: (message) => this.say(message),
        }, command);
    }
    /** The compose invocation for a release; for compose v1 with several env files, merges them first. */
    async compose(release) {
        const s = this.settings;
        if (needsMergedEnv(s, this.state) && !this.mergedEnv.has(release)) {
            await this.script('env-files-failed', 'merge env-files for docker-compose v1', MERGE_ENV_SCRIPT, [
                s.remoteDir,
                mergedEnvPath(s, release),
                ...s.envFiles,
            ]);
            this.mergedEnv.add(release);
        }
        return composeFor(s, this.state, release);
    }
    async argv(step, release) {
        await this.compose(release);
        return step.argv ?? [];
    }
    swarm() {
        this.swarmHost ??= new SwarmHost(this.conn, this.settings, composeFor(this.settings, this.state, this.settings.origin.id), this.label, this.log, this.d.signal);
        return this.swarmHost;
    }
    /** `strategy: rolling`: reads the release's config and checks the services to roll, before any container changes. */
    async checkRolling(step, release) {
        const s = this.settings;
        const result = await this.execOrEarly('check-rolling', 'compose-config-invalid', 'read the compose config', await this.argv(step, release), { quiet: true });
        const config = (0,dist/* parse */.qg)(result.stdout);
        const wanted = s.rolling?.services ?? [];
        const selection = checkRollable(config, wanted);
        for (const skipped of selection.skipped)
            this.say(`not rolled: ${skipped.service} (${skipped.reason})`);
        if (selection.services.length === 0)
            throw new lib/* UserError */.yo('not-rollable', `${this.label}: strategy rolling found no service to roll (${selection.skipped.map((k) => `${k.service}: ${k.reason}`).join('; ') || 'no services'}). Nothing was changed.`);
        this.rollingPlan = { selection, all: Object.keys(config.services ?? {}) };
        this.say(`rolling: ${selection.services.map((r) => `${r.name} ×${r.replicas}`).join(', ')}`);
    }
    /** `strategy: rolling`: the checked services without downtime, then `up -d` for the others. */
    async rollingUp(release) {
        const s = this.settings;
        const plan = this.rollingPlan;
        const c = await this.compose(release);
        const project = s.projectName ?? plan.selection.project;
        if (!project)
            throw new lib/* UserError */.yo('not-rollable', `${this.label}: strategy rolling needs the compose project name: set project-name.`);
        this.rolled = await rollingUpdate((argv, options) => this.conn.exec(argv, options), {
            compose: c,
            project,
            cwd: s.remoteDir,
            services: plan.selection.services,
            healthTimeoutMs: s.healthTimeoutMs,
            drainMs: s.rolling?.drainMs ?? 1000,
            host: this.label,
            log: this.log,
        });
        const rolled = new Set(plan.selection.services.map((r) => r.name));
        const others = plan.all.filter((name) => !rolled.has(name) &&
            name !== s.migrateService &&
            (s.services.length === 0 || s.services.includes(name)));
        if (others.length)
            await this.exec('up-failed', 'start the services not rolled', c.argv('up', '-d', '--remove-orphans', ...others), {
                cwd: s.remoteDir,
            });
    }
    /** `up`'s argv, with the services from `config --services` (without the migrator) when needed. */
    async upArgv(step, release) {
        const argv = await this.argv(step, release);
        if (!needsServiceList(this.settings))
            return argv;
        return [...argv, ...upServices(this.settings, this.configServices.get(release))];
    }
    async recordImages(release) {
        const c = await this.compose(release);
        const project = this.settings.projectName;
        await this.script('up-failed', 'record images', RECORD_IMAGES_SCRIPT, [
            `${this.rel}/${release}/images`,
            project ?? '',
            ...(project ? [] : await this.composeIds(c, [], 'up-failed')),
        ]);
    }
    /** Container ids through compose itself, for when the project name is compose's own choice. */
    async composeIds(c, services, code) {
        if (c.flavour === 'v2') {
            const result = await this.exec(code, 'list containers', c.argv('ps', '--format', 'json', ...services), {
                cwd: this.settings.remoteDir,
                quiet: true,
            });
            return parseComposePs(result.stdout);
        }
        const result = await this.exec(code, 'list containers', c.argv('ps', '-q', ...services), {
            cwd: this.settings.remoteDir,
            quiet: true,
        });
        return result.stdout.split(/\s+/).filter(Boolean);
    }
    /** services-first on compose v1: running, and healthy when they have a healthcheck. */
    async waitHealthy(c, services, first) {
        const deadline = Date.now() + this.settings.healthTimeoutMs;
        let states = '';
        let known = first;
        for (;;) {
            const project = this.settings.projectName;
            const args = project
                ? [project, ...services]
                : ['', ...(await this.composeIds(c, services, 'services-first-failed'))];
            states =
                known ??
                    (await this.script('services-first-failed', 'inspect services-first', CONTAINER_STATE_SCRIPT, args)).stdout.trim();
            known = undefined;
            const statuses = states
                .split('\n')
                .filter(Boolean)
                .map((l) => l.split(' ')[1]);
            if (statuses.length >= services.length &&
                statuses.every((st) => st === 'healthy' || st === 'running')) {
                this.say(`services-first healthy: ${services.join(', ')}`);
                return;
            }
            if (statuses.some((st) => st === 'unhealthy' || st === 'exited' || st === 'dead'))
                break;
            if (Date.now() > deadline || this.d.signal?.aborted)
                break;
            await (0,promises_.setTimeout)(500);
        }
        throw new lib/* UserError */.yo('services-first-unhealthy', `${this.label}: services-first (${services.join(', ')}) did not become healthy within health-timeout: ${states.replace(/\n/g, '; ') || 'no containers'}.`);
    }
    /** The gate's outcome, or unhealthy at once when the deploy is stopped (timeout, cancel). */
    unlessStopped(check) {
        const signal = this.d.signal;
        if (!signal)
            return check;
        if (signal.aborted)
            return Promise.resolve({ healthy: false, detail: 'stopped: timeout or cancel' });
        return Promise.race([
            check,
            new Promise((resolve) => signal.addEventListener('abort', () => resolve({ healthy: false, detail: 'stopped: timeout or cancel' }), {
                once: true,
            })),
        ]);
    }
    /** `look`: the first look from the host (in the chained exec), when there is one. */
    async healthGate(env, look) {
        const s = this.settings;
        const outcomes = [];
        if (s.healthUrl) {
            this.say(`health gate: waiting for ${s.healthUrl}`);
            const first = look ? await look() : undefined;
            const status = /^status=(2\d\d)$/m.exec(first?.[0]?.code === 0 ? first[0].stdout : '')?.[1];
            outcomes.push(status
                ? { healthy: true, detail: `${s.healthUrl} ready at the first look from the host (HTTP ${status})` }
                : await this.unlessStopped(checkHealthUrl(this.conn, s.healthUrl, s.healthTimeoutMs, this.log, this.d.signal)));
        }
        if (s.healthCmd && outcomes.every((o) => o.healthy)) {
            this.say('health gate: running health-cmd');
            outcomes.push(await this.unlessStopped(checkHealthCommand(this.conn, await this.withEnvFiles(s.healthCmd), {
                cwd: s.remoteDir,
                env,
                timeoutMs: s.healthTimeoutMs,
                ...(this.d.signal ? { signal: this.d.signal } : {}),
            }, this.log)));
        }
        const failed = outcomes.find((o) => !o.healthy);
        if (failed)
            return failed;
        if (outcomes.length)
            this.say(`health gate passed: ${outcomes.map((o) => o.detail).join('; ')}`);
        return { healthy: true, detail: outcomes.map((o) => o.detail).join('; ') || 'no health gate configured' };
    }
}
/** The steps that can run in one chained exec, in plan order (health runs from the runner, between). */
const CHAINED = new Set([
    'pull',
    'services-first',
    'migrate',
    'up',
    'record-images',
    'health',
    'mark-current',
]);
/** A chained part that never ran because the exec ended before it (no output of its own). */
function notRun() {
    return { code: 128, stdout: '', stderr: 'the command did not run: the exec ended before it' };
}
/** The ship step failed after its copy into remote-dir began: the files must be restored. */
class ShipCopyStarted extends Error {
    original;
    constructor(original) {
        super((0,lib/* errorMessage */.gJ)(original));
        this.original = original;
    }
}
/** Container ids from `docker compose ps --format json` (one object a line, or an array in older v2). */
function parseComposePs(stdout) {
    const text = stdout.trim();
    if (!text)
        return [];
    const rows = text.startsWith('[')
        ? JSON.parse(text)
        : text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
    return rows
        .map((r) => r.ID)
        .filter((id) => typeof id === 'string' && id !== '');
}
//# sourceMappingURL=session.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/rollout.js









/** The steps a deploy would take, one line each (dry-run, the summary's plan). */
function planSteps(settings, state, bundle, releaseId) {
    return describePlan(planRollout({
        settings,
        state,
        ...(bundle ? { bundle } : {}),
        target: releaseId,
        ...(state.current ? { previous: state.current } : {}),
    }), state.current);
}
/** Runs the rollout on one host. Throws a UserError (DeployFailure / HealthGateError after changes) on failure. */
async function deployHost(d) {
    const started = Date.now();
    const { conn, settings, label, log } = d;
    const say = (message) => log.info(`[${label}] ${message}`);
    const releaseId = settings.origin.id;
    if (settings.dryRun) {
        const state = chooseCompose(settings, await inspectHost(conn, settings.remoteDir), label);
        const target = settings.rollback ? resolveRollbackTarget(state, settings.rollback, label) : releaseId;
        const plan = planSteps(settings, state, d.bundle, target);
        say(`dry-run: would deploy release ${target} (current: ${state.current ?? 'none'}) with compose ${state.compose ?? '-'}:`);
        for (const step of plan)
            say(`  - ${step}`);
        return {
            host: label,
            status: 'planned',
            release: target,
            ...(state.current ? { previousRelease: state.current, running: state.current } : {}),
            rolledBack: false,
            durationMs: Date.now() - started,
            plan,
        };
    }
    // The host's state is read in the same exec that takes the lock, so no other deploy can change it after.
    // The upload right after the lock runs in the lock's exec (chain.ts) when nothing comes between.
    const chained = d.bundle !== undefined && !settings.rollback && !settings.preDeploy && settings.strategy !== 'swarm';
    const { lock, hostState, chain } = await acquireHostLock(conn, label, settings.remoteDir, settings.origin, {
        timeoutMs: settings.lockTimeoutMs,
        holdForMs: settings.timeoutMs,
        ...(d.signal ? { signal: d.signal } : {}),
        chained,
    }, log);
    if (settings.projectName && settings.migrateService)
        Object.assign(lock, { project: settings.projectName, oneOffService: settings.migrateService });
    d.locks.taken(lock);
    let session;
    try {
        const state = chooseCompose(settings, parseState(hostState), label);
        checkCurrentRecord(settings, state, label);
        session = new HostSession(d, state, lock, chain);
        const result = await session.run();
        return { ...result, durationMs: Date.now() - started };
    }
    finally {
        // Unless the session took it on: the lock's exec waits at its gate; it ends without going on.
        await chain?.stop();
        if (session?.lockReleased) {
            d.locks.released(lock);
            say('lock released');
        }
        else {
            try {
                await releaseHostLock(conn, lock);
                d.locks.released(lock);
                say('lock released');
            }
            catch (error) {
                log.warning(`${label}: could not release the host lock ${lock.lockDir}: ${error.message}. The post step will try again.`);
            }
        }
    }
}
/** A failure as a row of the summary and the `hosts` output. */
function failureResult(host, started, error) {
    const failure = error instanceof DeployFailure ? error : undefined;
    const rolledBack = failure?.rolledBack ?? false;
    return {
        host,
        status: rolledBack ? 'rolled-back' : failure?.code === 'cancelled' ? 'cancelled' : 'failed',
        rolledBack,
        durationMs: Date.now() - started,
        error: (0,lib/* errorMessage */.gJ)(error),
        errorCode: (0,lib/* isUserError */.iU)(error) ? error.code : 'internal',
        ...(failure?.previousRelease ? { previousRelease: failure.previousRelease } : {}),
        ...(failure?.running && failure.running !== 'unknown' ? { release: failure.running } : {}),
        ...(failure?.running ? { running: failure.running } : {}),
    };
}
/**
 * For the post step, before it releases a lock a cancelled or timed-out run left:
 * stops that run's migrate-service container if it is still running. Returns what it says.
 */
async function stopLeftoverWork(conn, lock) {
    if (!lock.project || !lock.oneOffService)
        return '';
    const result = await conn.exec([
        'sh',
        '-c',
        STOP_ONEOFF_SCRIPT,
        'sh',
        lock.lockDir,
        lock.token,
        lock.project,
        lock.oneOffService,
    ]);
    return result.stdout.trim();
}
//# sourceMappingURL=rollout.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/hosts.js



/**
 * Fills `{host}` in remote-dir, project-name and health-url with this host's
 * name, so several stacks that share one machine (loopback aliases, a host
 * per BIND_IP) stay apart in one run.
 */
function settingsForHost(settings, host) {
    const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    const pathSafe = name.replace(/[^A-Za-z0-9._-]/g, '-');
    const projectSafe = name.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
    const urlHost = name.includes(':') ? `[${name}]` : name;
    return {
        ...settings,
        remoteDir: settings.remoteDir.replaceAll('{host}', pathSafe),
        ...(settings.projectName ? { projectName: settings.projectName.replaceAll('{host}', projectSafe) } : {}),
        ...(settings.healthUrl ? { healthUrl: settings.healthUrl.replaceAll('{host}', urlHost) } : {}),
    };
}
/** One host, start to end: connect, deploy, close; bounded by `timeout`. */
async function deployOne(host, o, settings = o.settings) {
    const started = Date.now();
    let conn;
    let timer;
    let graceTimer;
    const abort = new AbortController();
    // A cancel reaches the session as an abort with reason `cancel` (a timeout's reason is `timeout`).
    const onCancel = () => abort.abort('cancel');
    o.cancel?.addEventListener('abort', onCancel, { once: true });
    try {
        const work = (async () => {
            conn = await o.connect(host);
            return deployHost({
                label: host,
                conn,
                settings: settingsForHost(settings, host),
                ...(o.bundle && !settings.rollback ? { bundle: o.bundle } : {}),
                log: o.log,
                locks: o.locks,
                signal: abort.signal,
            });
        })();
        // At `timeout` the session is told to stop: it starts no new step and undoes what it changed
        // (a health gate in progress ends and rolls back). If it is still busy after a grace period,
        // the connection is closed, which stops whatever runs there; the post step releases the lock.
        const graceMs = settings.healthTimeoutMs + 120_000;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => {
                o.log.warning(`${host}: the deploy ran over timeout (${(0,lib/* formatDuration */.a3)(settings.timeoutMs)}); stopping it and undoing what it changed (up to ${(0,lib/* formatDuration */.a3)(graceMs)}).`);
                abort.abort('timeout');
                graceTimer = setTimeout(() => {
                    reject(new lib/* UserError */.yo('timeout', `${host}: the deploy ran over timeout (${(0,lib/* formatDuration */.a3)(settings.timeoutMs)}) and could not be undone within ${(0,lib/* formatDuration */.a3)(graceMs)}; the connection was closed. ` +
                        'What runs on the host is unknown; the host lock it held is released by the post step.'));
                    void conn?.close();
                }, graceMs);
            }, settings.timeoutMs);
        });
        const result = await Promise.race([work, timeout]);
        return result;
    }
    catch (error) {
        const result = failureResult(host, started, error);
        if (!result.running && isUnknownAfterTimeout(error))
            result.running = 'unknown';
        return result;
    }
    finally {
        if (timer)
            clearTimeout(timer);
        if (graceTimer)
            clearTimeout(graceTimer);
        o.cancel?.removeEventListener('abort', onCancel);
        await conn?.close();
    }
}
/**
 * Only a timeout the session could not finish undoing within the grace period (the connection
 * was closed under it) leaves the host unknown. A DeployFailure says itself what runs: after a
 * timeout before anything changed (the lock wait, pre-deploy, the upload) that is the previous
 * release, or, on a first deploy, nothing of ours (`running` absent).
 */
function isUnknownAfterTimeout(error) {
    return error instanceof lib/* UserError */.yo && error.code === 'timeout' && !(error instanceof DeployFailure);
}
/**
 * Deploys to every host, `parallel` at a time (1 = rolling). With `failFast`,
 * hosts not yet started are skipped after the first failure.
 */
async function deployToHosts(o) {
    const results = new Array(o.hosts.length);
    let next = 0;
    let stop = false;
    const worker = async () => {
        while (next < o.hosts.length) {
            const index = next++;
            const host = o.hosts[index];
            if (stop || o.cancel?.aborted) {
                results[index] = {
                    host,
                    status: 'skipped',
                    rolledBack: false,
                    durationMs: 0,
                    error: o.cancel?.aborted
                        ? 'not started: the run was cancelled'
                        : 'not started: an earlier host failed (fail-fast)',
                };
                continue;
            }
            const result = await deployOne(host, o);
            results[index] = result;
            if (result.status === 'failed' || result.status === 'rolled-back' || result.status === 'cancelled') {
                o.log.info(`[${host}] ${result.status}: ${(result.error ?? '').split('\n')[0]}`);
                if (o.failFast)
                    stop = true;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, o.hosts.length)) }, worker));
    // A cancel starts no fleet-rollback: it stops, and each host's result says where.
    if (o.settings.fleetRollback && !o.settings.dryRun && !o.settings.rollback && !o.cancel?.aborted)
        await rollBackFleet(o, results);
    return results;
}
/**
 * fleet-rollback: a host failed, so the hosts this run deployed go back to the
 * release they ran before (an explicit rollback to that id: recorded images, no
 * migrator), and the fleet is never left mixed. Each result says what runs.
 */
async function rollBackFleet(o, results) {
    const failed = results.filter((r) => r.status === 'failed' || r.status === 'rolled-back');
    if (failed.length === 0)
        return;
    for (const [index, r] of results.entries()) {
        if (r.status !== 'deployed')
            continue;
        if (!r.previousRelease) {
            o.log.warning(`${r.host}: fleet-rollback: no previous release to go back to; ${r.release ?? '?'} keeps running.`);
            results[index] = { ...r, error: 'fleet-rollback: no previous release; this release keeps running' };
            continue;
        }
        o.log.info(`[${r.host}] fleet-rollback: ${failed.map((f) => f.host).join(', ')} failed; rolling back to ${r.previousRelease}`);
        const back = await deployOne(r.host, o, { ...o.settings, rollback: r.previousRelease });
        results[index] =
            back.status === 'deployed'
                ? {
                    ...r,
                    status: 'rolled-back',
                    rolledBack: true,
                    release: r.previousRelease,
                    running: r.previousRelease,
                    durationMs: r.durationMs + back.durationMs,
                    error: `fleet-rollback: rolled back to ${r.previousRelease} because ${failed[0].host} failed`,
                    errorCode: 'fleet-rolled-back',
                }
                : {
                    ...r,
                    status: 'failed',
                    running: back.running ?? 'unknown',
                    durationMs: r.durationMs + back.durationMs,
                    error: `fleet-rollback to ${r.previousRelease} failed: ${back.error ?? ''}`,
                    errorCode: back.errorCode ?? 'rollback-failed',
                };
    }
}
//# sourceMappingURL=hosts.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/build-context.js
/**
 * `.releases` under remote-dir holds every kept release's files and copies of the
 * env files (secrets, 0600 in a 0700 dir). Those modes stop other users, not a
 * build: `docker compose build` runs as the deploy user and sends the whole
 * context to the builder, so a service built from remote-dir itself (`build: .`)
 * would carry `.releases` into the build, and `COPY . .` into the image.
 *
 * Chosen: check before anything connects. A build context that holds `.releases`
 * must exclude it in its `.dockerignore`; otherwise the deploy stops with an error
 * saying which line to add. (Moving `.releases` out of remote-dir would change
 * where every existing host keeps its releases and lock; writing a `.dockerignore`
 * for the user would change a file the deploy does not own.)
 *
 * Checked: the compose files the bundle carries (compose-files, or the bundle's
 * own compose file and its override), before interpolation; a context written
 * with `${...}`, a remote (git/URL) context, or compose files only on the host
 * cannot be checked here and are left to the docs.
 */




const OVERRIDES = {
    'compose.yaml': 'compose.override.yaml',
    'compose.yml': 'compose.override.yml',
    'docker-compose.yaml': 'docker-compose.override.yaml',
    'docker-compose.yml': 'docker-compose.override.yml',
};
/** A .dockerignore pattern as a RegExp over `/`-separated paths (Go filepath.Match plus `**`). */
function ignorePattern(line) {
    let body = '';
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '*' && line[i + 1] === '*') {
            body += '.*';
            i++;
            if (line[i + 1] === '/')
                i++;
        }
        else if (c === '*')
            body += '[^/]*';
        else if (c === '?')
            body += '[^/]';
        else
            body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    // A pattern that matches a directory excludes everything in it.
    return new RegExp(`^${body}(?:/.*)?$`);
}
/** Whether .dockerignore text excludes `path` (relative to the context), docker's way: the last matching line wins. */
function dockerignoreExcludes(text, path) {
    let excluded = false;
    for (const raw of text.split(/\r?\n/)) {
        let line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const negated = line.startsWith('!');
        if (negated)
            line = line.slice(1).trim();
        line = external_node_path_.posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, '');
        if (line === '.' || line === '')
            continue;
        if (ignorePattern(line).test(path))
            excluded = !negated;
    }
    return excluded;
}
function composeFilesToCheck(bundle, composeFiles) {
    const named = composeFiles.length
        ? composeFiles.map((f) => external_node_path_.posix.normalize(f.replace(/^\.\//, '')))
        : bundle.composeFile
            ? [bundle.composeFile, OVERRIDES[bundle.composeFile]]
            : [];
    return named.filter((f) => !f.startsWith('/') && bundle.files.includes(f));
}
/** The build contexts, among the bundle's compose files, that would hold `.releases` without excluding it. */
function findExposedContexts(bundle, composeFiles) {
    const exposed = [];
    for (const file of composeFilesToCheck(bundle, composeFiles)) {
        let model;
        try {
            model = (0,dist/* parse */.qg)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(bundle.sourceDir, file), 'utf8'));
        }
        catch {
            continue; // compose itself reports a broken file, with its own words, on the host.
        }
        const services = model?.services;
        if (!services || typeof services !== 'object')
            continue;
        for (const [service, definition] of Object.entries(services)) {
            const build = definition?.build;
            if (build === undefined || build === null)
                continue;
            const context = typeof build === 'string' ? build : String(build.context ?? '.');
            if (context.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context))
                continue;
            if (context.startsWith('/'))
                continue; // a host path: see the docs.
            const relative = external_node_path_.posix.normalize(external_node_path_.posix.join(external_node_path_.posix.dirname(file), context));
            // '.' is remote-dir itself; '..' and above contain it. A subdirectory does not hold .releases.
            if (relative !== '.' && relative !== '..' && !relative.startsWith('../'))
                continue;
            if (relative !== '.') {
                exposed.push({ composeFile: file, service, context });
                continue;
            }
            const dockerfile = typeof build === 'object' && typeof build.dockerfile === 'string'
                ? external_node_path_.posix.normalize(build.dockerfile)
                : 'Dockerfile';
            // BuildKit reads <Dockerfile>.dockerignore first when there is one, else .dockerignore.
            const candidates = [`${dockerfile}.dockerignore`, '.dockerignore'];
            const ignoreFile = candidates.find((f) => bundle.files.includes(f)) ?? '.dockerignore';
            const text = bundle.files.includes(ignoreFile)
                ? (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(bundle.sourceDir, ignoreFile), 'utf8')
                : '';
            if (!dockerignoreExcludes(text, '.releases/a-release/env'))
                exposed.push({ composeFile: file, service, context, ignoreFile });
        }
    }
    return exposed;
}
/** Stops the deploy, before anything connects, when a build would see `.releases`. */
function checkBuildContexts(bundle, composeFiles) {
    const exposed = findExposedContexts(bundle, composeFiles);
    if (exposed.length === 0)
        return;
    const lines = exposed.map((e) => e.ignoreFile
        ? `service '${e.service}' (${e.composeFile}) builds from '${e.context}', remote-dir itself: add the line '.releases' to ${e.ignoreFile}`
        : `service '${e.service}' (${e.composeFile}) builds from '${e.context}', which contains remote-dir: build from a directory inside remote-dir instead`);
    throw new lib/* UserError */.yo('build-context-exposes-releases', `A build context would include remote-dir/.releases (every release's files and env file copies, secrets included), ` +
        `so a build could copy them into an image:\n  - ${lines.join('\n  - ')}`);
}
//# sourceMappingURL=build-context.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/each-host.js
/** Runs `work` for every host, `parallel` at a time, results in host order. */
async function forEachHost(hosts, parallel, work) {
    const results = new Array(hosts.length);
    let next = 0;
    const worker = async () => {
        while (next < hosts.length) {
            const index = next++;
            results[index] = await work(hosts[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, hosts.length)) }, worker));
    return results;
}
//# sourceMappingURL=each-host.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/read-script.js
// The one exec `mode: plan` and `mode: check` run on a host: it reads, it never
// writes. POSIX sh, inputs as positional arguments (quoted by the SSH layer) and
// on stdin; every input is only expanded inside double quotes.

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
const READ_SCRIPT = `${INSPECT_SCRIPT}
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
//# sourceMappingURL=read-script.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/reading.js



function parseReading(stdout, envFileCount, now = Date.now()) {
    const r = {
        state: parseState(stdout),
        recordImages: [],
        written: [],
        hostFiles: [],
        envRecord: [],
        containers: [],
        images: [],
        bundle: [],
        envFiles: Array.from({ length: envFileCount }, () => ({
            present: false,
            keys: new Map(),
        })),
        imageVars: Array.from({ length: envFileCount }, () => new Map()),
    };
    let lockAge;
    let owner;
    let held = false;
    const pair = (v) => {
        const sp = v.indexOf(' ');
        return sp < 0 ? [v, ''] : [v.slice(0, sp), v.slice(sp + 1)];
    };
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        switch (key) {
            case 'lock':
                held = true;
                break;
            case 'lock_age':
                lockAge = Number(value);
                break;
            case 'lock_owner':
                owner = value;
                break;
            case 'disk_free_kb':
                if (/^\d+$/.test(value))
                    r.diskFreeBytes = Number(value) * 1024;
                break;
            case 'record_status':
                r.recordStatus = value;
                break;
            case 'record_image': {
                const [ref, id] = pair(value);
                if (ref)
                    r.recordImages.push({ ref, id });
                break;
            }
            case 'written': {
                const [state, path] = pair(value);
                r.written.push({ path, state: state });
                break;
            }
            case 'host_file': {
                const [state, path] = pair(value);
                r.hostFiles.push({ path, state: state });
                break;
            }
            case 'env_record': {
                const [state, path] = pair(value);
                r.envRecord.push({ path, state: state });
                break;
            }
            case 'container': {
                const [service = '', ref = '', imageId = '', status = '', health = '', restarts = '0', oneoff = '', name = '',] = value.split('|');
                r.containers.push({
                    service,
                    ref,
                    imageId,
                    status,
                    health,
                    restarts: Number(restarts) || 0,
                    oneoff: oneoff === 'True',
                    name: name.replace(/^\//, ''),
                });
                break;
            }
            case 'image': {
                const [id = '', tags = '', digests = '', size = '0'] = value.split('|');
                if (!r.images.some((i) => i.id === id))
                    r.images.push({
                        id,
                        tags: tags.split(',').filter(Boolean),
                        digests: digests.split(',').filter(Boolean),
                        size: Number(size) || 0,
                    });
                break;
            }
            case 'docker_error':
                r.dockerError = value;
                break;
            case 'bundle': {
                const [state, path] = pair(value);
                r.bundle.push({ path, state: state });
                break;
            }
            case 'env_file': {
                const [n, state] = pair(value);
                const f = r.envFiles[Number(n) - 1];
                if (f)
                    f.present = state === 'present';
                break;
            }
            case 'env_key': {
                const [n, rest] = pair(value);
                const [k, mac] = pair(rest);
                r.envFiles[Number(n) - 1]?.keys.set(k, mac);
                break;
            }
            case 'image_var': {
                const [n, rest] = pair(value);
                const [k, v] = pair(rest);
                r.imageVars[Number(n) - 1]?.set(k, v);
                break;
            }
        }
    }
    if (held) {
        let parsed = {};
        try {
            parsed = owner ? JSON.parse(owner) : {};
        }
        catch {
            // a half-written owner file: describeOwner says what little is known
        }
        const { token: _token, ...rest } = parsed;
        const described = describeOwner(owner && parsed.run ? JSON.stringify(rest) : '{}', lockAge !== undefined ? `lock-age=${lockAge}` : '', now);
        r.lock = { ageSeconds: lockAge ?? 0, owner: rest, text: described.text, stale: described.stale };
    }
    return r;
}
/** One exec: READ_SCRIPT with the key and the bundle's checksums on stdin. */
async function readHost(conn, req) {
    const stdin = `${req.key ? req.key.stdinLines() : '\n\n'}${req.bundleSums.map((l) => `${l}\n`).join('')}`;
    const result = await conn.exec([
        'sh',
        '-c',
        READ_SCRIPT,
        'sh',
        req.remoteDir,
        req.projectName ?? '',
        req.envFiles.join('\n'),
        req.imageVars.join('\n'),
        req.imageRefs.join('\n'),
    ], { stdin });
    if (result.code !== 0)
        throw new Error(`reading the host failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return parseReading(result.stdout, req.envFiles.length);
}
//# sourceMappingURL=reading.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/read-each-host.js



/**
 * The loop `mode: plan` and `mode: check` share: for every host, `parallel` at a
 * time, its settings, one connection, one read (READ_SCRIPT), then `work`; the
 * connection is closed afterwards whatever happened. A failure to connect, to read
 * or in `work` becomes that host's result through `failed`; results in host order.
 */
async function readEachHost(o, extras, work, failed) {
    return forEachHost(o.hosts, o.parallel, async (host) => {
        const settings = settingsForHost(o.settings, host);
        let conn;
        try {
            conn = await o.connect(host);
            const reading = await readHost(conn, {
                remoteDir: settings.remoteDir,
                ...(settings.projectName ? { projectName: settings.projectName } : {}),
                envFiles: settings.envFiles,
                ...extras,
            });
            return await work({ host, settings, conn, reading });
        }
        catch (error) {
            return failed(host, settings, error);
        }
        finally {
            await conn?.close();
        }
    });
}
//# sourceMappingURL=read-each-host.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/drift.js





const drift_short = (id) => id.replace(/^sha256:/, '').slice(0, 12);
/** Containers of long-running services (not `run --rm` one-offs). */
function serviceContainers(reading) {
    return reading.containers.filter((c) => !c.oneoff && c.service !== '');
}
/**
 * Compares a host with its recorded release. `expected`: the services the release's
 * compose config runs (without the migrator); without it, missing and extra services
 * are not judged (a plan reads no compose config).
 */
function computeDrift(host, reading, expected) {
    const items = [];
    const current = reading.state.current;
    if (reading.lock) {
        items.push({
            kind: 'lock',
            detail: `the host lock is held by ${reading.lock.text}${reading.lock.stale ? ' (stale: its holder’s time is up)' : ''}`,
        });
    }
    if (!current) {
        // Nothing to compare with is not "clean": never deployed here, or the wrong remote-dir.
        items.push({
            kind: 'record',
            detail: 'no release is recorded as current here (.releases/current): never deployed, or another remote-dir',
        });
        return { host, clean: false, items };
    }
    if (reading.state.currentRecord !== 'ok')
        items.push({ kind: 'record', detail: `release ${current}'s record (files list and bundle) is gone` });
    if (reading.dockerError)
        items.push({ kind: 'record', detail: `docker: ${reading.dockerError}` });
    const containers = serviceContainers(reading);
    // Images: every running container's image must be one the release recorded.
    const recorded = reading.recordImages;
    if (recorded.length > 0) {
        for (const c of containers) {
            if (c.status !== 'running')
                continue;
            if (recorded.some((r) => r.id === c.imageId))
                continue;
            const sameRef = recorded.find((r) => r.ref === c.ref);
            items.push({
                kind: 'image',
                service: c.service,
                detail: sameRef
                    ? `${c.service} runs ${c.ref} as image ${drift_short(c.imageId)}, but the release recorded ${drift_short(sameRef.id)} for it (the tag was moved and the container recreated)`
                    : `${c.service} runs ${c.ref} (${drift_short(c.imageId)}), an image the release did not record`,
            });
        }
    }
    const byService = new Map();
    for (const c of containers)
        byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
    for (const [service, list] of byService) {
        for (const c of list) {
            if (c.status === 'restarting')
                items.push({
                    kind: 'restarting',
                    service,
                    detail: `${c.name} is restarting (${c.restarts} restarts)`,
                });
            else if (c.status !== 'running' && (!expected || expected.includes(service)))
                items.push({ kind: 'stopped', service, detail: `${c.name} is ${c.status}` });
            else if (c.health === 'unhealthy')
                items.push({ kind: 'unhealthy', service, detail: `${c.name} is unhealthy` });
        }
    }
    if (expected) {
        for (const service of expected) {
            const list = byService.get(service) ?? [];
            if (list.length === 0)
                items.push({ kind: 'missing', service, detail: `${service} has no container` });
        }
        for (const service of byService.keys())
            if (!expected.includes(service))
                items.push({
                    kind: 'extra',
                    service,
                    detail: `${service} runs but is not in the release's compose config`,
                });
    }
    const envPaths = new Set(reading.envRecord.map((e) => e.path));
    for (const w of reading.written) {
        if (w.state === 'same' || envPaths.has(w.path))
            continue;
        items.push({
            kind: 'file',
            path: w.path,
            detail: `${w.path}, written by release ${current}, is ${w.state === 'missing' ? 'gone' : 'changed on the host'}`,
        });
    }
    for (const h of reading.hostFiles) {
        if (h.state === 'same')
            continue;
        items.push({
            kind: 'file',
            path: h.path,
            detail: `the host's ${h.path} is ${h.state === 'missing' ? 'gone' : 'changed'} since release ${current} shipped`,
        });
    }
    for (const e of reading.envRecord) {
        if (e.state === 'same')
            continue;
        items.push({
            kind: 'env-file',
            path: e.path,
            detail: e.state === 'unrecorded'
                ? `env file ${e.path} was not on the host when release ${current} shipped`
                : `env file ${e.path} is ${e.state === 'missing' ? 'gone' : 'changed on the host'} since release ${current} shipped`,
        });
    }
    return { host, release: current, clean: items.length === 0, items };
}
/**
 * `mode: check`: every host against its recorded release. Two execs per host: the
 * read (READ_SCRIPT, as a plan's) and `config --services` with the deploy's compose
 * files, for the services that should run. Nothing is changed; no lock is taken.
 */
async function checkHosts(o) {
    return readEachHost(o, { imageVars: [], imageRefs: [], bundleSums: [] }, async ({ host, settings, conn, reading }) => {
        let expected;
        const extra = [];
        if (reading.state.current && settings.strategy === 'compose') {
            const state = chooseCompose(settings, reading.state, host);
            const argv = composeFor(settings, state, reading.state.current).argv('config', '--services');
            const result = await conn.exec(argv, { cwd: settings.remoteDir });
            if (result.code === 0)
                expected = result.stdout
                    .split('\n')
                    .map((l) => l.trim())
                    .filter((l) => l !== '' && l !== settings.migrateService);
            else
                extra.push({
                    kind: 'file',
                    detail: `the compose config on the host does not load (exit ${result.code}): ${lastLines(result.stderr || result.stdout, 2).replace(/\n/g, ' ')}`,
                });
        }
        const drift = computeDrift(host, reading, expected);
        drift.items.push(...extra);
        drift.clean = drift.items.length === 0;
        o.log.info(`[${host}] ${drift.release ? `release ${drift.release}: ` : ''}${drift.clean ? 'no drift' : `${drift.items.length} difference(s)`}`);
        for (const item of drift.items)
            o.log.info(`[${host}]   ${item.kind}: ${item.detail}`);
        return drift;
    }, (host, _settings, error) => ({
        host,
        clean: false,
        items: [],
        error: (0,lib/* errorMessage */.gJ)(error),
        errorCode: (0,lib/* isUserError */.iU)(error) ? error.code : 'internal',
    }));
}
//# sourceMappingURL=drift.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/env-keys.js

/**
 * Env keys compared without their values: both sides compute an HMAC-SHA256 of
 * each value with a key made for one run, so only "same" or "different" can be
 * told, and nothing that leaves the host (or is printed) is a value or a plain
 * hash of one. The host does it in sh (READ_SCRIPT); the runner does it here for
 * the bundle's env files, splitting lines by exactly the same rule.
 */
/** `KEY=value` lines as READ_SCRIPT reads them (pass the file decoded as latin1, so bytes stay bytes): the text after `=`, trimmed of blanks; no unquoting, no interpolation. */
function envEntries(text) {
    const entries = [];
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        let l = line.replace(/^[ \t]+/, '');
        if (l === '' || l.startsWith('#'))
            continue;
        if (l.startsWith('export '))
            l = l.slice('export '.length).replace(/^[ \t]+/, '');
        const eq = l.indexOf('=');
        if (eq < 0)
            continue;
        const key = l.slice(0, eq).replace(/[ \t]+$/, '');
        if (!/^[A-Za-z0-9_.-]+$/.test(key))
            continue;
        entries.push([
            key,
            l
                .slice(eq + 1)
                .replace(/^[ \t]+/, '')
                .replace(/[ \t]+$/, ''),
        ]);
    }
    return entries;
}
function newRunKey() {
    const key = (0,external_node_crypto_.randomBytes)(32);
    const block = Buffer.alloc(64);
    key.copy(block);
    const escaped = (pad) => [...block].map((b) => `\\${(b ^ pad).toString(8).padStart(3, '0')}`).join('');
    return {
        hmac: (value) => (0,external_node_crypto_.createHmac)('sha256', key).update(value, 'latin1').digest('hex'),
        stdinLines: () => `${escaped(0x36)}\n${escaped(0x5c)}\n`,
    };
}
function compareEnv(before, after) {
    const out = { added: [], removed: [], changed: [], unchanged: 0 };
    for (const [key, mac] of after) {
        const old = before.get(key);
        if (old === undefined)
            out.added.push(key);
        else if (old !== mac)
            out.changed.push(key);
        else
            out.unchanged++;
    }
    for (const key of before.keys())
        if (!after.has(key))
            out.removed.push(key);
    for (const list of [out.added, out.removed, out.changed])
        list.sort();
    return out;
}
//# sourceMappingURL=env-keys.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/plan.js











const VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/**
 * A value the planner cannot see (a secret only the deploy job gets): an env file in the
 * bundle may give this instead, and the key is reported `unknown`, not changed.
 */
const PLAN_UNKNOWN_VALUE = 'deploy-actions:unknown-to-the-plan';
const norm = (p) => external_node_path_.posix.normalize(p).replace(/^\.\//, '');
/** Reads the bundle's compose and env files: services, image templates, env HMACs. */
function readBundleSide(settings, bundle, key) {
    const files = new Set(bundle.files);
    const composeFiles = settings.composeFiles.length
        ? settings.composeFiles
        : bundle.composeFile
            ? [bundle.composeFile]
            : [];
    const services = new Map();
    const hostComposeFiles = [];
    for (const f of composeFiles) {
        if (!files.has(norm(f))) {
            hostComposeFiles.push(f);
            continue;
        }
        const doc = (0,dist/* parse */.qg)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(bundle.sourceDir, norm(f)), 'utf8'));
        for (const [name, def] of Object.entries(doc?.services ?? {})) {
            const before = services.get(name);
            const image = typeof def?.image === 'string' ? def.image : before?.image;
            const profiles = Array.isArray(def?.profiles) ? def.profiles.map(String) : (before?.profiles ?? []);
            services.set(name, {
                ...(image !== undefined ? { image } : {}),
                profiles,
                text: `${before?.text ?? ''}${JSON.stringify(def ?? {})}`,
            });
        }
    }
    const imageVars = [
        ...new Set([...services.values()].flatMap((s) => [...(s.image ?? '').matchAll(VAR)].map((m) => m[1]))),
    ].sort();
    const env = settings.envFiles.map((f) => {
        const path = norm(f);
        if (!files.has(path))
            return undefined;
        const entries = envEntries((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(bundle.sourceDir, path)).toString('latin1'));
        return {
            macs: new Map(entries.map(([k, v]) => [k, key.hmac(v)])),
            raw: new Map(entries.map(([k, v]) => [k, unquote(v)])),
        };
    });
    return {
        services,
        hostComposeFiles,
        imageVars,
        env,
        bundleSums: bundle.files.map((f) => `${bundle.checksums[f]}  ${f}`),
    };
}
function unquote(v) {
    if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
        return v.slice(1, -1);
    return v;
}
/** The new compose files' image references (interpolated), the refs to look up on the host. */
function resolveImages(side, lookup) {
    const out = new Map();
    for (const [name, s] of side.services) {
        if (s.image === undefined) {
            out.set(name, undefined);
            continue;
        }
        const { result, error } = (0,compose_env_lib/* substitute */.V2)(s.image, lookup);
        out.set(name, error || result === '' ? undefined : result);
    }
    return out;
}
/** The env lookups before and after: host files, with the bundle's copies where the run writes them. */
function envSides(settings, side, reading) {
    const rules = preserveRules(settings.preserve);
    const before = new Map();
    const after = new Map();
    const varsBefore = new Map();
    const varsAfter = new Map();
    const unknown = new Set();
    const files = [];
    settings.envFiles.forEach((f, i) => {
        const host = reading.envFiles[i];
        const bundled = side.env[i];
        for (const [k, v] of host?.keys ?? [])
            before.set(k, v);
        for (const [k, v] of reading.imageVars[i] ?? [])
            varsBefore.set(k, v);
        // As activate does: a preserved file the host has stays the host's.
        const fromBundle = bundled !== undefined && !(rules.matches(norm(f)) && host?.present === true);
        if (fromBundle) {
            for (const [k, v] of bundled.macs)
                after.set(k, v);
            for (const [k, v] of bundled.raw) {
                varsAfter.set(k, v);
                if (v === PLAN_UNKNOWN_VALUE)
                    unknown.add(k);
                else
                    unknown.delete(k);
            }
        }
        else {
            for (const [k, v] of host?.keys ?? []) {
                after.set(k, v);
                unknown.delete(k);
            }
            for (const [k, v] of reading.imageVars[i] ?? [])
                varsAfter.set(k, v);
        }
        files.push({ path: f, from: fromBundle ? 'bundle' : host?.present ? 'host' : 'missing' });
    });
    return {
        before,
        after,
        unknown,
        files,
        imageBefore: (n) => varsBefore.get(n),
        imageAfter: (n) => varsAfter.get(n),
    };
}
/** The image a reference names on the host, if it is there. */
function findImage(images, ref) {
    const at = ref.indexOf('@');
    if (at >= 0) {
        const digest = ref.slice(at + 1);
        const repo = ref.slice(0, at);
        return images.find((i) => i.digests.some((d) => d === `${repo}@${digest}`));
    }
    const lastSlash = ref.lastIndexOf('/');
    const tagged = ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
    const candidates = [tagged, `docker.io/library/${tagged}`, `docker.io/${tagged}`];
    return images.find((i) => i.tags.some((t) => candidates.includes(t)));
}
function digestOf(image, ref) {
    const pinned = /@(sha256:[0-9a-f]{64})$/.exec(ref)?.[1];
    if (pinned)
        return pinned;
    if (!image)
        return undefined;
    const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.replace(/:[^/:]+$/, '');
    const fromRepo = image.digests.find((d) => d.startsWith(`${repo}@`)) ?? image.digests[0];
    return fromRepo ? fromRepo.slice(fromRepo.indexOf('@') + 1) : image.id;
}
/** The plan for one host, from what was read: pure, so it is unit-tested without a host. */
function computePlan({ host, settings: s, bundle, side, reading }) {
    const problems = [];
    const notes = [];
    let state = reading.state;
    try {
        state = chooseCompose(s, reading.state, host);
    }
    catch (error) {
        problems.push((0,lib/* errorMessage */.gJ)(error));
    }
    try {
        checkCurrentRecord(s, state, host);
    }
    catch (error) {
        problems.push((0,lib/* errorMessage */.gJ)(error));
    }
    const target = s.origin.id;
    const steps = planRollout({
        settings: s,
        state,
        bundle,
        target,
        ...(state.current ? { previous: state.current } : {}),
    });
    const has = (name) => steps.some((st) => st.name === name);
    const compose = s.strategy === 'compose';
    // env: names only; "changed" by HMAC
    const env = envSides(s, side, reading);
    const compared = compareEnv(env.before, env.after);
    const known = (k) => !env.unknown.has(k);
    const envChanges = {
        added: compared.added.filter(known),
        removed: compared.removed,
        changed: compared.changed.filter(known),
        unchanged: compared.unchanged - [...env.unknown].filter((k) => env.before.get(k) === env.after.get(k)).length,
        unknown: [...env.unknown].sort(),
    };
    const envTouched = new Set([...envChanges.added, ...envChanges.removed, ...envChanges.changed]);
    // images: new from the bundle's compose files, old from the running containers
    const newRefs = resolveImages(side, env.imageAfter);
    const oldRefs = resolveImages(side, env.imageBefore);
    const running = serviceContainers(reading);
    const oldByService = new Map();
    for (const c of running)
        if (!oldByService.has(c.service) || c.status === 'running')
            oldByService.set(c.service, c);
    const imageById = (id) => reading.images.find((i) => i.id === id);
    const active = (name) => {
        const svc = side.services.get(name);
        return svc !== undefined && svc.profiles.length === 0 && name !== s.migrateService;
    };
    const touched = (name) => s.services.length === 0 || s.services.includes(name);
    const services = [];
    const toPull = [];
    let pullBytes = 0;
    let pullUnknown = false;
    const names = [...new Set([...side.services.keys(), ...oldByService.keys()])].sort();
    for (const name of names) {
        if (name === s.migrateService)
            continue;
        const old = oldByService.get(name);
        const svc = side.services.get(name);
        const oldImage = old
            ? { image: old.ref, ...withDigest(digestOf(imageById(old.imageId), old.ref)) }
            : undefined;
        if (!svc) {
            services.push({
                service: name,
                change: compose && has('up') ? 'removed' : 'unchanged',
                ...(oldImage ? { old: oldImage } : {}),
                restarts: false,
                ...(compose && has('up') ? { why: 'not in the new compose files: removed by --remove-orphans' } : {}),
            });
            continue;
        }
        if (!active(name) && !old)
            continue;
        const ref = newRefs.get(name);
        const found = ref ? findImage(reading.images, ref) : undefined;
        const newImage = ref
            ? { image: ref, ...withDigest(digestOf(found, ref)) }
            : undefined;
        if (ref && !found && (s.pull || !s.build) && touched(name)) {
            toPull.push(ref);
            const size = old ? imageById(old.imageId)?.size : undefined;
            if (size)
                pullBytes += size;
            else
                pullUnknown = true;
        }
        let change;
        let why;
        if (!old) {
            change = 'added';
            why = 'new service';
        }
        else if (!ref) {
            change = 'unknown';
            why =
                svc.image === undefined ? 'no image: (built)' : `its image (${svc.image}) could not be resolved here`;
        }
        else if (found) {
            change = found.id === old.imageId ? 'unchanged' : 'changed';
        }
        else if (newImage?.digest && oldImage?.digest) {
            change = newImage.digest === oldImage.digest ? 'unchanged' : 'changed';
        }
        else {
            change = 'changed';
            why = `${ref} is not on the host: pulled`;
        }
        if (change === 'changed' && !why)
            why = 'image changed';
        const envReason = [...envTouched].filter((k) => new RegExp(`\\$\\{?${k}\\b`).test(svc.text));
        const restarts = compose &&
            has('up') &&
            touched(name) &&
            active(name) &&
            (change === 'added' || change === 'changed' || change === 'unknown' || envReason.length > 0);
        if (restarts && change === 'unchanged' && envReason.length)
            why = `env: ${envReason.join(', ')}`;
        services.push({
            service: name,
            change,
            ...(oldImage ? { old: oldImage } : {}),
            ...(newImage ? { new: newImage } : {}),
            restarts,
            ...(why ? { why } : {}),
        });
    }
    if (side.hostComposeFiles.length)
        notes.push(`compose file(s) only the host has are not read by the plan: ${side.hostComposeFiles.join(', ')}`);
    if (s.composeFiles.length === 0 && state.hasOverride)
        notes.push("the host's docker-compose.override.yml also applies; the plan does not read it");
    // migrations
    let migrations = { runs: has('migrate') };
    if (s.migrateService) {
        const n = newRefs.get(s.migrateService);
        const o = oldRefs.get(s.migrateService);
        const nf = n ? findImage(reading.images, n) : undefined;
        const of = o ? findImage(reading.images, o) : undefined;
        const imageChanged = n && o ? (nf && of ? nf.id !== of.id : n !== o) : undefined;
        migrations = {
            runs: has('migrate'),
            service: s.migrateService,
            ...(imageChanged !== undefined ? { imageChanged } : {}),
        };
        if (n && !nf && has('pull'))
            toPull.push(n);
    }
    // files, by the rule activate follows
    const rules = preserveRules(s.preserve);
    const legacy = state.ownedLegacy ? preserveRules(DEFAULT_PRESERVE) : undefined;
    const bundleFiles = new Set(bundle.files);
    const files = {
        shipped: 0,
        added: [],
        changed: [],
        unchanged: 0,
        removed: [],
        keptChanged: [],
        preservedSkipped: [],
    };
    if (has('ship')) {
        files.shipped = bundle.files.length;
        for (const b of reading.bundle) {
            if (rules.matches(b.path) && b.state !== 'new') {
                if (b.state === 'changed')
                    files.preservedSkipped.push(b.path);
                else
                    files.unchanged++;
                continue;
            }
            if (b.state === 'new')
                files.added.push(b.path);
            else if (b.state === 'changed')
                files.changed.push(b.path);
            else
                files.unchanged++;
        }
        for (const w of reading.written) {
            if (bundleFiles.has(w.path) || w.state === 'missing')
                continue;
            if (rules.matches(w.path) || legacy?.matches(w.path))
                continue;
            if (w.state === 'same')
                files.removed.push(w.path);
            else
                files.keptChanged.push(w.path);
        }
    }
    // host problems
    const lock = reading.lock
        ? {
            by: reading.lock.text,
            ageSeconds: reading.lock.ageSeconds,
            ...(reading.lock.owner?.startedAt ? { since: reading.lock.owner.startedAt } : {}),
            stale: reading.lock.stale,
        }
        : undefined;
    if (lock)
        problems.push(`the host lock is held by ${lock.by}${lock.stale ? ' (stale)' : ''}: the deploy would wait up to lock-timeout (${(0,lib/* formatDuration */.a3)(s.lockTimeoutMs)})`);
    const estimate = pullUnknown && pullBytes === 0 ? undefined : pullBytes;
    if (reading.diskFreeBytes !== undefined) {
        if (estimate !== undefined && toPull.length && reading.diskFreeBytes < estimate)
            problems.push(`free disk under ${s.remoteDir}: ${mib(reading.diskFreeBytes)}, less than the ~${mib(estimate)} of images to pull (estimated from the images they replace)`);
        else if (reading.diskFreeBytes < 1024 ** 3)
            problems.push(`free disk under ${s.remoteDir}: ${mib(reading.diskFreeBytes)} (under 1 GiB)`);
    }
    if (reading.dockerError)
        problems.push(`docker: ${reading.dockerError}`);
    const drift = computeDrift(host, reading);
    const driftItems = drift.items.filter((i) => i.kind !== 'lock' && i.kind !== 'record');
    if (driftItems.length)
        problems.push(`drift: ${driftItems.length} difference(s) from release ${state.current ?? '?'} (see drift)`);
    const restarts = services.filter((x) => x.restarts).map((x) => x.service);
    return {
        host,
        release: target,
        ...(state.current ? { current: state.current } : {}),
        strategy: s.rolling ? 'rolling' : s.strategy,
        compose: {
            ...(state.compose && compose ? { flavour: state.compose } : {}),
            available: state.composeAvailable,
        },
        steps: steps.map((st) => st.name),
        stepLines: describePlan(steps, state.current),
        services,
        restarts,
        env: { ...envChanges, files: env.files },
        migrations,
        files,
        images: {
            toPull: [...new Set(toPull)],
            ...(estimate !== undefined ? { pullBytesEstimate: estimate } : {}),
        },
        ...(reading.diskFreeBytes !== undefined ? { diskFreeBytes: reading.diskFreeBytes } : {}),
        ...(lock ? { lock } : {}),
        problems,
        notes,
        drift,
    };
}
function withDigest(digest) {
    return digest ? { digest } : {};
}
function mib(bytes) {
    return bytes >= 1024 ** 3
        ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
        : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
/** Plans every host, `parallel` at a time: one connection and one exec each. */
async function planHosts(o) {
    const key = newRunKey();
    const side = readBundleSide(o.settings, o.bundle, key);
    return readEachHost(o, { imageVars: side.imageVars, imageRefs: imageRefsToLookUp(side), bundleSums: side.bundleSums, key }, ({ host, settings, reading }) => {
        const plan = computePlan({ host, settings, bundle: o.bundle, side, reading });
        o.log.info(`[${host}] plan: ${planHeadline(plan)}`);
        return plan;
    }, failedPlan);
}
/** The refs the new images could have, for the host to look up: those the bundle's own env files give. */
function imageRefsToLookUp(side) {
    const lookup = (n) => {
        let v;
        for (const e of side.env)
            v = e?.raw.get(n) ?? v;
        return v;
    };
    return [...new Set([...resolveImages(side, lookup).values()].filter((r) => r !== undefined))];
}
function failedPlan(host, settings, error) {
    const message = (0,lib/* errorMessage */.gJ)(error);
    return {
        host,
        release: settings.origin.id,
        strategy: settings.rolling ? 'rolling' : settings.strategy,
        compose: { available: [] },
        steps: [],
        stepLines: [],
        services: [],
        restarts: [],
        env: { added: [], removed: [], changed: [], unchanged: 0, unknown: [], files: [] },
        migrations: { runs: false },
        files: {
            shipped: 0,
            added: [],
            changed: [],
            unchanged: 0,
            removed: [],
            keptChanged: [],
            preservedSkipped: [],
        },
        images: { toPull: [] },
        problems: [message],
        notes: [],
        drift: { host, clean: true, items: [] },
        error: message,
        errorCode: (0,lib/* isUserError */.iU)(error) ? error.code : 'internal',
    };
}
function planHeadline(p) {
    if (p.error)
        return `could not plan: ${p.error.split('\n')[0]}`;
    const changed = p.services.filter((x) => x.change !== 'unchanged').map((x) => `${x.service} ${x.change}`);
    return [
        `${p.current ?? 'no release'} → ${p.release}`,
        changed.length ? changed.join(', ') : 'no service changes',
        `env +${p.env.added.length} -${p.env.removed.length} ~${p.env.changed.length}`,
        p.restarts.length ? `restarts ${p.restarts.join(', ')}` : 'no restarts',
        p.problems.length ? `${p.problems.length} problem(s)` : '',
    ]
        .filter(Boolean)
        .join('; ');
}
//# sourceMappingURL=plan.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/inventory.js


/**
 * Lists every release directory (`*` skips .lock and .incoming-*); per release one `release=`
 * line, then its record, status and images. Args: remote-dir.
 */
const LIST_RELEASES_SCRIPT = `
REL="$1/.releases"
[ -f "$REL/current" ] && printf 'current=%s\\n' "$(head -n 1 "$REL/current")"
[ -d "$REL" ] || exit 0
for d in "$REL"/*/; do
  [ -f "$d/release.json" ] || continue
  printf 'release=%s\\n' "$(basename "$d")"
  printf 'record=%s\\n' "$(head -c 65536 "$d/release.json" | tr -d '\\n')"
  [ -f "$d/status" ] && printf 'status=%s\\n' "$(head -n 1 "$d/status")"
  if [ -f "$d/images" ]; then while IFS= read -r l; do printf 'image=%s\\n' "$l"; done < "$d/images"; fi
done
exit 0
`;
function parseReleases(stdout) {
    let current;
    const releases = [];
    let last;
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        if (key === 'current')
            current = value.trim() || undefined;
        else if (key === 'release') {
            last = { id: value.trim(), images: [], current: false };
            releases.push(last);
        }
        else if (!last)
            continue;
        else if (key === 'status' && value.trim() !== '')
            last.status = value.trim();
        else if (key === 'image' && value.trim() !== '')
            last.images.push(value.trim());
        else if (key === 'record') {
            let record = {};
            try {
                record = JSON.parse(value);
            }
            catch {
                // A damaged record still lists the release; its fields stay unknown.
            }
            for (const field of ['createdAt', 'actor', 'commit', 'repository', 'run', 'runUrl']) {
                const v = record[field];
                if (typeof v === 'string' && v !== '')
                    last[field] = v;
            }
        }
    }
    for (const r of releases)
        r.current = r.id === current;
    releases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { ...(current ? { current } : {}), releases };
}
async function listReleases(conn, remoteDir) {
    const result = await conn.exec(['sh', '-c', LIST_RELEASES_SCRIPT, 'sh', remoteDir]);
    if (result.code !== 0)
        throw new Error(`listing releases failed (exit ${result.code}): ${result.stderr.trim()}`);
    return parseReleases(result.stdout);
}
/** Args: lock dir. Prints `free`, or `held`, `lock-age=<s>` on stderr and the owner record. */
const LOCK_STATUS_SCRIPT = `
L=$1
[ -d "$L" ] || { echo free; exit 0; }
now=$(date +%s); made=$(stat -c %Y "$L" 2>/dev/null || echo "$now")
echo "lock-age=$((now - made))" >&2
echo held
cat "$L/owner.json" 2>/dev/null | tr -d '\\n'
exit 0
`;
async function readLockStatus(conn, remoteDir) {
    const lockDir = releasePaths(remoteDir).lock;
    const result = await conn.exec(['sh', '-c', LOCK_STATUS_SCRIPT, 'sh', lockDir]);
    const [first, ...rest] = result.stdout.split('\n');
    if (first?.trim() !== 'held')
        return { held: false, lockDir, stale: false };
    const raw = rest.join('\n').trim() || '{}';
    const described = describeOwner(raw, result.stderr);
    let owner;
    try {
        const parsed = JSON.parse(raw);
        if (parsed.run)
            owner = parsed;
    }
    catch {
        owner = undefined;
    }
    return { held: true, lockDir, holder: described.text, stale: described.stale, ...(owner ? { owner } : {}) };
}
/**
 * Removes the lock `status` describes, only if it is still that one: the same owner token,
 * or (for an owner-less lock) still without an owner record. A lock another deploy took in
 * the meantime is left alone. Args: lock dir, token ('' for owner-less).
 */
const FORCE_UNLOCK_SCRIPT = `
L=$1
[ -d "$L" ] || exit 0
if [ -n "$2" ]; then
  [ -f "$L/owner.json" ] && grep -qF -- "\\"token\\":\\"$2\\"" "$L/owner.json" && rm -rf "$L" && echo released
else
  [ ! -f "$L/owner.json" ] && rm -rf "$L" && echo released
fi
exit 0
`;
/** True when the lock described by `status` was removed. */
async function breakHostLock(conn, status) {
    if (!status.held)
        return false;
    const result = await conn.exec([
        'sh',
        '-c',
        FORCE_UNLOCK_SCRIPT,
        'sh',
        status.lockDir,
        status.owner?.token ?? '',
    ]);
    return result.stdout.includes('released');
}
//# sourceMappingURL=inventory.js.map
;// CONCATENATED MODULE: ./packages/deploy/lib/index.js




















//# sourceMappingURL=index.js.map

/***/ })

};
