import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LOG_ARGS, parseGitLog, type AddedLines, type FileEvent } from '../src/git.js';
import { KeywordHits, KeywordIndex } from '../src/keyword-index.js';
import { defaultRuleSet, SecretScanner } from '../src/index.js';

// The git log -p parser is fed pipe chunks cut anywhere, also inside an added line it
// copies while looking for the line's end: whatever the cuts, the same files, lines,
// line numbers and key-body marks come out.

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

function git(cwd: string, ...args: string[]): Buffer {
  return execFileSync('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
}

function write(repo: string, files: Record<string, string | Buffer>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'change');
}

/** The log exactly as streamAddedLines asks git for it. */
function log(repo: string): Buffer {
  return git(repo, ...LOG_ARGS, 'main', '--');
}

const keyBody = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
const HUGE = `${'z'.repeat(2 * 1024 * 1024)}end`;
const line = (n: number, c = 'x'): string => `${c.repeat(n - 4)}${String(n).padStart(4, '0')}`;

/** a.txt's lines: short and empty ones, around the 128-byte copy loop, CRLF, UTF-8, key bodies. */
const A_LINES = [
  'short',
  '',
  line(127),
  line(128),
  line(129),
  line(5000, 'y'),
  'crlf line\r',
  'ünïcødé ✓ line',
  keyBody,
  `  ${keyBody}  `,
  'password = "hunter2hunter2"',
];

function makeRepo(big: boolean): string {
  const repo = mkdtempSync(join(tmpdir(), 'secret-scan-log-parser-'));
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, {
    'a.txt': [...A_LINES, ''].join('\n'),
    'b/c.md': 'one\ntwo\nthree\n',
    'bin.dat': Buffer.from([0, 1, 2, 0, 10, 43, 10]),
  });
  // A change in the middle: removed lines and two hunks.
  write(repo, {
    'b/c.md': 'zero\none\nTWO\nthree\nfour\n',
    'no-newline.txt': 'no newline at the end',
  });
  git(repo, 'mv', 'b/c.md', 'b/renamed.md');
  git(repo, 'commit', '-q', '-m', 'rename');
  if (big) write(repo, { 'huge.js': `first\n${HUGE}\n+++ not a header\n` });
  // A merge that adds a line of its own (an "evil merge"), shown with --cc.
  git(repo, 'checkout', '-q', '-b', 'side');
  write(repo, { 'side.txt': 'from side\n' });
  git(repo, 'checkout', '-q', 'main');
  write(repo, { 'main.txt': 'from main\n' });
  git(repo, 'merge', '-q', '--no-commit', 'side');
  writeFileSync(join(repo, 'side.txt'), 'from side\nevil line\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'merge');
  return repo;
}

interface Seen {
  files: { commit: string; file: string; newFile: boolean; data: string; lines: number[]; keys: number[] }[];
  events: FileEvent[];
  commits: number;
}

function parse(chunks: Iterable<Buffer>): Seen {
  const seen: Seen = { files: [], events: [], commits: 0 };
  const stats = parseGitLog(
    chunks,
    (a: AddedLines) =>
      seen.files.push({
        commit: a.commit,
        file: a.file,
        newFile: a.newFile,
        data: a.data.toString('utf8'),
        lines: [...a.lineNumbers],
        keys: [...a.keyBodyLines],
      }),
    (e) => seen.events.push(e),
  );
  seen.commits = stats.commits;
  return seen;
}

function* cut(whole: Buffer, size: number, offset = 0): Generator<Buffer> {
  if (offset > 0) yield whole.subarray(0, offset);
  for (let at = offset; at < whole.length; at += size) yield whole.subarray(at, at + size);
}

