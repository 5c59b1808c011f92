import { execFile } from 'node:child_process';
import { UserError } from '@deploy-actions/action-kit';
import { gitOutput, readBothEnds } from './git-output.js';
import { isKeyBodyLine } from './key-body.js';
import { KeywordHits, type KeywordAutomaton, type KeywordIndex } from './keyword-index.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs git and returns what it printed; never throws (callers decide what a failure means). */
export function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

/** Runs git and fails with the command, exit code and the last lines of its output. */
export async function git(cwd: string, args: readonly string[], errorCode = 'git-failed'): Promise<string> {
  const result = await runGit(cwd, args);
  if (result.code !== 0) throw new UserError(errorCode, describeGitFailure(args, result));
  return result.stdout;
}

function describeGitFailure(args: readonly string[], result: GitResult): string {
  const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
  return `git ${args.join(' ')} exited with ${result.code}${tail ? `:\n${tail}` : '.'}`;
}

/**
 * The added lines of one file in one commit, with their line numbers in the new file.
 * `data` and `lineNumbers` are reused for the next file: valid only during the callback.
 */
export interface AddedLines {
  commit: string;
  file: string;
  /** The added lines joined by '\n', as git printed them (without the `+`). */
  data: Buffer;
  /** The line number in the new file of each line of `data`. */
  lineNumbers: Int32Array;
  /** True when the commit created the file. */
  newFile: boolean;
  /** Indexes (into lineNumbers) of the lines that look like a private key's body (isKeyBodyLine). */
  keyBodyLines: Int32Array;
  /** The longest line of `data`, in bytes (an upper bound after a flush that kept a key's start). */
  longestLine: number;
  /** The keyword hits in `data`, when streamAddedLines was given the scanner's keyword index. */
  hits?: KeywordHits;
}

/**
 * Something about a file in a commit that its added lines do not show: git printed
 * "Binary files … differ" (content with a NUL, or a `-diff` / `binary` attribute),
 * so the caller reads the blob and decides itself; or the commit renamed or copied
 * a file to this name.
 */
export interface FileEvent {
  kind: 'binary' | 'renamed';
  commit: string;
  file: string;
}

export interface LogStreamStats {
  commits: number;
  bytes: number;
}

// Flush a file's added lines in pieces, so one huge committed file never sits whole in memory.
const FLUSH_BYTES = 1024 * 1024;
const CARRY_BYTES = 64 * 1024;
// Lines up to this long are copied byte by byte while their end is looked for.
const SHORT_LINE = 128;

/** A blob's bytes (`<commit>:<path>`), or undefined when it does not exist there. */
export function readBlob(cwd: string, spec: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['cat-file', 'blob', spec],
      { cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout) => {
        resolve(error ? undefined : stdout);
      },
    );
  });
}

/** Where the added lines of the second half go when two gits read a range (see streamAddedLines). */
export interface SecondHalf {
  /** A commit the second git reads (the ones before it are done): its files come next. */
  onCommit: (commit: string) => void;
  onFile: (added: AddedLines) => void;
  onEvent: (event: FileEvent) => void;
}

/** The `git log -p` arguments (before the revisions) whose output LogParser reads. */
export const LOG_ARGS: readonly string[] = [
  '-c',
  'core.quotePath=false',
  // Run from the git directory (`cwd` as ensureRangeReadable gives it), git takes the
  // repository as bare: it then reads no working tree's `.gitattributes`, which it would
  // otherwise try to open in every directory of every changed path (a failed open per
  // directory level, tens of thousands on a long history). In a working tree, no effect.
  '-c',
  'core.bare=true',
  'log',
  '-p',
  '-U0',
  '--cc',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--format=%x1ecommit %H',
];

/**
 * Streams `git log -p` and hands over the added lines of each file of each
 * commit as soon as they are complete; the whole log is never held in memory.
 * Merge commits are shown with `--cc`: only the lines a merge introduced itself
 * (in none of its parents: conflict resolutions, "evil merges") count as added,
 * because the parents' own changes are scanned as the commits that made them.
 *
 * The log is parsed as bytes: an added line is copied once, into the buffer the
 * scanner reads, and only header lines are ever decoded to strings.
 * With `commits`, exactly those commits are shown, in that order (`--no-walk`),
 * so a range can be split between several readers.
 *
 * With `readers` above 1, no `commits` and `second`, the range is read from both ends at
 * once (see readBothEnds): one git newest first, its files to `onFile`, one oldest first
 * (`--reverse`), its files to `second`, announced commit by commit (`second.onCommit`).
 * Each commit is read by whichever git reaches it first; each git stops where it meets the
 * other's. In one git's order, the second git's commits come after the first's, reversed
 * (the caller puts them there); `second` in the result holds its counts.
 *
 * With `keywords` (the scanner's index), the keyword automaton runs over each added line
 * as it is copied, and each AddedLines carries its hits: one pass over the bytes, not two.
 */
