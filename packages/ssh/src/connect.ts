import type { Duplex, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, UserError, type Logger } from '@deploy-actions/action-kit';
import type { NodeSSH, Config } from 'node-ssh';
import type { Client, ClientChannel } from 'ssh2';
import { knownKeyTypes, parseKnownHosts, verifyHostKey, type HostKeyVerdict } from './host-keys.js';
import { buildRemoteScript } from './quote.js';
import type {
  ExecOptions,
  ExecResult,
  SshConnection,
  SshConnectionSettings,
  SshHostKeyPolicy,
  SshTarget,
} from './types.js';

/** Network failures worth another attempt; anything else (auth, host key) will not get better by retrying. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
const FIRST_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 4000;

export function describeTarget(target: SshTarget): string {
  return target.port === 22 ? target.host : `${target.host}:${target.port}`;
}

class HostKeyRejected extends UserError {
  constructor(target: SshTarget, verdict: HostKeyVerdict, role: 'host' | 'bastion') {
    super(
      'host-key-mismatch',
      `The ${role} ${describeTarget(target)} presented the ${verdict.keyType} key ${verdict.fingerprint}, which is not trusted: ${verdict.reason}. ` +
        "Nothing was sent. If the key is genuinely the host's (check on the host with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`), " +
        `add it to ${role === 'host' ? 'host-fingerprint' : 'proxy-host-fingerprint'} or known-hosts.`,
    );
  }
}

interface Attempt {
  ssh: NodeSSH;
  /** Set by the host verifier when it refused the key. */
  rejected?: HostKeyRejected;
}

function baseConfig(
  target: SshTarget,
  username: string,
  privateKey: string | undefined,
  passphrase: string | undefined,
  policy: SshHostKeyPolicy,
  role: 'host' | 'bastion',
  attempt: Attempt,
  log: Logger,
  readyTimeout: number,
): Config {
  const config: Config = {
    host: target.host,
    port: target.port,
    username,
    readyTimeout,
    // Dead peers (a dropped link mid-upload) are noticed within ~30s instead of never.
    keepaliveInterval: 10_000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      const verdict = verifyHostKey(key, target, policy);
      if (!verdict.accepted) {
        attempt.rejected = new HostKeyRejected(target, verdict, role);
        return false;
      }
      if (policy.insecureIgnore && verdict.reason.startsWith('not verified')) {
        log.warning(
          `NOT verifying the ${role} key of ${describeTarget(target)} (${verdict.keyType} ${verdict.fingerprint}) because insecure-ignore-host-key is set: ` +
            'anyone on the network path could impersonate this host and receive your bundle and secrets. Pin it with host-fingerprint.',
        );
      } else {
        log.debug(`${role} ${describeTarget(target)} key ${verdict.fingerprint} ${verdict.reason}`);
      }
      return true;
    },
  };
  if (privateKey !== undefined) config.privateKey = privateKey;
  if (passphrase !== undefined) config.passphrase = passphrase;
  if (privateKey === undefined && process.env['SSH_AUTH_SOCK']) config.agent = process.env['SSH_AUTH_SOCK'];
  // Ask for a key type known_hosts lists, as OpenSSH does, so a host with several keys presents the pinned one.
  if (policy.knownHosts && policy.fingerprints.length === 0) {
    const types = knownKeyTypes(parseKnownHosts(policy.knownHosts), target);
    if (types.length > 0)
      config.algorithms = {
        serverHostKey: types as NonNullable<NonNullable<Config['algorithms']>['serverHostKey']>,
      };
  }
  return config;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof UserError) return false;
  const e = error as { code?: string; level?: string; message?: string };
  if (e.code && RETRYABLE_CODES.has(e.code)) return true;
  if (e.level === 'client-timeout') return true;
  return /timed out while waiting for handshake|connection lost before handshake|socket hang up/i.test(
    e.message ?? '',
  );
}

function classifyFailure(
  error: unknown,
  target: SshTarget,
  role: 'host' | 'bastion',
  username: string,
): UserError {
  if (error instanceof UserError) return error;
  const e = error as { code?: string; level?: string; message?: string };
  const where = `${role} ${describeTarget(target)}`;
  if (e.level === 'client-authentication' || /authentication methods failed/i.test(e.message ?? '')) {
    return new UserError(
      'ssh-auth',
      `The ${where} refused the key for user '${username}'. Check that the public key is in ~${username}/.ssh/authorized_keys there.`,
    );
  }
  return new UserError('ssh-connect', `Could not connect to the ${where}: ${e.message ?? String(error)}.`, {
    cause: error,
  });
}