describe('the git log -p parser', () => {
  const small = makeRepo(false);
  const whole = log(small);
  const reference = parse([whole]);

  it('reads what git shows: added lines, their numbers, key-body lines, merges, binaries', () => {
    const byFile = new Map(reference.files.map((f) => [f.file, f]));
    expect(reference.commits).toBe(6);
    const a = byFile.get('a.txt')!;
    expect(a.newFile).toBe(true);
    expect(a.data.split('\n')).toEqual(A_LINES);
    expect(a.lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(a.keys).toEqual([8, 9]);
    // The edit: only the added lines, numbered in the new file.
    const edited = reference.files.find((f) => f.file === 'b/c.md' && !f.newFile)!;
    expect(edited.data).toBe('zero\nTWO\nfour');
    expect(edited.lines).toEqual([1, 3, 5]);
    expect(byFile.get('no-newline.txt')!.data).toBe('no newline at the end');
    expect(byFile.get('side.txt')!.data).toBe('from side');
    // The merge shows only its own line.
    const merge = reference.files.filter((f) => f.file === 'side.txt').map((f) => f.data);
    expect(merge).toEqual(['evil line', 'from side']);
    expect(reference.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'binary', file: 'bin.dat' }),
        expect.objectContaining({ kind: 'renamed', file: 'b/renamed.md' }),
      ]),
    );
  });

  it.each([1, 2, 3, 5, 64, 127, 128, 129, 130, 257, 4096])(
    'finds the same whatever the chunk size (%i bytes)',
    (size) => {
      expect(parse(cut(whole, size))).toEqual(reference);
    },
  );

  it('finds the same with the first cut at every offset of the log (chunks of 200 bytes after it)', () => {
    for (let offset = 1; offset < Math.min(whole.length, 6000); offset++) {
      const got = parse(cut(whole, 200, offset));
      if (JSON.stringify(got) !== JSON.stringify(reference)) {
        expect({ offset, got }).toEqual({ offset, got: reference });
      }
    }
  });

  it('hands a 2 MiB line over whole, whatever the cuts', () => {
    const repo = makeRepo(true);
    const big = log(repo);
    const one = parse([big]);
    const huge = one.files.filter((f) => f.file === 'huge.js');
    // A piece of a file ends past 1 MiB: the long line is in the first one, whole.
    expect(huge.map((f) => f.data)).toEqual([`first\n${HUGE}`, '+++ not a header']);
    expect(huge.map((f) => f.lines)).toEqual([[1, 2], [3]]);
    for (const size of [4096, 65536, 100_003]) expect(parse(cut(big, size))).toEqual(one);
  });

  describe('with a keyword index, the hits it finds as it copies the lines', () => {
    const keywordRepo = (): string => {
      const repo = mkdtempSync(join(tmpdir(), 'secret-scan-log-hits-'));
      git(repo, 'init', '-q', '-b', 'main');
      const pad = (n: number): string => '.'.repeat(n);
      write(repo, {
        'k.txt': [
          'password=1 token=2 ghp_x',
          `${pad(124)}password`, // across the first 128 bytes copied in the loop
          `${pad(120)}secret${pad(300)}api_key=${pad(10)}`,
          'key key key key key key key', // the same keyword again and again within 128 bytes
          `key${pad(130)}key`,
          `${'aws_secret_access_key '.repeat(400)}`,
          '',
          'no keyword here at all',
        ].join('\n'),
        'long.js': `${'token '.repeat(200_000)}\npassword\n`,
      });
      // Over 1 MiB with a private key's start open at the flush: the kept tail moves.
      const filler = 'const a = 1; // secret\n'.repeat(43_000);
      write(repo, {
        'big.pem.txt': `${filler}-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n'.repeat(4000)}-----END PRIVATE KEY-----\npassword\n`,
      });
      return repo;
    };
    const repo = keywordRepo();
    const whole = log(repo);

    const check = (index: KeywordIndex, chunks: Iterable<Buffer>): { withHits: number; hits: number } => {
      const expected = new KeywordHits();
      let withHits = 0;
      let hits = 0;
      parseGitLog(
        chunks,
        (added) => {
          if (!added.hits) return;
          withHits++;
          index.scan(added.data, expected);
          const got = added.hits;
          const cols = (h: KeywordHits) => ({
            count: h.count,
            keyword: [...h.keyword.subarray(0, h.count)],
            end: [...h.end.subarray(0, h.count)],
            line: [...h.line.subarray(0, h.count)],
            lineStart: [...h.lineStart.subarray(0, h.count)],
          });
          expect({ file: added.file, ...cols(got) }).toEqual({ file: added.file, ...cols(expected) });
          hits += got.count;
        },
        undefined,
        index,
      );
      return { withHits, hits };
    };

    it.each([
      ['a small index', () => new KeywordIndex(['password', 'secret', 'key', 'token', 'ghp_', 'api_key'])],
      ['the default rules', () => new SecretScanner(defaultRuleSet()).keywordIndex],
    ])('are the ones the index finds in the copied lines (%s), whatever the cuts', (_name, make) => {
      const index = make();
      const one = check(index, [whole]);
      expect(one.withHits).toBeGreaterThanOrEqual(3);
      expect(one.hits).toBeGreaterThan(100);
      for (const size of [7, 127, 128, 129, 4096, 65536]) {
        const cut = check(
          index,
          (function* () {
            for (let at = 0; at < whole.length; at += size) yield whole.subarray(at, at + size);
          })(),
        );
        expect(cut).toEqual(one);
      }
    });

    it('are left to the scanner for the piece after a flush that kept an open key', () => {
      const index = new KeywordIndex(['password', 'secret']);
      const pieces: { file: string; hits: boolean }[] = [];
      parseGitLog(
        [whole],
        (added) => pieces.push({ file: added.file, hits: added.hits !== undefined }),
        undefined,
        index,
      );
      expect(pieces.filter((p) => p.file === 'big.pem.txt')).toEqual([
        { file: 'big.pem.txt', hits: true },
        { file: 'big.pem.txt', hits: false },
      ]);
    });
  });
});