export async function streamAddedLines(
  cwd: string,
  revisionArgs: readonly string[],
  onFile: (added: AddedLines) => void,
  onEvent: (event: FileEvent) => void = () => undefined,
  shouldStop: () => boolean = () => false,
  commits?: readonly string[],
  readers = 1,
  second?: SecondHalf,
  keywords?: KeywordIndex,
): Promise<LogStreamStats & { stopped: boolean; second?: LogStreamStats }> {
  const automaton = keywords?.automaton;
  const stdinArgs = [...LOG_ARGS, '--no-walk=unsorted', '--stdin', '--'];
  const stats: LogStreamStats & { stopped: boolean; second?: LogStreamStats } = {
    commits: 0,
    bytes: 0,
    stopped: false,
  };
  const bothEnds = readers > 1 && !commits && second !== undefined;
  // Which commits a git has begun: the other stops when it reaches one of them.
  const claimed = new Set<string>();
  const claim = (commit: string, stopSelf: () => void): boolean => {
    if (claimed.has(commit)) {
      stopSelf();
      return false;
    }
    claimed.add(commit);
    return true;
  };
  const parser = new LogParser(
    stats,
    onFile,
    onEvent,
    bothEnds ? (commit) => claim(commit, () => output.stopA!()) : undefined,
    automaton,
  );
  const secondStats: LogStreamStats = { commits: 0, bytes: 0 };
  const secondParser =
    bothEnds &&
    new LogParser(
      secondStats,
      second.onFile,
      second.onEvent,
      (commit) => {
        if (!claim(commit, () => output.stopB!())) return false;
        second.onCommit(commit);
        return true;
      },
      automaton,
    );
  // Chunks are parsed as they are handed over (a 'data' callback): no promise and
  // async-iterator step per chunk (a few thousand chunks for a long history).
  let failure: unknown;
  let failed = false;
  const feed = (into: LogParser, counts: LogStreamStats, chunk: Buffer): void => {
    if (stats.stopped || failed || into.stopped) return;
    if (shouldStop()) {
      stats.stopped = true;
      output.stop();
      return;
    }
    counts.bytes += chunk.length;
    try {
      into.feed(chunk);
    } catch (error) {
      failed = true;
      failure = error;
      output.stop();
    }
  };
  const onChunk = (chunk: Buffer): void => feed(parser, stats, chunk);
  let output: {
    stop(): void;
    stopA?(): void;
    stopB?(): void;
    done: Promise<{ code: number; stderr: string }>;
  };
  if (secondParser) {
    output = readBothEnds(
      cwd,
      [...LOG_ARGS, ...revisionArgs, '--'],
      [...LOG_ARGS, '--reverse', ...revisionArgs, '--'],
      onChunk,
      (chunk) => feed(secondParser, secondStats, chunk),
    );
  } else {
    const one = gitOutput(
      cwd,
      commits ? stdinArgs : [...LOG_ARGS, ...revisionArgs, '--'],
      commits ? (commits.length > 0 ? `${commits.join('\n')}\n` : '') : undefined,
    );
    one.stdout.on('data', onChunk);
    output = { stop: one.stop, done: one.exited };
  }
  const { code, stderr } = await output.done;
  if (failed) throw failure;
  if (secondParser) stats.second = secondStats;
  if (stats.stopped) return stats;
  parser.end();
  if (secondParser) secondParser.end();
  if (code !== 0) {
    throw new UserError(
      'range-unreadable',
      describeGitFailure(['log', '-p', ...revisionArgs], { stdout: '', stderr, code }),
    );
  }
  return stats;
}

/**
 * Parses `git log -p` output (the format streamAddedLines asks git for) handed over in
 * `chunks`, cut anywhere: the same files and lines whatever the cuts.
 */
export function parseGitLog(
  chunks: Iterable<Buffer>,
  onFile: (added: AddedLines) => void,
  onEvent: (event: FileEvent) => void = () => undefined,
  keywords?: KeywordIndex,
): LogStreamStats {
  const stats: LogStreamStats = { commits: 0, bytes: 0 };
  const parser = new LogParser(stats, onFile, onEvent, undefined, keywords?.automaton);
  for (const chunk of chunks) {
    stats.bytes += chunk.length;
    parser.feed(chunk);
  }
  parser.end();
  return stats;
}