/**
 * node-ssh (and ssh2 under it) is loaded on the first connection, not at start-up:
 * evaluating it costs tens of milliseconds that a step rejecting its inputs, or
 * wait-ready probing without SSH, should not pay. ncc puts it in its own chunk.
 */
function loadNodeSsh(): Promise<typeof import('node-ssh')> {
  return import('node-ssh');
}

/**
 * node-ssh's connect with TCP_NODELAY from the first packet: the SSH handshake is several
 * round trips of small packets, and so is every exec and chained step afterwards; with
 * Nagle's algorithm on, each small write waited for the host's delayed ACK (~40 ms: an exec of
 * `true` took ~88 ms on the lab, ~4 ms with it off). Used for the host and the bastion alike.
 * node-ssh creates ssh2's client, and ssh2 its socket, synchronously.
 */
function connectNoDelay(ssh: NodeSSH, config: Config): Promise<unknown> {
  const connecting = ssh.connect(config);
  ssh.connection?.setNoDelay(true);
  return connecting;
}

async function openOnce(
  target: SshTarget,
  settings: SshConnectionSettings,
  log: Logger,
  remainingMs: number,
): Promise<{ ssh: NodeSSH; bastion?: NodeSSH }> {
  const { NodeSSH } = await loadNodeSsh();
  let bastion: NodeSSH | undefined;
  let sock: Duplex | undefined;
  const proxy = settings.proxy;
  if (proxy) {
    const attempt: Attempt = { ssh: new NodeSSH() };
    try {
      await connectNoDelay(
        attempt.ssh,
        baseConfig(
          proxy.target,
          proxy.username,
          proxy.privateKey,
          proxy.passphrase,
          proxy.hostKey,
          'bastion',
          attempt,
          log,
          remainingMs,
        ),
      );
    } catch (error) {
      attempt.ssh.dispose();
      throw (
        attempt.rejected ??
        (isRetryable(error) ? error : classifyFailure(error, proxy.target, 'bastion', proxy.username))
      );
    }
    bastion = attempt.ssh;
    try {
      sock = await bastion.forwardOut('127.0.0.1', 0, target.host, target.port);
    } catch (error) {
      bastion.dispose();
      // A refused channel usually means the target's sshd is not up yet, as seen from the bastion.
      throw Object.assign(
        new Error(`the bastion could not reach ${describeTarget(target)}: ${errorMessage(error)}`),
        { code: 'ECONNREFUSED' },
      );
    }
  }
  const attempt: Attempt = { ssh: new NodeSSH() };
  const config = baseConfig(
    target,
    settings.username,
    settings.privateKey,
    settings.passphrase,
    settings.hostKey,
    'host',
    attempt,
    log,
    remainingMs,
  );
  if (sock) config.sock = sock as unknown as Config['sock'];
  try {
    await connectNoDelay(attempt.ssh, config);
  } catch (error) {
    attempt.ssh.dispose();
    bastion?.dispose();
    throw (
      attempt.rejected ??
      (isRetryable(error) ? error : classifyFailure(error, target, 'host', settings.username))
    );
  }
  return { ssh: attempt.ssh, ...(bastion ? { bastion } : {}) };
}

/**
 * Opens one SSH connection (through the bastion when `proxy` is set), with the
 * host key verified before anything is sent. Network failures are retried with
 * backoff until `connectTimeoutMs` has passed; auth and host-key failures are not.
 */
export async function connectSsh(
  target: SshTarget,
  settings: SshConnectionSettings,
  log: Logger,
): Promise<SshConnection> {
  const deadline = Date.now() + settings.connectTimeoutMs;
  let delay = FIRST_RETRY_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    try {
      const opened = await openOnce(target, settings, log, Math.max(remaining, 1000));
      log.debug(`connected to ${describeTarget(target)} as ${settings.username} (attempt ${attempt})`);
      return new RemoteConnection(target, opened.ssh, opened.bastion);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (Date.now() + delay >= deadline) {
        throw new UserError(
          'ssh-connect',
          `Could not connect to ${describeTarget(target)}${settings.proxy ? ` through the bastion ${describeTarget(settings.proxy.target)}` : ''} ` +
            `within connect-timeout (${attempt} attempts): ${errorMessage(error)}.`,
          { cause: error },
        );
      }
      log.info(
        `Connecting to ${describeTarget(target)} failed (${errorMessage(error)}); retrying in ${delay}ms.`,
      );
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }
}

/** Splits a stream of chunks into lines for `onOutput`, keeping the unfinished tail. */
export class LineSplitter {
  private tail = '';
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.tail + chunk;
    const lines = text.split(/\r?\n/);
    this.tail = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }
  flush(): void {
    if (this.tail !== '') this.emit(this.tail);
    this.tail = '';
  }
}

