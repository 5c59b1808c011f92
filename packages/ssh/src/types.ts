import type { Duplex } from 'node:stream';

export interface SshTarget {
  host: string;
  port: number;
}

export interface SshHostKeyPolicy {
  /** `SHA256:...` fingerprints, any of which is accepted. */
  fingerprints: string[];
  /** known_hosts text (already read when a path was given). */
  knownHosts?: string;
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
  /** Called with every complete line of stdout and stderr as it arrives. */
  onOutput?: (line: string) => void;
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