/**
 * The `git log -p` parser: synchronous, fed chunk by chunk, in small methods so the
 * per-line path is compiled on its own (the header and merge paths are rare).
 */
class LogParser {
  private mergePath = '';
  private commit = '';
  private current: { commit: string; file: string; newFile: boolean } | undefined;
  private readonly added: AddedBuffer;
  private inHunk = false;
  private parents = 1;
  private nextLine = 0;
  private newFile = false;
  /**
   * A line cut by the end of a chunk: only that line is copied, never the chunk, and a
   * line longer than a chunk is joined once, when its end arrives (not once per chunk).
   */
  private rest: Buffer[] = [];

  /** Set when onCommit turned a commit down: nothing more is read. */
  stopped = false;

  constructor(
    private readonly stats: LogStreamStats,
    private readonly onFile: (added: AddedLines) => void,
    private readonly onEvent: (event: FileEvent) => void,
    /** Asked at each commit's header whether to read it; false stops the parser there. */
    private readonly onCommit?: (commit: string) => boolean,
    /** Run over the added lines as they are copied: AddedLines.hits. */
    private readonly automaton?: KeywordAutomaton,
  ) {
    this.added = new AddedBuffer(automaton);
  }

  feed(chunk: Buffer): void {
    if (this.stopped) return;
    let start = 0;
    if (this.rest.length > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.rest.push(chunk);
        return;
      }
      this.rest.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.rest);
      this.rest = [];
      this.line(line, 0, line.length);
      if (this.stopped) return;
      start = nl + 1;
    }
    const n = chunk.length;
    while (start < n) {
      // The common case first: an added line of an ordinary (one-parent) hunk is copied
      // as its end is looked for, in one pass (no native call per line to find it).
      if (chunk[start] === 43 /* + */ && this.inHunk && this.parents === 1 && this.current) {
        const added = this.added;
        const nl = added.pushLine(chunk, start + 1, this.nextLine);
        if (nl === -1) break;
        this.nextLine++;
        if (added.length > FLUSH_BYTES) this.flush(true);
        start = nl + 1;
        continue;
      }
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      this.line(chunk, start, nl);
      if (this.stopped) return;
      start = nl + 1;
    }
    if (start < n) this.rest.push(chunk.subarray(start));
  }

  /** The end of the log: the last line (without a newline) and the last file. */
  end(): void {
    if (this.stopped) return;
    if (this.rest.length > 0) {
      const line = Buffer.concat(this.rest);
      this.rest = [];
      this.line(line, 0, line.length);
    }
    this.flush();
  }

  private line(buf: Buffer, start: number, end: number): void {
    // The common case inline: a line of an ordinary (one-parent) hunk.
    if (this.inHunk && this.parents === 1) {
      const first = buf[start];
      if (first === 43 /* + */) {
        if (this.current) {
          const added = this.added;
          added.push(buf, start + 1, end, this.nextLine++);
          if (added.length > FLUSH_BYTES) this.flush(true);
        }
        return;
      }
      if (first === 45 /* - */ || first === 92 /* \ */) return;
    }
    this.handle(buf, start, end);
  }

  private flush(carry = false): void {
    const { current, added } = this;
    if (current && added.count > 0)
      this.onFile({
        commit: current.commit,
        file: current.file,
        newFile: current.newFile,
        data: added.bytes(),
        lineNumbers: added.numbers(),
        keyBodyLines: added.keyBodyLines(),
        longestLine: added.longest,
        hits: this.automaton && added.hitsValid ? added.hits : undefined,
      });
    if (current && carry) added.keepOpenKey();
    else added.clear();
  }

  private startFile(): void {
    this.flush();
    this.current = undefined;
    this.inHunk = false;
    this.newFile = false;
  }

  /** A line that is not an added or removed line of a one-parent hunk (decoded: headers are few). */
  private handle(buf: Buffer, start: number, end: number): void {
    const line = buf.toString('utf8', start, end);
    if (line.startsWith('\x1ecommit ')) {
      this.startFile();
      const commit = line.slice(8).trim();
      if (this.onCommit && !this.onCommit(commit)) {
        this.stopped = true;
        return;
      }
      this.commit = commit;
      this.stats.commits++;
      return;
    }
    if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      this.startFile();
      this.mergePath = line.startsWith('diff --git ')
        ? ''
        : unquotePath(line.slice(line.indexOf(' ', 5) + 1));
      return;
    }
    const { commit } = this;
    if (!this.inHunk) {
      if (line.startsWith('new file mode')) this.newFile = true;
      else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
        this.onEvent({ kind: 'renamed', commit, file: unquotePath(line.slice(line.indexOf(' to ') + 4)) });
      } else if (line.startsWith('Binary files ')) {
        const m = / and (.+) differ$/.exec(line);
        const path = m ? unquotePath(m[1]!) : this.mergePath;
        if (path && path !== '/dev/null')
          this.onEvent({ kind: 'binary', commit, file: path.startsWith('b/') && m ? path.slice(2) : path });
      } else if (line.startsWith('+++ ')) {
        const path = unquotePath(line.slice(4));
        if (path !== '/dev/null') {
          this.current = {
            commit,
            file: path.startsWith('b/') ? path.slice(2) : path,
            newFile: this.newFile,
          };
          this.added.clear();
        }
      } else if (line.startsWith('@@')) {
        this.hunk(line);
        this.inHunk = true;
      }
      return;
    }
    if (line.startsWith('@@')) {
      this.hunk(line);
      return;
    }
    if (!this.current) return;
    // A combined diff (a merge): one column per parent.
    const parents = this.parents;
    const prefix = line.slice(0, parents);
    if (prefix.includes('-')) return;
    if (prefix === '+'.repeat(parents)) {
      // The prefix is ASCII, so its length in characters is its length in bytes.
      this.added.push(buf, start + parents, end, this.nextLine);
      if (this.added.length > FLUSH_BYTES) this.flush(true);
    }
    if (!line.startsWith('\\')) this.nextLine++;
  }

  private hunk(line: string): void {
    const { parents, nextLine } = parseHunkHeader(line);
    this.parents = parents;
    this.nextLine = nextLine;
  }
}