/** An `onOutput` for one stream: each line with the stream's name. */
export function streamLines(
  onOutput: ExecOptions['onOutput'],
  stream: 'stdout' | 'stderr',
): ((line: string) => void) | undefined {
  return onOutput ? (line) => onOutput(line, stream) : undefined;
}

/**
 * One output stream of a command: bytes decoded as UTF-8 across chunk boundaries (a character
 * split between two packets is decoded whole), the whole text, and `onOutput` lines when asked.
 */
export class StreamText {
  text = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines: LineSplitter | undefined;
  constructor(onOutput?: (line: string) => void) {
    this.lines = onOutput ? new LineSplitter(onOutput) : undefined;
  }
  push(chunk: Buffer): void {
    this.add(this.decoder.write(chunk));
  }
  /** The stream ended: the decoder's tail, then the last unfinished line. */
  end(): string {
    this.add(this.decoder.end());
    this.lines?.flush();
    return this.text;
  }
  private add(text: string): void {
    this.text += text;
    this.lines?.push(text);
  }
}

class RemoteConnection implements SshConnection {
  private closed = false;
  private lostReason: string | undefined;
  /** Held here because node-ssh forgets its client as soon as the connection closes. */
  private readonly client: Client;

  constructor(
    readonly target: SshTarget,
    private readonly ssh: NodeSSH,
    private readonly bastion: NodeSSH | undefined,
  ) {
    if (!ssh.connection) throw new Error('SSH connection is not open');
    const client = ssh.connection;
    this.client = client;
    client.on('close', () => {
      if (!this.closed) this.lostReason = 'the connection closed';
    });
    client.on('error', (error: Error) => {
      this.lostReason = error.message;
    });
  }

  exec(command: readonly string[] | string, options: ExecOptions = {}): Promise<ExecResult> {
    const script = buildRemoteScript(command, options);
    const where = describeTarget(this.target);
    return new Promise((resolve, reject) => {
      if (this.lostReason || this.closed) {
        reject(
          new UserError(
            'ssh-connection-lost',
            `The connection to ${where} was lost (${this.lostReason ?? 'it was closed'}).`,
          ),
        );
        return;
      }
      this.client.exec(script, (error: Error | undefined, channel: ClientChannel) => {
        if (error) {
          reject(
            new UserError('ssh-connection-lost', `Could not run a command on ${where}: ${error.message}.`),
          );
          return;
        }
        let code: number | undefined;
        let signal: string | undefined;
        const out = new StreamText(streamLines(options.onOutput, 'stdout'));
        const err = new StreamText(streamLines(options.onOutput, 'stderr'));
        channel.on('data', (d: Buffer) => out.push(d));
        channel.stderr.on('data', (d: Buffer) => err.push(d));
        // A write to a channel the remote side already closed (the command exited while
        // stdin was still streaming) must fail this exec, not crash the process.
        channel.on('error', (channelError: Error) => {
          reject(
            new UserError(
              'ssh-connection-lost',
              `${where}: the command's channel failed: ${channelError.message}.`,
            ),
          );
        });
        channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
          if (exitCode !== null && exitCode !== undefined) code = exitCode;
          if (exitSignal) signal = exitSignal;
        });
        const onLost = (): void => {
          reject(
            new UserError(
              'ssh-connection-lost',
              `The connection to ${where} was lost while a command was running (${this.lostReason ?? 'closed'}).`,
            ),
          );
        };
        this.client.once('close', onLost);
        channel.on('close', () => {
          this.client.removeListener('close', onLost);
          const stdout = out.end();
          const stderr = err.end();
          if (code === undefined && signal === undefined) {
            onLost();
            return;
          }
          resolve({ code: code ?? 128, stdout, stderr });
        });
        const stdin = options.stdin;
        if (stdin === undefined) channel.end();
        else if (typeof stdin === 'string') channel.end(stdin);
        else {
          const source = stdin as Readable;
          source.on('error', (streamError: Error) => {
            channel.destroy();
            reject(streamError);
          });
          source.pipe(channel);
        }
      });
    });
  }

  forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut(
        '127.0.0.1',
        0,
        host,
        port,
        (error: Error | undefined, channel: ClientChannel) => {
          if (error)
            reject(
              new Error(`${describeTarget(this.target)} could not open ${host}:${port}: ${error.message}`),
            );
          else resolve(channel);
        },
      );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ssh.dispose();
    this.bastion?.dispose();
  }
}
