import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A git command's standard output, as it comes, and how it ended. */
export interface GitOutput {
  stdout: Readable;
  /**
   * Exit code (-1 when git could not be started) and the end of what it wrote to stderr;
   * settles after the last of stdout was handed over.
   */
  exited: Promise<{ code: number; stderr: string }>;
  /** Stops git (the caller has read enough). */
  stop(): void;
}

/** Runs git (`input` on its stdin, if any) and streams its standard output. */
export function gitOutput(cwd: string, args: readonly string[], input?: string): GitOutput {
  const child = spawn('git', args, {
    cwd,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // git flushes its output after every commit when it is not a file; buffered, it
    // writes a third fewer, fuller blocks (less system time on both sides of the pipe).
    env: { ...process.env, GIT_FLUSH: '0' },
  });
  if (input !== undefined) {
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(input);
  }
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number; stderr: string }>((resolve) => {
    let failed: Error | undefined;
    child.on('error', (error) => (failed = error));
    child.on('close', (code) =>
      resolve(failed ? { code: -1, stderr: failed.message } : { code: code ?? 1, stderr }),
    );
  });
  return { stdout: child.stdout!, exited, stop: () => child.kill() };
}

/**
 * Two gits reading one range from both ends at once: A prints `git log -p` newest first
 * (`forwardArgs`), B oldest first (`reverseArgs`: the same with `--reverse`), each to its
 * own callback as it comes. No listing of the range is waited for: both start diffing at
 * once, one core each. The caller stops each one (stopA / stopB) where it meets what the
 * other already read; once either git has printed its whole log, the other is stopped too.
 */
export interface BothEnds {
  stopA(): void;
  stopB(): void;
  /** Stops both gits (the caller has read enough). */
  stop(): void;
  /**
   * Settles once both gits have closed, with the exit code (-1: git could not be started)
   * and the end of the stderr of a git that failed on its own (A's first); 0 otherwise.
   */
  done: Promise<{ code: number; stderr: string }>;
}

export function readBothEnds(
  cwd: string,
  forwardArgs: readonly string[],
  reverseArgs: readonly string[],
  onA: (chunk: Buffer) => void,
  onB: (chunk: Buffer) => void,
): BothEnds {
  /** One git; `stopped`: stopped by the caller, so its exit code does not count. */
  interface Reader {
    git: GitOutput;
    closed: boolean;
    stopped: boolean;
    code: number;
    stderr: string;
  }
  let settle!: (result: { code: number; stderr: string }) => void;
  const done = new Promise<{ code: number; stderr: string }>((resolve) => (settle = resolve));
  const stopOne = (r: Reader): void => {
    // A git that already ended keeps its exit code: a failure counts.
    if (r.stopped || r.closed) return;
    r.stopped = true;
    r.git.stop();
  };
  const closed = (self: Reader, other: Reader): void => {
    // A git that read its whole log has read the other's part too.
    if (!self.stopped && self.code === 0) stopOne(other);
    if (!a.closed || !b.closed) return;
    const failed = [a, b].find((r) => !r.stopped && r.code !== 0);
    settle(failed ? { code: failed.code, stderr: failed.stderr } : { code: 0, stderr: '' });
  };
  const start = (args: readonly string[], onData: (chunk: Buffer) => void): Reader => {
    const reader: Reader = { git: gitOutput(cwd, args), closed: false, stopped: false, code: 0, stderr: '' };
    reader.git.stdout.on('data', (chunk: Buffer) => {
      if (!reader.stopped) onData(chunk);
    });
    void reader.git.exited.then(({ code, stderr }) => {
      reader.closed = true;
      reader.code = code;
      reader.stderr = stderr;
      closed(reader, reader === a ? b : a);
    });
    return reader;
  };
  const a = start(forwardArgs, onA);
  const b = start(reverseArgs, onB);
  return {
    stopA: () => stopOne(a),
    stopB: () => stopOne(b),
    stop: () => {
      stopOne(a);
      stopOne(b);
    },
    done,
  };
}
