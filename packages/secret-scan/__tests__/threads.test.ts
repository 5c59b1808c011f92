import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@deploy-actions/action-kit';
import { runSecretScan, type SecretScanResult } from '@deploy-actions/secret-scan';
import { generateLabelledCorpus } from '../../../test/fixtures/secret-scan/corpus.js';
import { splitGitLog } from '../src/git-output.js';
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
    // One thread, with the range cut into slices that two gits diff at once.
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

describe('several gits reading slices of a history', () => {
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
  const format = ['log', '-p', '-U0', '--cc', '--no-color', '--format=%x1ecommit %H'];

  const stdinArgs = [...format, '--no-walk=unsorted', '--stdin', '--'];
  /** Runs splitGitLog on main; `listing` gets the commits and the chunks handed over so far. */
  const split = async (
    repo: string,
    listing: (commits: string[], chunks: Buffer[], whole: Buffer) => Promise<readonly string[] | undefined>,
    ahead?: number,
    secondApart = false,
  ): Promise<{
    code: number;
    out: Buffer;
    whole: Buffer;
    commits: string[];
    second: Buffer[];
    counts: boolean;
  }> => {
    const whole = execFileSync('git', [...format, 'main', '--'], { cwd: repo, maxBuffer: 256 * 1024 * 1024 });
    const commits = gitIn(repo, ['rev-list', 'main', '--']).split('\n').filter(Boolean);
    const chunks: Buffer[] = [];
    const second: Buffer[] = [];
    const output = splitGitLog(
      repo,
      [...format, 'main', '--'],
      stdinArgs,
      listing(commits, chunks, whole),
      0,
      (chunk) => chunks.push(chunk),
      secondApart ? (chunk) => second.push(chunk) : undefined,
      ahead,
    );
    const { code, second: counts } = await output.done;
    return { code, out: Buffer.concat(chunks), whole, commits, second, counts };
  };

  it('hand over byte for byte what one git log -p prints, also when the second git must pause', async () => {
    const repo = makeHistory('sliced', 120);
    // 1 byte ahead: the second git is paused as soon as it writes, until the first is cut.
    for (const ahead of [64 * 1024 * 1024, 1]) {
      const { code, out, whole } = await split(repo, async (commits) => commits, ahead);
      expect(code).toBe(0);
      expect(out.equals(whole)).toBe(true);
    }
  });

  it('hand the second half over apart as it comes: the first part and it make one git log -p', async () => {
    const repo = makeHistory('apart', 120);
    const { code, out, whole, second, counts } = await split(
      repo,
      async (commits) => commits,
      undefined,
      true,
    );
    expect(code).toBe(0);
    expect(counts).toBe(true);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThan(whole.length);
    expect(Buffer.concat([out, ...second]).equals(whole)).toBe(true);
    // With no listing there is no second half: what came is the whole log, from the first git.
    const alone = await split(repo, async () => undefined, undefined, true);
    expect(alone.counts).toBe(false);
    expect(alone.out.equals(whole)).toBe(true);
  });

  it('parse the second half apart, and the two halves hold what one git shows, in order', async () => {
    // Large enough that rev-list (O(commits)) is done long before git log -p (O(patch bytes)), even
    // on a loaded machine: the second half then always exists.
    const repo = makeHistory('halves', 1500);
    const seen = (into: string[]) => ({
      onFile: (added: AddedLines) =>
        into.push(`${added.commit}:${added.file}:${added.data.toString('utf8')}`),
      onEvent: (event: FileEvent) => into.push(`${event.kind}:${event.commit}:${event.file}`),
    });
    const one: string[] = [];
    const single = await streamAddedLines(repo, ['main'], seen(one).onFile, seen(one).onEvent);
    const first: string[] = [];
    const second: string[] = [];
    const firstSink = seen(first);
    const split = await streamAddedLines(
      repo,
      ['main'],
      firstSink.onFile,
      firstSink.onEvent,
      undefined,
      undefined,
      2,
      0,
      seen(second),
    );
    expect(split.second).toBeDefined();
    expect(second.length).toBeGreaterThan(0);
    expect([...first, ...second]).toEqual(one);
    expect(split.commits + split.second!.commits).toBe(single.commits);
    expect(split.bytes + split.second!.bytes).toBe(single.bytes);
  });

  it('cut the first git after the commits it already handed over when the listing comes late', async () => {
    const repo = makeHistory('late', 120);
    let handedOver = 0;
    const { code, out, whole } = await split(
      repo,
      (commits, chunks, all) =>
        new Promise((resolve) => {
          // The listing arrives once most of the log was handed over: the cut moves past it.
          const wait = setInterval(() => {
            const bytes = chunks.reduce((n, c) => n + c.length, 0);
            if (bytes > all.length * 0.7 || bytes === all.length) {
              clearInterval(wait);
              handedOver = bytes;
              resolve(commits);
            }
          }, 1);
        }),
    );
    expect(code).toBe(0);
    expect(handedOver).toBeGreaterThan(0);
    expect(out.equals(whole)).toBe(true);
  });

  it('read the range with the first git alone when there is no listing', async () => {
    const repo = makeHistory('no-listing', 40);
    const { code, out, whole } = await split(repo, async () => undefined);
    expect(code).toBe(0);
    expect(out.equals(whole)).toBe(true);
  });

  it('report the exit of a second git that fails, after the part of the first git, and nothing of its own', async () => {
    const repo = makeHistory('bad-slice', 40);
    // The second git gets a commit that does not exist: it fails at once.
    const { code, out, whole, commits } = await split(repo, async (list) =>
      list.map((sha, i) => (i === 21 ? 'f'.repeat(40) : sha)),
    );
    expect(code).not.toBe(0);
    const cut = whole.indexOf(`\n\x1ecommit ${commits[20]}\n`);
    expect(cut).toBeGreaterThan(0);
    expect(out.equals(whole.subarray(0, cut + 1))).toBe(true);
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
