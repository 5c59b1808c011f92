import { spawn, type ChildProcess } from 'node:child_process';
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
 * The output of `git log -p` of a range, handed to `onChunk` as one git prints it, but
 * diffed by two gits at once: git A reads the whole range from its arguments at once,
 * while `listing` (the range's commits, `rev-list` order) is read; then git B diffs the
 * second half of the list (`--no-walk=unsorted --stdin`, `sliceArgs`) into memory,
 * and A is cut where B's first commit begins (its `\x1ecommit <sha>` header line).
 * One git leaves the second core idle whenever the scan waits for it.
 *
 * The bytes handed over are exactly one git's: A's up to the cut, then B's (`rev-list`
 * and `log` of the same arguments list the commits in the same order). When A ends
 * without reaching the cut, A's output was the whole range and B's is dropped. B's
 * output is read ahead up to `ahead` bytes, then B is paused until A is cut. With
 * `onSecond`, B's output is handed to it as it comes instead (a commit starts a fresh
 * parse, so the second half can be parsed on its own while A is still printing), and
 * `second` in `done` says whether it counts (false: A printed the whole range).
 */
export interface SplitOutput {
  /** Stops the gits and hands nothing more over (the caller has read enough). */
  stop(): void;
  /**
   * Settles once every chunk was handed over (or after stop()), with the failed git's exit
   * code (-1: git could not be started) and the end of its stderr; code 0 when it all went well.
   */
  done: Promise<{ code: number; stderr: string; second: boolean }>;
}

const AHEAD_BYTES = 64 * 1024 * 1024;

interface Reader {
  child: ChildProcess;
  closed: boolean;
  code: number;
  stderr: string;
}

function startGit(
  cwd: string,
  args: readonly string[],
  input: string | undefined,
  onData: (chunk: Buffer) => void,
  onClose: () => void,
): Reader {
  const child = spawn('git', args, {
    cwd,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // git flushes its output after every commit when it is not a file; buffered, it
    // writes a third fewer, fuller blocks (less system time on both sides of the pipe).
    env: { ...process.env, GIT_FLUSH: '0' },
  });
  const reader: Reader = { child, closed: false, code: 0, stderr: '' };
  if (input !== undefined) {
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(input);
  }
  child.stdout!.on('data', onData);
  child.stderr!.on('data', (d: Buffer) => {
    reader.stderr = (reader.stderr + d.toString()).slice(-4000);
  });
  let failed: Error | undefined;
  child.on('error', (error) => (failed = error));
  child.on('close', (code) => {
    reader.closed = true;
    reader.code = failed ? -1 : (code ?? 1);
    if (failed) reader.stderr = failed.message;
    onClose();
  });
  return reader;
}

export function splitGitLog(
  cwd: string,
  wholeArgs: readonly string[],
  sliceArgs: readonly string[],
  listing: Promise<readonly string[] | undefined>,
  minCommits: number,
  onChunk: (chunk: Buffer) => void,
  onSecond?: (chunk: Buffer) => void,
  ahead = AHEAD_BYTES,
): SplitOutput {
  let stopped = false;
  /** A was cut where B begins: what is handed over now is B's. */
  let onB = false;
  let settle!: (result: { code: number; stderr: string; second: boolean }) => void;
  const done = new Promise<{ code: number; stderr: string; second: boolean }>(
    (resolve) => (settle = resolve),
  );
  let result: { code: number; stderr: string } | undefined;
  /** Records the outcome (the first one counts) and settles once every git started has closed. */
  const finish = (r?: { code: number; stderr: string }): void => {
    if (r) result ??= r;
    if (result && a.closed && (!b || b.closed)) settle({ ...result, second: onB });
  };

  // A's side. Until the cut is known, the header lines handed over are counted (an upper
  // bound: every 0x1e byte), so the cut is never at a commit already handed over.
  let headersSeen = 0;
  let marker: Buffer | undefined;
  /** The last bytes of A not handed over yet (shorter than the marker): the marker may span chunks. */
  let held: Buffer | undefined;
  let lastByte = 10;
  const give = (chunk: Buffer): void => {
    if (chunk.length === 0) return;
    lastByte = chunk[chunk.length - 1]!;
    onChunk(chunk);
  };
  /** Where the marker starts at the beginning of a line in `buf`, from `from`, or -1. */
  const findMarker = (buf: Buffer, from: number, before: number): number => {
    for (let at = buf.indexOf(marker!, from); at !== -1; at = buf.indexOf(marker!, at + 1))
      if ((at === 0 ? before : buf[at - 1]) === 10) return at;
    return -1;
  };
  const onA = (chunk: Buffer): void => {
    if (stopped || onB) return;
    if (!marker) {
      for (let i = chunk.indexOf(0x1e); i !== -1; i = chunk.indexOf(0x1e, i + 1)) headersSeen++;
      give(chunk);
      return;
    }
    const keep = marker.length - 1;
    if (held) {
      const window = Buffer.concat([held, chunk.subarray(0, keep)]);
      const at = findMarker(window, 0, lastByte);
      if (at !== -1 && at < held.length) return cut(window.subarray(0, at));
      give(held);
      held = undefined;
    }
    const at = findMarker(chunk, 0, lastByte);
    if (at !== -1) return cut(chunk.subarray(0, at));
    const end = Math.max(0, chunk.length - keep);
    give(chunk.subarray(0, end));
    held = chunk.subarray(end);
  };
  const cut = (last: Buffer): void => {
    give(last);
    if (stopped) return;
    held = undefined;
    onB = true;
    a.child.kill();
    // B's output so far, then B's as it comes.
    const chunks = bChunks;
    bChunks = [];
    bBuffered = 0;
    for (const chunk of chunks) {
      if (stopped) return;
      onChunk(chunk);
    }
    if (stopped) return;
    if (bPaused) {
      bPaused = false;
      b!.child.stdout!.resume();
    }
    if (b!.closed) closeB();
  };
  const a = startGit(cwd, wholeArgs, undefined, onA, () => {
    if (stopped) return finish({ code: 0, stderr: '' });
    if (onB) return finish();
    // A printed the whole range: B's output (if any) is not needed.
    if (held) give(held);
    held = undefined;
    if (b && !b.closed) {
      stopped = true;
      b.child.kill();
    }
    finish({ code: a.code, stderr: a.stderr });
  });

  // B's side: read into memory until A is cut.
  let b: Reader | undefined;
  let bChunks: Buffer[] = [];
  let bBuffered = 0;
  let bPaused = false;
  const closeB = (): void => {
    if (stopped) return finish({ code: 0, stderr: '' });
    if (onB) finish({ code: b!.code, stderr: b!.stderr });
  };
  void listing.then(
    (commits) => {
      if (stopped || a.closed || !commits || commits.length < minCommits) return;
      const at = Math.max(Math.ceil(commits.length / 2), headersSeen + 1);
      if (at >= commits.length) return;
      marker = Buffer.from(`\x1ecommit ${commits[at]}\n`);
      b = startGit(
        cwd,
        sliceArgs,
        `${commits.slice(at).join('\n')}\n`,
        (chunk) => {
          if (stopped) return;
          if (onSecond) return onSecond(chunk);
          if (onB) return onChunk(chunk);
          bChunks.push(chunk);
          bBuffered += chunk.length;
          if (bBuffered > ahead && !bPaused) {
            bPaused = true;
            b!.child.stdout!.pause();
          }
        },
        closeB,
      );
    },
    () => undefined,
  );

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (!a.closed) a.child.kill();
    if (b && !b.closed) b.child.kill();
    finish({ code: 0, stderr: '' });
  };
  return { stop, done };
}
