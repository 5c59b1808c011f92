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
