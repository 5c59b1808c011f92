import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@deploy-actions/action-kit';
import { runSecretScan, type SecretScanResult } from '@deploy-actions/secret-scan';
import { generateLabelledCorpus } from '../../../test/fixtures/secret-scan/corpus.js';
import { readBothEnds } from '../src/git-output.js';
import { streamAddedLines, type AddedLines, type FileEvent } from '../src/git.js';
import { runTasksInWorkers, scanWorkerEntry } from '../src/pool.js';
import { alnum, j } from './token-samples.js';

// Worker threads run the compiled package (lib/scan-worker.js): it is built first, from
// the same sources the main thread runs here.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'secret-scan-threads-'));

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/secret-scan'], {
    cwd: root,
    stdio: 'pipe',
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A logger that remembers the group titles (they say how many threads scanned). */
function recordingLogger(): Logger & { titles: string[] } {
  const titles: string[] = [];
  return {
    titles,
    info() {},
    notice() {},
    warning() {},
    error() {},
    debug() {},
    mask() {},
    group: (title, fn) => {
      titles.push(title);
      return fn();
    },
  };
}

function gitIn(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** What must not depend on the number of threads. */
function outcome(result: SecretScanResult) {
  return {
    findings: result.findings.map(({ ruleId, file, line, column, commit, secretHash, fingerprint }) => ({
      ruleId,
      file,
      line,
      column,
      commit,
      secretHash,
      fingerprint,
    })),
    skipped: result.skipped,
    files: result.stats.files,
    bytes: result.stats.bytes,
    commits: result.stats.commits,
    accepted: result.accepted,
  };
}

const corpus = generateLabelledCorpus(20261122);

describe('worker threads', () => {
  it('find in the labelled corpus exactly what one thread finds, in the same order', async () => {
    const dir = join(work, 'corpus');
    // Three copies, so the files make several tasks for the workers to share.
    for (const copy of ['a', 'b', 'c'])
      for (const file of corpus.files) {
        mkdirSync(dirname(join(dir, copy, file.path)), { recursive: true });
        writeFileSync(join(dir, copy, file.path), file.text);
      }
    const single = await runSecretScan({ path: dir, mode: 'tree', threads: 1 }, recordingLogger());
    const log = recordingLogger();
    const multi = await runSecretScan({ path: dir, mode: 'tree', threads: 2 }, log);
    expect(log.titles.join('\n')).toContain('on 2 threads');
    expect(single.findings.length).toBeGreaterThan(3000);
    expect(outcome(multi)).toEqual(outcome(single));
  });

  it('find in a generated history exactly what one thread finds: merges, renames, binary files', async () => {
    const repo = join(work, 'history');
    mkdirSync(repo);
    gitIn(repo, ['init', '-q', '-b', 'main']);
    // One fast-import stream: a commit per corpus file (over 100), a side branch
    // merged with a line of its own, a rename to .env and a file git takes for binary.
    let stream = '';
    let mark = 0;
    let time = 1700000000;
    const commit = (branch: string, body: string, extra = ''): number => {
      const m = ++mark;
      const msg = `commit ${m}\n`;
      stream += `commit refs/heads/${branch}\nmark :${m}\ncommitter T <t@example.com> ${time++} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}${extra}${body}`;
      return m;
    };
    const inline = (path: string, text: string | Buffer): string =>
      `M 644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text.toString('latin1')}\n`;
    const files = corpus.files.slice(0, 150);
    files.forEach((file) => commit('main', inline(file.path, file.text)));
    const base = mark;
    const side = commit('side', inline('side/one.txt', files[1]!.text), `from :${base}\n`);
    commit('side', inline('side/two.txt', files[2]!.text));
    // Only the merge adds this line: it is in neither parent.
    const evil = `${files[3]!.text}\ntoken = ${j('gh', 'p_', alnum(36))}\n`;
    commit('main', inline('merged.txt', evil), `from :${base}\nmerge :${side + 1}\n`);
    commit('main', `R ${files[0]!.path} config/.env.production\n`);
    const secretLine = `header\nkey = ${j('gh', 'p_', alnum(36))}\nmore text to make the NUL a stray one`;
    const binary = Buffer.concat([Buffer.from(`${secretLine}\n`), Buffer.from([0]), Buffer.from('\ntail\n')]);
    stream += `commit refs/heads/main\nmark :${++mark}\ncommitter T <t@example.com> ${time++} +0000\ndata 4\nbin\n`;
    stream += `M 644 inline data/blob.bin\ndata ${binary.length}\n`;
    const head = Buffer.from(stream, 'latin1');
    execFileSync('git', ['fast-import', '--quiet'], {
      cwd: repo,
      input: Buffer.concat([head, binary, Buffer.from('\n')]),
    });
    gitIn(repo, ['checkout', '-q', 'main']);

    const single = await runSecretScan(
      { path: repo, mode: 'history', threads: 1, gitReaders: 1 },
      recordingLogger(),
    );
    const log = recordingLogger();
    const multi = await runSecretScan({ path: repo, mode: 'history', threads: 2 }, log);
    expect(log.titles.join('\n')).toContain('on 2 threads');
    // One thread, with two gits reading the range from both ends.
    const sliced = await runSecretScan(
      { path: repo, mode: 'history', threads: 1, gitReaders: 2 },
      recordingLogger(),
    );
    expect(single.stats.commits).toBe(files.length + 5);
    expect(
      single.findings.some((f) => f.ruleId === 'committed-dotenv' && f.file === 'config/.env.production'),
    ).toBe(true);
    expect(single.findings.some((f) => f.ruleId === 'github-pat' && f.file === 'merged.txt')).toBe(true);
    expect(single.findings.some((f) => f.file === 'data/blob.bin')).toBe(true);
    expect(outcome(multi)).toEqual(outcome(single));
    expect(outcome(sliced)).toEqual(outcome(single));
  });

  it('build their rules from the same .gitleaks.toml as the main thread: custom rules and allowlists', async () => {
    const dir = join(work, 'config');
    for (const file of corpus.files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    mkdirSync(join(dir, 'internal'));
    for (let i = 0; i < 200; i++)
      writeFileSync(join(dir, 'internal', `n${i}.txt`), `id = INTERNAL-${10000000 + i}\n`);
    writeFileSync(
      join(dir, '.gitleaks.toml'),
      [
        '[extend]',
        'useDefault = true',
        '[[rules]]',
        'id = "internal-id"',
        "regex = '''INTERNAL-[0-9]{8}'''",
        'keywords = ["internal-"]',
        '[allowlist]',
        "paths = ['''internal/n1[0-9]{2}\\.txt''']",
      ].join('\n'),
    );
    const single = await runSecretScan({ path: dir, mode: 'tree', threads: 1 }, recordingLogger());
    const multi = await runSecretScan({ path: dir, mode: 'tree', threads: 2 }, recordingLogger());
    // n0..n99 are reported, n100..n199 are allowed by path.
    expect(single.findings.filter((f) => f.ruleId === 'internal-id')).toHaveLength(100);
    expect(outcome(multi)).toEqual(outcome(single));
  });

  it('report the files they did not reach when the scan budget runs out', async () => {
    const dir = join(work, 'budget');
    for (const file of corpus.files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    const result = await runSecretScan(
      { path: dir, mode: 'tree', threads: 2, timeBudgetMs: 1 },
      recordingLogger(),
    );
    const notScanned = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
    expect(notScanned).toHaveLength(1);
    expect(result.skipped.some((s) => s.reason.startsWith('not scanned:'))).toBe(true);
  });

  it('are terminated when a task runs past the deadline, and its result counts as missing', async () => {
    // A worker that never answers: a regex that never returns would look like this.
    const script = join(work, 'stuck-worker.mjs');
    writeFileSync(
      script,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { for (;;); });\n",
    );
    const task = {
      kind: 'tree' as const,
      root: work,
      files: ['x'],
      envTracked: [false],
      excluded: [],
      maxFileBytes: 1,
    };
    const results = await runTasksInWorkers(
      new URL(`file://${script}`),
      [task, task],
      2,
      { limits: {}, deadlineEpoch: Infinity },
      performance.now() + 200,
    );
    expect(results).toEqual([undefined, undefined]);
  });

  it('find the compiled worker script beside the package', () => {
    expect(scanWorkerEntry()?.pathname).toMatch(/\/scan-worker\.js$/);
  });
});

describe('two gits reading a history from both ends', () => {
  /** A history of `count` commits, each adding or rewriting one corpus file. */
  const makeHistory = (name: string, count: number): string => {
    const repo = join(work, name);
    mkdirSync(repo);
    gitIn(repo, ['init', '-q', '-b', 'main']);
    let stream = '';
    for (let c = 0; c < count; c++) {
      const file = corpus.files[c % corpus.files.length]!;
      const body = `${file.text}\nrevision ${c}\n`;
      stream += `commit refs/heads/main\ncommitter T <t@example.com> ${1700000000 + c} +0000\ndata 2\nc\n`;
      stream += `M 644 inline ${file.path}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: stream });
    gitIn(repo, ['checkout', '-q', 'main']);
    return repo;
  };
  const seen = (into: string[]) => ({
    onFile: (added: AddedLines) => into.push(`${added.commit}:${added.file}:${added.data.toString('utf8')}`),
    onEvent: (event: FileEvent) => into.push(`${event.kind}:${event.commit}:${event.file}`),
  });
  /** streamAddedLines with two readers: the second git's commits, each with what it read. */
  const bothEnds = async (repo: string, range: string[]) => {
    const first: string[] = [];
    const later: string[][] = [];
    const firstSink = seen(first);
    let current: string[] = [];
    const stats = await streamAddedLines(
      repo,
      range,
      firstSink.onFile,
      firstSink.onEvent,
      undefined,
      undefined,
      2,
      {
        onCommit: (commit) => {
          current = [`commit ${commit}`];
          later.push(current);
        },
        onFile: (added) => current.push(`${added.commit}:${added.file}:${added.data.toString('utf8')}`),
        onEvent: (event) => current.push(`${event.kind}:${event.commit}:${event.file}`),
      },
    );
    return { first, later, stats };
  };

  it('read what one git shows, each commit once: the second git oldest first, announced commit by commit', async () => {
    // Long enough that the second git (its walk is O(commits), its diffs O(patch bytes)) gets
    // to print before the first has diffed the whole range, even on a loaded machine.
    const repo = makeHistory('halves', 1500);
    const one: string[] = [];
    const single = await streamAddedLines(repo, ['main'], seen(one).onFile, seen(one).onEvent);
    const { first, later, stats } = await bothEnds(repo, ['main']);
    expect(stats.second).toBeDefined();
    expect(later.length).toBeGreaterThan(0);
    expect(stats.commits).toBeGreaterThan(0);
    expect(stats.commits + stats.second!.commits).toBe(single.commits);
    expect(later.length).toBe(stats.second!.commits);
    // The second git's commits, newest first after the first git's: one git's order.
    const commitsOfOne = gitIn(repo, ['rev-list', 'main', '--']).split('\n').filter(Boolean);
    const laterCommits = later.map((part) => part[0]!.slice('commit '.length));
    expect(laterCommits).toEqual(commitsOfOne.slice(commitsOfOne.length - later.length).reverse());
    const reversed = later
      .slice()
      .reverse()
      .flatMap((part) => part.slice(1));
    expect([...first, ...reversed]).toEqual(one);
  });

  it('read ranges of none, one and two commits as one git does', async () => {
    const repo = makeHistory('tiny', 3);
    const commits = gitIn(repo, ['rev-list', 'main', '--']).split('\n').filter(Boolean);
    for (const range of [['main..main'], [`${commits[1]}..main`], [`${commits[2]}..main`], ['main']]) {
      const one: string[] = [];
      const single = await streamAddedLines(repo, range, seen(one).onFile, seen(one).onEvent);
      const { first, later, stats } = await bothEnds(repo, range);
      expect(stats.commits + stats.second!.commits).toBe(single.commits);
      const reversed = later
        .slice()
        .reverse()
        .flatMap((part) => part.slice(1));
      expect([...first, ...reversed]).toEqual(one);
    }
  });

  /** A `git` on PATH that fails when asked for `--reverse`, and runs the real one 2 s late otherwise. */
  const failingReverseGit = (): string => {
    const bin = join(work, 'failing-reverse-bin');
    mkdirSync(bin, { recursive: true });
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      // The first git starts 2 s late, so the second has failed before the first could
      // read every commit (a git stopped because the other read everything does not count).
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = --reverse ] && { echo 'fatal: bad object (injected)' >&2; exit 128; }; done\nsleep 2\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    return bin;
  };

  it('fail when the second git fails on its own while its part is still needed', async () => {
    const repo = makeHistory('bad-reverse', 40);
    const path = process.env['PATH'];
    process.env['PATH'] = `${failingReverseGit()}:${path}`;
    try {
      await expect(bothEnds(repo, ['main'])).rejects.toMatchObject({
        code: 'range-unreadable',
        message: expect.stringContaining('bad object (injected)'),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('stop the other git once one has printed its whole log, and report no failure for it', async () => {
    const repo = makeHistory('whole', 1500);
    const format = ['log', '-p', '-U0', '--cc', '--no-color', '--format=%x1ecommit %H'];
    const last = execFileSync('git', [...format, '-1', 'main', '--'], { cwd: repo });
    const reversed = execFileSync('git', [...format, '--reverse', 'main', '--'], {
      cwd: repo,
      maxBuffer: 256 * 1024 * 1024,
    });
    const a: Buffer[] = [];
    let bBytes = 0;
    // A reads one commit and ends; B, with 1500 to diff, is stopped then (no failure).
    const output = readBothEnds(
      repo,
      [...format, '-1', 'main', '--'],
      [...format, '--reverse', 'main', '--'],
      (chunk) => a.push(chunk),
      (chunk) => (bBytes += chunk.length),
    );
    expect(await output.done).toEqual({ code: 0, stderr: '' });
    expect(Buffer.concat(a).equals(last)).toBe(true);
    expect(bBytes).toBeLessThan(reversed.length);
  });

  it('fail the scan as one git would when the range cannot be read', async () => {
    const repo = makeHistory('unreadable', 3);
    await expect(
      runSecretScan(
        { path: repo, mode: 'history', head: 'no-such-branch', gitReaders: 2 },
        recordingLogger(),
      ),
    ).rejects.toMatchObject({ code: 'range-unreadable' });
  });

  it('stop every git when the time budget runs out, and say the scan is partial', async () => {
    const repo = makeHistory('budget-history', 300);
    const result = await runSecretScan(
      { path: repo, mode: 'history', threads: 1, gitReaders: 2, timeBudgetMs: 1 },
      recordingLogger(),
    );
    expect(result.findings.filter((f) => f.ruleId === 'not-fully-scanned')).toHaveLength(1);
    expect(result.stats.commits).toBeLessThan(300);
  });
});
