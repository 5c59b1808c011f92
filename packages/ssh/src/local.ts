import { spawn } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { StreamText, streamLines } from './connect.js';
import { buildRemoteScript } from './quote.js';
import type { ExecOptions, ExecResult, SshConnection } from './types.js';

/**
 * The same interface as an SSH connection, for `transport: local` (a
 * self-hosted runner on the host itself): commands run through `sh -c` here,
 * and forwardOut is a plain TCP connection. Each command runs in its own
 * process group, and close() ends every group still running (TERM, then KILL),
 * as closing an SSH connection ends the remote session: a timeout or a cancel
 * leaves no copy, compose call or health-cmd behind.
 */
export function localConnection(): SshConnection {
  const running = new Set<number>();
  const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // If the action itself ends (cancelled, killed by its own timeout), its groups end with it.
  const onExit = (): void => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
  };
  process.once('exit', onExit);
  return {
    target: { host: 'localhost', port: 0 },
    exec(command: readonly string[] | string, options: ExecOptions = {}): Promise<ExecResult> {
      const script = buildRemoteScript(command, options);
      return new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        if (child.pid !== undefined) running.add(child.pid);
        const out = new StreamText(streamLines(options.onOutput, 'stdout'));
        const err = new StreamText(streamLines(options.onOutput, 'stderr'));
        child.stdout.on('data', (d: Buffer) => out.push(d));
        child.stderr.on('data', (d: Buffer) => err.push(d));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          if (child.pid !== undefined) running.delete(child.pid);
          resolve({ code: code ?? (signal ? 128 : 1), stdout: out.end(), stderr: err.end() });
        });
        // A command that exits without reading its stdin must not crash the action with EPIPE.
        child.stdin.on('error', () => undefined);
        const stdin = options.stdin;
        if (stdin === undefined) child.stdin.end();
        else if (typeof stdin === 'string') child.stdin.end(stdin);
        else {
          const source = stdin as Readable;
          source.on('error', (error) => {
            child.kill();
            reject(error);
          });
          source.pipe(child.stdin);
        }
      });
    },
    forwardOut(host: string, port: number): Promise<Duplex> {
      return new Promise((resolve, reject) => {
        const socket = connectTcp({ host, port }, () => resolve(socket));
        socket.once('error', reject);
      });
    },
    async close(): Promise<void> {
      process.removeListener('exit', onExit);
      if (running.size === 0) return;
      const groups = [...running];
      for (const pid of groups) signalGroup(pid, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 2000).unref());
      for (const pid of groups) signalGroup(pid, 'SIGKILL');
    },
  };
}
