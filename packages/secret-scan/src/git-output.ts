import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The output of several `git log -p --no-walk=unsorted --stdin` processes, one per
 * slice of a commit list, as one stream in the order of the slices: byte for byte
 * what one `git log -p` of the whole list prints, but up to `readers` gits diff at
 * the same time. Producing the patches is git's work, about as much CPU as scanning
 * them; one git process leaves the second core idle whenever the scan waits for it.
 *
 * The slice being read is handed over as it comes; the slices after it are read
 * into memory meanwhile, up to AHEAD_BYTES in all, beyond which their gits are
 * paused (they then wait, as one git would).
 */
export interface SlicedOutput {
  chunks: AsyncIterable<Buffer>;
  /** Stops every git still running (the caller has read enough). */
  stop(): void;
  /** Settles when every git started has exited. */
  exited: Promise<void>;
}

/** A git that failed: its exit code (-1: it could not be started) and the end of its stderr. */
export class SliceFailure extends Error {
  constructor(
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git exited with ${code}`);
  }
}

const AHEAD_BYTES = 64 * 1024 * 1024;

interface Slice {
  /** The commits git reads from stdin; undefined: the revisions are in `args`. */
  commits: readonly string[] | undefined;
  child?: ChildProcess;
  chunks: Buffer[];
  bytes: number;
  done: boolean;
  code: number;
  stderr: string;
  paused: boolean;
}

export function slicedGitLog(
  cwd: string,
  args: readonly string[],
  slices: readonly (readonly string[] | undefined)[],
  readers: number,
  ahead = AHEAD_BYTES,
): SlicedOutput {
  const exits: Promise<void>[] = [];
  const state: Slice[] = slices.map((commits) => ({
    commits,
    chunks: [],
    bytes: 0,
    done: false,
    code: 0,
    stderr: '',
    paused: false,
  }));
  let current = 0;
  let started = 0;
  let running = 0;
  let buffered = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const start = (i: number): void => {
    const slice = state[i]!;
    const { commits } = slice;
    const child = spawn('git', args, {
      cwd,
      stdio: [commits ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      // git flushes its output after every commit when it is not a file; buffered, it
      // writes a third fewer, fuller blocks (less system time on both sides of the pipe).
      env: { ...process.env, GIT_FLUSH: '0' },
    });
    slice.child = child;
    running++;
    if (commits) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(commits.length > 0 ? `${commits.join('\n')}\n` : '');
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      slice.chunks.push(chunk);
      slice.bytes += chunk.length;
      if (i !== current) {
        buffered += chunk.length;
        if (buffered > ahead && !slice.paused) {
          slice.paused = true;
          child.stdout!.pause();
        }
      }
      if (i === current) signal();
    });
    child.stderr!.on('data', (d: Buffer) => {
      slice.stderr = (slice.stderr + d.toString()).slice(-4000);
    });
    let failed: Error | undefined;
    child.on('error', (error) => (failed = error));
    exits.push(
      new Promise((resolve) =>
        child.on('close', (code) => {
          running--;
          slice.done = true;
          slice.code = failed ? -1 : (code ?? 1);
          if (failed) slice.stderr = failed.message;
          fill();
          signal();
          resolve();
        }),
      ),
    );
  };

  /** Starts the next slices while fewer than `readers` gits run and memory allows. */
  const fill = (): void => {
    while (!stopped && started < state.length && running < readers && buffered <= ahead) {
      start(started++);
    }
  };

  const stop = (): void => {
    stopped = true;
    for (const slice of state) if (slice.child && !slice.done) slice.child.kill();
  };

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for (; current < state.length; current++) {
        const slice = state[current]!;
        // What was read ahead of this slice is now its to hand over, not memory held ahead.
        buffered -= slice.bytes;
        if (slice.paused) {
          slice.paused = false;
          slice.child!.stdout!.resume();
        }
        fill();
        for (;;) {
          const chunk = slice.chunks.shift();
          if (chunk) {
            yield chunk;
            continue;
          }
          if (slice.done) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (slice.code !== 0) throw new SliceFailure(slice.code, slice.stderr);
        slice.chunks = [];
        fill();
      }
    } finally {
      if (current < state.length) stop();
    }
  }

  return {
    chunks: chunks(),
    stop,
    get exited() {
      return Promise.all(exits).then(() => undefined);
    },
  };
}
