import type { Duplex } from 'node:stream';

export interface SshTarget {
  host: string;
  port: number;
}

/** A fingerprint pinned to one host (`host=SHA256:...`), or to one host and port (`host:port=SHA256:...`). */
export interface PinnedFingerprint {
  host: string;
  /** Absent: any port of that host. */
  port?: number;
  fingerprint: string;
}

export interface SshHostKeyPolicy {
  /** `SHA256:...` fingerprints, any of which is accepted for any host. */
  fingerprints: string[];
  /** Fingerprints accepted only for the host (and port) they name. */
  pinned?: PinnedFingerprint[];
  /** known_hosts text (already read when a path was given). */
  knownHosts?: string;
  /**
   * Accept a host's key unverified when nothing is expected for that host. Never
   * overrides an expected key (host-fingerprint, pinned or not, or known-hosts) that differs.
   */
  insecureIgnore: boolean;
}

export interface SshProxySettings {
  target: SshTarget;
  username: string;
  privateKey?: string;
  passphrase?: string;
  hostKey: SshHostKeyPolicy;
}

export interface SshConnectionSettings {
  username: string;
  privateKey?: string;
  passphrase?: string;
  hostKey: SshHostKeyPolicy;
  proxy?: SshProxySettings;
  /** Total time for connecting, retries included. */
  connectTimeoutMs: number;
}

export interface ExecOptions {
  stdin?: NodeJS.ReadableStream | string;
  cwd?: string;
  env?: Record<string, string>;
  /** Called with every complete line of stdout and stderr as it arrives, and which stream it came on. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SshConnection {
  readonly target: SshTarget;
  /** argv is quoted for the remote shell; a string is run as-is (only for user-provided hooks). */
  exec(command: readonly string[] | string, options?: ExecOptions): Promise<ExecResult>;
  /** A TCP stream opened from the remote host (direct-tcpip), e.g. to probe 127.0.0.1:8080 there. */
  forwardOut(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}