const KEY_BEGIN = Buffer.from('-----BEGIN ');
const KEY_END = Buffer.from('-----END ');

/**
 * The added lines of the file being read, joined by '\n', and their line numbers:
 * one buffer reused for every file, grown when needed.
 */
class AddedBuffer {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private nums = new Int32Array(4096);
  private keyLines = new Int32Array(256);
  private keyCount = 0;
  length = 0;
  count = 0;
  longest = 0;
  /**
   * The keyword hits of the lines, found as they are copied (with `automaton`); not valid
   * after keepOpenKey moved a kept tail to the front (the scanner then finds them itself).
   */
  readonly hits = new KeywordHits();
  hitsValid = true;
  private readonly classOf: Uint8Array;
  private readonly delta: Int32Array;
  private readonly outputs: readonly (readonly number[])[];

  constructor(private readonly automaton?: KeywordAutomaton) {
    // Without an automaton, no byte leads anywhere and nothing is found (hits unused).
    this.classOf = automaton?.classOf ?? new Uint8Array(256);
    this.delta = automaton?.delta ?? new Int32Array(1);
    this.outputs = automaton?.outputs ?? [];
  }

  push(src: Buffer, from: number, to: number, lineNumber: number): void {
    const need = this.length + (to - from) + 1;
    if (need > this.buf.length) this.grow(need);
    const buf = this.buf;
    let at = this.length;
    if (this.count > 0) buf[at++] = 10;
    const lineAt = at;
    // Most lines are short: a loop beats a native copy's call overhead.
    if (to - from < 64) for (let i = from; i < to; i++) buf[at++] = src[i]!;
    else at += src.copy(buf, at, from, to);
    this.length = at;
    if (this.automaton) this.findKeywords(lineAt, at);
    this.finishLine(src, from, to, lineNumber);
  }

  /**
   * Appends the line that starts at `src[from]` and ends at the next newline, found while
   * copying (the keyword automaton runs in the same pass); returns that newline's index.
   * When `src` ends first, nothing is kept and -1 is returned (the caller joins the line
   * with the next chunk and push()es it).
   */
  pushLine(src: Buffer, from: number, lineNumber: number): number {
    const n = src.length;
    if (this.length + SHORT_LINE + 1 > this.buf.length) this.grow(this.length + SHORT_LINE + 1);
    let buf = this.buf;
    let at = this.length;
    if (this.count > 0) buf[at++] = 10;
    const lineAt = at;
    const { classOf, delta, hits } = this;
    const hitsBefore = hits.count;
    let state = 0;
    let i = from;
    const stop = Math.min(n, from + SHORT_LINE);
    while (i < stop) {
      const b = src[i]!;
      if (b === 10) break;
      buf[at++] = b;
      i++;
      state = delta[state + classOf[b]!]!;
      if (state < 0) {
        state = -state;
        hits.add(this.outputs[state]!, at, this.count, lineAt);
      }
    }
    if (i === n) {
      hits.truncate(hitsBefore);
      return -1;
    }
    if (src[i] !== 10) {
      // A long line: the rest of it is found and copied natively, then searched.
      const nl = src.indexOf(10, i);
      if (nl === -1) {
        hits.truncate(hitsBefore);
        return -1;
      }
      if (at + (nl - i) > buf.length) {
        this.grow(at + (nl - i), at);
        buf = this.buf;
      }
      const restAt = at;
      at += src.copy(buf, at, i, nl);
      i = nl;
      if (this.automaton) this.findKeywords(lineAt, at, restAt, state);
    }
    this.length = at;
    this.finishLine(src, from, i, lineNumber);
    return i;
  }

