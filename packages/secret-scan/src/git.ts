import { execFile, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '@deploy-actions/action-kit';

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

/** The added lines of one file in one commit, with their line numbers in the new file. */
export interface AddedLines {
  commit: string;
  file: string;
  lines: string[];
  lineNumbers: number[];
  /** True when the commit created the file. */
  newFile: boolean;
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

/**
 * Streams `git log -p` and hands over the added lines of each file of each
 * commit as soon as they are complete; the whole log is never held in memory.
 * Merge commits are shown with `--cc`: only the lines a merge introduced itself
 * (in none of its parents: conflict resolutions, "evil merges") count as added,
 * because the parents' own changes are scanned as the commits that made them.
 */
export async function streamAddedLines(
  cwd: string,
  revisionArgs: readonly string[],
  onFile: (added: AddedLines) => void,
  onEvent: (event: FileEvent) => void = () => undefined,
  shouldStop: () => boolean = () => false,
): Promise<LogStreamStats & { stopped: boolean }> {
  const args = [
    '-c',
    'core.quotePath=false',
    'log',
    '-p',
    '-U0',
    '--cc',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--format=%x1ecommit %H',
    ...revisionArgs,
    '--',
  ];
  const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const stats: LogStreamStats & { stopped: boolean } = { commits: 0, bytes: 0, stopped: false };
  let mergePath = '';
  let commit = '';
  let current: AddedLines | undefined;
  let currentBytes = 0;
  let inHunk = false;
  let parents = 1;
  let nextLine = 0;
  let newFile = false;

  const flush = (carry = false): void => {
    if (current && current.lines.length > 0) onFile(current);
    if (!current) {
      currentBytes = 0;
      return;
    }
    // A private key cut by the flush would be half in each piece: the piece after the
    // cut starts again at the key's BEGIN line, so the key is whole in one of them.
    const lines: string[] = [];
    const lineNumbers: number[] = [];
    if (carry) {
      for (let i = current.lines.length - 1, bytes = 0; i >= 0 && bytes < CARRY_BYTES; i--) {
        const line = current.lines[i]!;
        bytes += line.length + 1;
        if (line.includes('-----END ')) break;
        if (line.includes('-----BEGIN ')) {
          lines.push(...current.lines.slice(i));
          lineNumbers.push(...current.lineNumbers.slice(i));
          break;
        }
      }
    }
    current = { ...current, lines, lineNumbers };
    currentBytes = lines.reduce((n, l) => n + l.length + 1, 0);
  };
  const startFile = (): void => {
    flush();
    current = undefined;
    inHunk = false;
    newFile = false;
  };

  const handle = (line: string): void => {
    stats.bytes += line.length + 1;
    // The common case first: an added line of an ordinary (one-parent) diff.
    if (inHunk && parents === 1 && current && line.charCodeAt(0) === 43) {
      const content = line.slice(1);
      current.lines.push(content);
      current.lineNumbers.push(nextLine++);
      currentBytes += content.length + 1;
      if (currentBytes > FLUSH_BYTES) flush(true);
      return;
    }
    if (line.startsWith('\x1ecommit ')) {
      startFile();
      commit = line.slice(8).trim();
      stats.commits++;
      return;
    }
    if (
      line.startsWith('diff --git ') ||
      line.startsWith('diff --cc ') ||
      line.startsWith('diff --combined ')
    ) {
      startFile();
      mergePath = line.startsWith('diff --git ') ? '' : unquotePath(line.slice(line.indexOf(' ', 5) + 1));
      return;
    }
    if (!inHunk) {
      if (line.startsWith('new file mode')) newFile = true;
      else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
        onEvent({ kind: 'renamed', commit, file: unquotePath(line.slice(line.indexOf(' to ') + 4)) });
      } else if (line.startsWith('Binary files ')) {
        const m = / and (.+) differ$/.exec(line);
        const path = m ? unquotePath(m[1]!) : mergePath;
        if (path && path !== '/dev/null')
          onEvent({ kind: 'binary', commit, file: path.startsWith('b/') && m ? path.slice(2) : path });
      } else if (line.startsWith('+++ ')) {
        const path = unquotePath(line.slice(4));
        if (path !== '/dev/null') {
          current = {
            commit,
            file: path.startsWith('b/') ? path.slice(2) : path,
            lines: [],
            lineNumbers: [],
            newFile,
          };
        }
      } else if (line.startsWith('@@')) {
        ({ parents, nextLine } = parseHunkHeader(line));
        inHunk = true;
      }
      return;
    }
    if (line.startsWith('@@')) {
      ({ parents, nextLine } = parseHunkHeader(line));
      return;
    }
    if (!current) return;
    const prefix = line.slice(0, parents);
    if (prefix.includes('-')) return;
    if (prefix === '+'.repeat(parents)) {
      const content = line.slice(parents);
      current.lines.push(content);
      current.lineNumbers.push(nextLine);
      currentBytes += content.length + 1;
      if (currentBytes > FLUSH_BYTES) flush(true);
    }
    if (!line.startsWith('\\')) nextLine++;
  };

  // Splitting chunks by hand is several times cheaper than readline on a long log.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    if (shouldStop()) {
      stats.stopped = true;
      child.kill();
      break;
    }
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      handle(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (stats.stopped) {
    await exited;
    return stats;
  }
  rest += decoder.end();
  if (rest !== '') handle(rest);
  flush();
  const code = await exited;
  if (code !== 0) {
    throw new UserError(
      'range-unreadable',
      describeGitFailure(['log', '-p', ...revisionArgs], { stdout: '', stderr, code }),
    );
  }
  return stats;
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