  /** Runs the automaton over the line copied to `buf[lineAt..end)`, from `from` in `state`. */
  private findKeywords(lineAt: number, end: number, from = lineAt, state = 0): void {
    const { classOf, delta, hits, buf } = this;
    const line = this.count;
    for (let i = from; i < end; i++) {
      state = delta[state + classOf[buf[i]!]!]!;
      if (state < 0) {
        state = -state;
        hits.add(this.outputs[state]!, i + 1, line, lineAt);
      }
    }
  }

  /** A larger buffer holding the first `keep` bytes of the current one. */
  private grow(need: number, keep = this.length): void {
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, keep);
    this.buf = next;
  }

  /** The bookkeeping of a line just copied from `src[from..to)`. */
  private finishLine(src: Buffer, from: number, to: number, lineNumber: number): void {
    if (this.count === this.nums.length) {
      const next = new Int32Array(this.nums.length * 2);
      next.set(this.nums);
      this.nums = next;
    }
    if (to - from > this.longest) this.longest = to - from;
    // The key-body check rides on the copy: no second pass over the lines later.
    if (to - from >= 40 && to - from <= 120 && isKeyBodyLine(src, from, to)) {
      if (this.keyCount === this.keyLines.length) {
        const next = new Int32Array(this.keyLines.length * 2);
        next.set(this.keyLines);
        this.keyLines = next;
      }
      this.keyLines[this.keyCount++] = this.count;
    }
    this.nums[this.count++] = lineNumber;
  }

  keyBodyLines(): Int32Array {
    return this.keyLines.subarray(0, this.keyCount);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  numbers(): Int32Array {
    return this.nums.subarray(0, this.count);
  }

  clear(): void {
    this.length = 0;
    this.count = 0;
    this.keyCount = 0;
    this.longest = 0;
    this.hits.reset();
    this.hitsValid = true;
  }

  /**
   * After a flush: a private key cut by the flush would be half in each piece, so the
   * piece after the cut starts again at the key's BEGIN line (when no END follows it
   * within the last CARRY_BYTES), and the key is whole in one of them.
   */
  keepOpenKey(): void {
    const from = Math.max(0, this.length - CARRY_BYTES);
    const tail = this.buf.subarray(from, this.length);
    const begin = tail.lastIndexOf(KEY_BEGIN);
    if (begin === -1) return this.clear();
    const lineStart = tail.lastIndexOf(10, begin) + 1;
    if (tail.indexOf(KEY_END, lineStart) !== -1) return this.clear();
    let lines = 1;
    for (let i = tail.indexOf(10, lineStart); i !== -1; i = tail.indexOf(10, i + 1)) lines++;
    this.buf.copyWithin(0, from + lineStart, this.length);
    this.length -= from + lineStart;
    const dropped = this.count - lines;
    this.nums.copyWithin(0, dropped, this.count);
    this.count = lines;
    let kept = 0;
    for (let k = 0; k < this.keyCount; k++)
      if (this.keyLines[k]! >= dropped) this.keyLines[kept++] = this.keyLines[k]! - dropped;
    this.keyCount = kept;
    // The kept lines' hits were counted at their old places: the scanner finds them again.
    this.hitsValid = false;
  }
}

function parseHunkHeader(line: string): { parents: number; nextLine: number } {
  const at = /^(@+)/.exec(line)![1]!.length;
  const plus = /\+(\d+)/.exec(line.slice(at));
  return { parents: at - 1, nextLine: plus ? Number(plus[1]) : 0 };
}

/** Paths with quotes, backslashes or control characters come C-quoted from git even with core.quotePath=false. */
function unquotePath(text: string): string {
  const trimmed = text.replace(/\t$/, '');
  if (!trimmed.startsWith('"')) return trimmed;
  const body = trimmed.slice(1, trimmed.lastIndexOf('"'));
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(
        ({ n: 10, t: 9, r: 13, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0),
      );
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
