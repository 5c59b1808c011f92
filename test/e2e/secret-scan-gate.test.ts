import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';

// Tokens are assembled at run time so this file holds none itself.
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let seed = 11;
function token(): string {
  let body = '';
  for (let i = 0; i < 36; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    body += ALNUM[seed % ALNUM.length];
  }
  return ['gh', 'p_', body].join('');
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
function write(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}
function commit(dir: string, file: string, text: string, message = `change ${file}`): string {
  write(dir, file, text);
  git(dir, 'add', '--', file);
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
function newRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secret-scan-repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'README.md', '# app\n');
  return dir;
}
function event(payload: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'secret-scan-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}
function scan(
  workspace: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction('secret-scan-gate', {
    workspace,
    inputs: { mode: 'tree', ...inputs },
    env,
    timeoutMs: 120_000,
  });
}
// Each test runs the bundle (and git) several times on 2 shared cores.
const TIMEOUT = 120_000;
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');

describe('secret-scan-gate on the working tree', () => {
  it(
    'fails with an annotation on the line holding a token, and never shows the token',
    async () => {
      const repo = newRepo();
      const secret = token();
      commit(repo, 'deploy/app.env.tpl', `LOG_LEVEL=info\nGH_TOKEN=${secret}\n`);
      const run = await scan(repo);
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('secrets-found');
      expect(run.outputs['findings']).toBe('1');
      const finding = errors(run).find((a) => a.properties['title']?.includes('github-pat'));
      expect(finding?.properties).toMatchObject({ file: 'deploy/app.env.tpl', line: '2' });
      expect(visibleText(run)).not.toContain(secret);
      expect(readFileSync(run.outputs['sarif-file']!, 'utf8')).not.toContain(secret);
      expect(readFileSync(run.outputs['report-file']!, 'utf8')).not.toContain(secret);
    },
    TIMEOUT,
  );

  it(
    'writes SARIF 2.1.0 with the uri relative to the repository, the start line and a stable fingerprint',
    async () => {
      const repo = newRepo();
      commit(repo, 'svc/config.yaml', `a: 1\nb: 2\ntoken: ${token()}\n`);
      const first = await scan(repo, { path: 'svc', 'sarif-file': 'out/scan.sarif' });
      const second = await scan(repo, { path: 'svc', 'sarif-file': 'out/scan.sarif' });
      const sarif = JSON.parse(readFileSync(join(repo, 'out/scan.sarif'), 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      const [result] = sarif.runs[0].results;
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('svc/config.yaml');
      expect(result.locations[0].physicalLocation.region.startLine).toBe(3);
      expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['github-pat']);
      expect(first.outputs['findings']).toBe('1');
      const again = JSON.parse(readFileSync(second.outputs['sarif-file']!, 'utf8'));
      expect(again.runs[0].results[0].partialFingerprints).toEqual(result.partialFingerprints);
    },
    TIMEOUT,
  );

  it(
    'passes a clean tree and still writes a summary',
    async () => {
      const repo = newRepo();
      commit(repo, 'app.py', 'password = os.environ["DB_PASSWORD"]\n');
      const run = await scan(repo);
      expect(run.exitCode).toBe(0);
      expect(run.outputs['findings']).toBe('0');
      expect(run.summary).toContain('no secrets found');
    },
    TIMEOUT,
  );

  it(
    'reports but does not fail with fail-on: none',
    async () => {
      const repo = newRepo();
      commit(repo, 'a.txt', token());
      const run = await scan(repo, { 'fail-on': 'none' });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['findings']).toBe('1');
    },
    TIMEOUT,
  );

  it(
    'flags a committed .env but not a committed .env.example',
    async () => {
      const repo = newRepo();
      commit(repo, '.env', 'LOG_LEVEL=debug\n');
      commit(repo, '.env.example', 'DB_PASSWORD=\n');
      const run = await scan(repo);
      const rules = errors(run).map((a) => `${a.properties['title']} ${a.properties['file']}`);
      expect(rules).toContain('secret-scan: committed-dotenv .env');
      expect(rules.join('\n')).not.toContain('.env.example');
    },
    TIMEOUT,
  );

  it(
    'flags a Dockerfile that copies its context when .dockerignore lets .env in',
    async () => {
      const repo = newRepo();
      commit(repo, 'api/Dockerfile', 'FROM node:20\nWORKDIR /app\nCOPY . .\n');
      commit(repo, 'web/Dockerfile', 'FROM nginx\nCOPY . /usr/share/nginx/html\n');
      commit(repo, 'web/.dockerignore', '.git\n.env*\n');
      const run = await scan(repo);
      const flagged = errors(run).filter((a) =>
        a.properties['title']?.includes('docker-context-includes-env'),
      );
      expect(flagged.map((a) => [a.properties['file'], a.properties['line']])).toEqual([
        ['api/Dockerfile', '3'],
      ]);
    },
    TIMEOUT,
  );

  it(
    'accepts the findings of a baseline report',
    async () => {
      const repo = newRepo();
      commit(repo, 'legacy.cfg', `token=${token()}\n`);
      const first = await scan(repo, { 'fail-on': 'none', 'report-file': 'baseline.json' });
      expect(first.outputs['findings']).toBe('1');
      commit(repo, 'new.cfg', `token=${token()}\n`);
      const second = await scan(repo, { baseline: 'baseline.json' });
      expect(second.outputs['findings']).toBe('1');
      expect(errors(second).map((a) => a.properties['file'])).toContain('new.cfg');
      expect(second.summary).toContain('1 accepted finding');
    },
    TIMEOUT,
  );

  it(
    'reads a .gitleaks.toml: custom rules on top of the defaults and its path allowlist',
    async () => {
      const repo = newRepo();
      commit(
        repo,
        '.gitleaks.toml',
        [
          '[extend]',
          'useDefault = true',
          '[[rules]]',
          'id = "acme-internal-key"',
          "regex = '''(?i)acme_(?P<key>[a-z0-9]{24})'''",
          'secretGroup = 1',
          'keywords = ["acme_"]',
          '[allowlist]',
          "paths = ['''^fixtures/''']",
        ].join('\n'),
      );
      commit(repo, 'src/client.go', `key := "ACME_${'k3y9'.repeat(6)}"\n`);
      commit(repo, 'fixtures/leak.txt', token());
      const run = await scan(repo);
      const titles = errors(run).map((a) => `${a.properties['title']} ${a.properties['file']}`);
      expect(titles).toContain('secret-scan: acme-internal-key src/client.go');
      expect(titles.some((t) => t.includes('fixtures/'))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'annotates at most max-annotations findings and lists the rest in the reports',
    async () => {
      const repo = newRepo();
      commit(repo, 'many.txt', Array.from({ length: 8 }, () => `t = ${token()}`).join('\n'));
      const run = await scan(repo, { 'max-annotations': '3', 'fail-on': 'none' });
      expect(errors(run)).toHaveLength(3);
      expect(run.outputs['findings']).toBe('8');
      expect(JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8')).findings).toHaveLength(8);
    },
    TIMEOUT,
  );

  it(
    'names the config rule whose Go regex cannot run in JavaScript',
    async () => {
      const repo = newRepo();
      commit(repo, '.gitleaks.toml', "[[rules]]\nid = \"possessive\"\nregex = '''a++b'''\n");
      const run = await scan(repo);
      expect(run.outputs['error-code']).toBe('config-invalid');
      expect(errors(run)[0]!.message).toContain("rule 'possessive'");
    },
    TIMEOUT,
  );
});

describe('secret-scan-gate with bad inputs', () => {
  it(
    'names every bad input at once and scans nothing, with the standard summary',
    async () => {
      const repo = newRepo();
      commit(repo, 'app.env', 'LOG_LEVEL=info\n');
      const run = await scan(repo, { mode: 'everything', 'fail-on': 'some', 'max-annotations': 'many' });
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run)).toHaveLength(1);
      for (const name of ['mode', 'fail-on', 'max-annotations'])
        expect(errors(run)[0]!.message).toContain(`'${name}'`);
      expect(run.outputs['findings']).toBeUndefined();
      expect(run.summary).toContain('secret-scan-gate: invalid input');
      expect(run.summary).toContain('Nothing was scanned.');
      expect(run.summary).toContain("'max-annotations'");
    },
    TIMEOUT,
  );
});

describe('secret-scan-gate on commit ranges', () => {
  function origin(): { bare: string; work: string } {
    const work = newRepo();
    const bare = mkdtempSync(join(tmpdir(), 'secret-scan-origin-'));
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(work, 'remote', 'add', 'origin', bare);
    git(work, 'push', '-q', 'origin', 'main');
    return { bare, work };
  }
  function shallowClone(bare: string, ref: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'secret-scan-clone-'));
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', `file://${bare}`);
    git(dir, 'fetch', '-q', '--depth=1', 'origin', ref);
    git(dir, 'checkout', '-q', 'FETCH_HEAD');
    return dir;
  }

  it(
    'scans every commit of a 35-commit pull request from a depth-1 clone, past the first 30',
    async () => {
      const { bare, work } = origin();
      const base = git(work, 'rev-parse', 'HEAD');
      git(work, 'checkout', '-q', '-b', 'feature');
      const secret = token();
      for (let i = 1; i <= 35; i++)
        commit(work, `src/f${i}.txt`, i === 33 ? `token = ${secret}\n` : `n = ${i}\n`);
      const head = git(work, 'rev-parse', 'HEAD');
      git(work, 'push', '-q', 'origin', 'feature');
      const clone = shallowClone(bare, 'feature');
      const run = await runAction('secret-scan-gate', {
        workspace: clone,
        inputs: {},
        env: {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event({
            pull_request: { number: 7, commits: 35, base: { sha: base }, head: { sha: head } },
          }),
        },
        timeoutMs: 120_000,
      });
      expect(run.outputs['findings']).toBe('1');
      expect(errors(run)[0]!.properties).toMatchObject({ file: 'src/f33.txt', line: '1' });
      const report = JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8'));
      expect(report.stats.commits).toBe(35);
      expect(run.stdout).toContain('deepening');
      expect(visibleText(run)).not.toContain(secret);
    },
    TIMEOUT,
  );

  it(
    'scans only the pushed range on push',
    async () => {
      const { bare, work } = origin();
      commit(work, 'old.txt', `token = ${token()}\n`);
      const before = git(work, 'rev-parse', 'HEAD');
      git(work, 'push', '-q', 'origin', 'main');
      commit(work, 'new.txt', `token = ${token()}\n`);
      const after = git(work, 'rev-parse', 'HEAD');
      git(work, 'push', '-q', 'origin', 'main');
      const clone = shallowClone(bare, 'main');
      const run = await runAction('secret-scan-gate', {
        workspace: clone,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: event({ ref: 'refs/heads/main', before, after }),
        },
        timeoutMs: 120_000,
      });
      expect(
        errors(run)
          .filter((a) => a.properties['file'])
          .map((a) => a.properties['file']),
      ).toEqual(['new.txt']);
    },
    TIMEOUT,
  );

  it(
    'scans only the commits no other branch has when a new branch is pushed',
    async () => {
      const { bare, work } = origin();
      commit(work, 'on-main.txt', `token = ${token()}\n`);
      git(work, 'push', '-q', 'origin', 'main');
      git(work, 'checkout', '-q', '-b', 'feature');
      commit(work, 'on-feature.txt', `token = ${token()}\n`);
      commit(work, 'second.txt', 'n = 2\n');
      const after = git(work, 'rev-parse', 'HEAD');
      git(work, 'push', '-q', 'origin', 'feature');
      const clone = shallowClone(bare, 'feature');
      const run = await runAction('secret-scan-gate', {
        workspace: clone,
        env: {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: event({
            ref: 'refs/heads/feature',
            before: '0'.repeat(40),
            after,
            created: true,
          }),
        },
        timeoutMs: 120_000,
      });
      expect(
        errors(run)
          .filter((a) => a.properties['file'])
          .map((a) => a.properties['file']),
      ).toEqual(['on-feature.txt']);
      expect(JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8')).stats.commits).toBe(2);
    },
    TIMEOUT,
  );

  it(
    'finds in history mode a secret that a later commit removed from the tree',
    async () => {
      const repo = newRepo();
      commit(repo, 'config.ini', `token = ${token()}\n`);
      commit(repo, 'config.ini', 'token = ${TOKEN}\n');
      const tree = await scan(repo, { mode: 'tree' });
      const history = await scan(repo, { mode: 'history' });
      expect(tree.outputs['findings']).toBe('0');
      expect(history.outputs['findings']).toBe('1');
      expect(errors(history)[0]!.message).toContain('commit ');
    },
    TIMEOUT,
  );

  it(
    'fails instead of passing when the range cannot be read',
    async () => {
      const repo = newRepo();
      const run = await scan(repo, {
        mode: 'diff',
        base: '1111111111111111111111111111111111111111',
        head: 'HEAD',
      });
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('range-unreadable');
      expect(run.outputs['findings']).toBeUndefined();
      expect(run.summary).toContain('not completed');
    },
    TIMEOUT,
  );

  it(
    'reports a secret that a merge commit introduced itself',
    async () => {
      const repo = newRepo();
      git(repo, 'checkout', '-q', '-b', 'side');
      commit(repo, 'side.txt', 'side\n');
      git(repo, 'checkout', '-q', 'main');
      commit(repo, 'main.txt', 'main\n');
      const base = git(repo, 'rev-parse', 'HEAD');
      git(repo, 'merge', '-q', '--no-ff', '--no-commit', 'side');
      write(repo, 'merged.txt', `token = ${token()}\n`);
      git(repo, 'add', 'merged.txt');
      git(repo, 'commit', '-q', '-m', 'merge side');
      const run = await scan(repo, { mode: 'diff', base, head: 'HEAD' });
      expect(
        errors(run)
          .filter((a) => a.properties['file'])
          .map((a) => a.properties['file']),
      ).toEqual(['merged.txt']);
    },
    TIMEOUT,
  );

  it(
    'flags a .env added in the range',
    async () => {
      const repo = newRepo();
      const base = git(repo, 'rev-parse', 'HEAD');
      commit(repo, 'deploy/.env.production', 'LOG_LEVEL=warn\n');
      const run = await scan(repo, { mode: 'diff', base });
      expect(errors(run).map((a) => a.properties['title'])).toContain('secret-scan: committed-dotenv');
    },
    TIMEOUT,
  );
});

// Values assembled at run time (this file is allowlisted, but the values should still look real to the scanner).
function randomText(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[(seed >>> 16) % alphabet.length];
  }
  return out;
}
const B64 = `${ALNUM}+/`;
function privateKey(): string {
  const body = Array.from({ length: 12 }, () => randomText(B64, 64)).join('\n');
  return ['-----BEGIN ', 'RSA PRIVATE KEY-----\n', body, '\n-----END ', 'RSA PRIVATE KEY-----\n'].join('');
}
const findingFiles = (run: ActionRun) =>
  errors(run)
    .filter((a) => a.properties['file'])
    .map((a) => a.properties['file']);
const titles = (run: ActionRun) => errors(run).flatMap((a) => a.properties['title'] ?? []);

describe('secret-scan-gate never reports clean without having looked', () => {
  // git log -p runs in the git directory as a bare repository (no working-tree attributes
  // read) only where git accepts that; otherwise from the working tree, as before.
  const historyWith = async (gitconfig: string, prepare: (repo: string) => void = () => undefined) => {
    const repo = newRepo();
    commit(repo, 'deploy/settings.txt', `token = ${token()}\n`);
    commit(repo, 'README.md', '# app, again\n');
    prepare(repo);
    const config = join(mkdtempSync(join(tmpdir(), 'secret-scan-gitconfig-')), 'config');
    writeFileSync(config, gitconfig.replaceAll('REPO', repo));
    return scan(repo, { mode: 'history' }, { GIT_CONFIG_GLOBAL: config });
  };

  it(
    'scans a history where git refuses an implicit bare repository (safe.bareRepository = explicit)',
    async () => {
      const run = await historyWith('[safe]\n\tbareRepository = explicit\n');
      expect(run.stderr).not.toMatch(/cannot use bare repository/);
      expect(findingFiles(run)).toEqual(['deploy/settings.txt']);
      expect(run.summary).toMatch(/3 commits/);
    },
    TIMEOUT,
  );

  it(
    "scans a history checked out by another user, safe.directory naming the workspace (a container job's checkout)",
    async () => {
      // actions/checkout in a container job: the files are the runner user's, the job runs as
      // root, and safe.directory lists the workspace. Entered as a bare repository, git would
      // check the .git directory's own path: "dubious ownership".
      expect(process.getuid?.()).toBe(0); // chown needs root, as the lab and CI run
      const run = await historyWith('[safe]\n\tdirectory = REPO\n', (repo) =>
        execFileSync('chown', ['-R', 'nobody', repo]),
      );
      expect(run.stderr).not.toMatch(/dubious ownership/);
      expect(findingFiles(run)).toEqual(['deploy/settings.txt']);
      expect(run.summary).toMatch(/3 commits/);
    },
    TIMEOUT,
  );

  it(
    'reads patches of files a .gitattributes marks binary (* -diff) and lists real binaries as skipped',
    async () => {
      const repo = newRepo();
      const base = git(repo, 'rev-parse', 'HEAD');
      commit(repo, '.gitattributes', '* -diff\n');
      commit(repo, 'deploy/settings.txt', `token = ${token()}\n`);
      writeFileSync(
        join(repo, 'logo.bin'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3, 0, 0, 9, 0, 0]),
      );
      git(repo, 'add', 'logo.bin');
      git(repo, 'commit', '-q', '-m', 'logo');
      const run = await scan(repo, { mode: 'diff', base });
      expect(findingFiles(run)).toEqual(['deploy/settings.txt']);
      expect(run.summary).toContain('logo.bin');
    },
    TIMEOUT,
  );

  it(
    'reports a committed PKCS#12 bundle (made by openssl here, never committed) in tree and history modes, not a text file named .p12',
    async () => {
      const repo = newRepo();
      const keys = mkdtempSync(join(tmpdir(), 'secret-scan-p12-'));
      const openssl = (...args: string[]): void => {
        execFileSync('openssl', args, { cwd: keys, stdio: 'pipe' });
      };
      openssl(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-subj',
        '/CN=e2e',
        '-days',
        '1',
      );
      openssl(
        'pkcs12',
        '-export',
        '-inkey',
        'k.pem',
        '-in',
        'c.pem',
        '-out',
        'b.p12',
        '-passout',
        'pass:e2e-only',
      );
      mkdirSync(join(repo, 'deploy'));
      writeFileSync(join(repo, 'deploy/client.pfx'), readFileSync(join(keys, 'b.p12')));
      write(repo, 'docs/about.p12', 'The client bundle lives in the vault, not here.\n');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'certificates');
      const tree = await scan(repo);
      expect(tree.exitCode).not.toBe(0);
      expect(tree.outputs['error-code']).toBe('secrets-found');
      expect(findingFiles(tree)).toEqual(['deploy/client.pfx']);
      expect(titles(tree)).toContain('secret-scan: pkcs12-file');
      const history = await scan(repo, { mode: 'history' });
      expect(findingFiles(history)).toEqual(['deploy/client.pfx']);
    },
    TIMEOUT,
  );

  it(
    'reports a file the time budget cut short as a finding of its own (fail-on decides)',
    async () => {
      const repo = mkdtempSync(join(tmpdir(), 'secret-scan-repo-'));
      git(repo, 'init', '-q', '-b', 'main');
      commit(
        repo,
        'big.txt',
        Array.from({ length: 200_000 }, (_, i) => `token_${i} = secret_${i}`).join('\n'),
      );
      const run = await scan(repo, { 'time-budget': '1ms' });
      expect(run.exitCode).not.toBe(0);
      expect(titles(run)).toContain('secret-scan: not-fully-scanned');
      expect(run.summary).toContain('not-fully-scanned');
      expect(run.summary).toContain('big.txt');
      const lenient = await scan(repo, { 'time-budget': '1ms', 'fail-on': 'none' });
      expect(lenient.exitCode).toBe(0);
      expect(Number(lenient.outputs['findings'])).toBeGreaterThan(0);
      const history = await scan(repo, { mode: 'history', 'time-budget': '1ms' });
      expect(history.exitCode).not.toBe(0);
      expect(titles(history)).toContain('secret-scan: not-fully-scanned');
    },
    TIMEOUT,
  );

  function origin(): { bare: string; work: string } {
    const work = newRepo();
    const bare = mkdtempSync(join(tmpdir(), 'secret-scan-origin-'));
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(work, 'remote', 'add', 'origin', bare);
    git(work, 'push', '-q', 'origin', 'main');
    return { bare, work };
  }
  function clone(bare: string, ref: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'secret-scan-clone-'));
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', `file://${bare}`);
    git(dir, 'fetch', '-q', '--depth=1', 'origin', ref);
    git(dir, 'checkout', '-q', 'FETCH_HEAD');
    return dir;
  }
  const pushEvent = (branch: string, after: string) =>
    event({
      ref: `refs/heads/${branch}`,
      before: '0'.repeat(40),
      after,
      created: true,
      repository: { default_branch: 'main' },
    });

  it(
    'scans a new branch whose commits already sit on another branch against the default branch',
    async () => {
      const { bare, work } = origin();
      git(work, 'checkout', '-q', '-b', 'feature');
      commit(work, 'leak.txt', `token = ${token()}\n`);
      git(work, 'push', '-q', 'origin', 'feature');
      git(work, 'checkout', '-q', '-b', 'copy');
      const after = git(work, 'rev-parse', 'HEAD');
      git(work, 'push', '-q', 'origin', 'copy');
      const run = await runAction('secret-scan-gate', {
        workspace: clone(bare, 'copy'),
        env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: pushEvent('copy', after) },
        timeoutMs: 120_000,
      });
      expect(findingFiles(run)).toEqual(['leak.txt']);
    },
    TIMEOUT,
  );

  it(
    'scans both of two new branches pushed at once',
    async () => {
      const { bare, work } = origin();
      git(work, 'checkout', '-q', '-b', 'one');
      commit(work, 'leak.txt', `token = ${token()}\n`);
      const after = git(work, 'rev-parse', 'HEAD');
      git(work, 'branch', 'two');
      git(work, 'push', '-q', 'origin', 'one', 'two');
      for (const branch of ['one', 'two']) {
        const run = await runAction('secret-scan-gate', {
          workspace: clone(bare, branch),
          env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: pushEvent(branch, after) },
          timeoutMs: 120_000,
        });
        expect(findingFiles(run)).toEqual(['leak.txt']);
      }
    },
    TIMEOUT,
  );

  it(
    "takes a pull request's .gitleaks.toml and ignore files from its base, and reports the changes to them",
    async () => {
      const repo = newRepo();
      const base = git(repo, 'rev-parse', 'HEAD');
      commit(repo, '.gitleaks.toml', "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''.*''']\n");
      commit(repo, '.secretscanignore', 'leak.txt:github-pat:1\n');
      commit(repo, 'leak.txt', `${token()}\n`);
      const head = git(repo, 'rev-parse', 'HEAD');
      const run = await runAction('secret-scan-gate', {
        workspace: repo,
        env: {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event({
            pull_request: { number: 3, commits: 3, base: { sha: base }, head: { sha: head } },
          }),
        },
        timeoutMs: 120_000,
      });
      expect(titles(run)).toContain('secret-scan: github-pat');
      const changed = errors(run)
        .filter((a) => a.properties['title'] === 'secret-scan: scan-config-changed')
        .map((a) => a.properties['file']);
      expect(changed.sort()).toEqual(['.gitleaks.toml', '.secretscanignore']);
    },
    TIMEOUT,
  );

  it(
    'decodes UTF-16 with a BOM and scans text with stray NULs, in tree and diff mode',
    async () => {
      const repo = newRepo();
      const base = git(repo, 'rev-parse', 'HEAD');
      write(repo, 'win/settings.ini', '');
      writeFileSync(
        join(repo, 'win/settings.ini'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[auth]\r\ntoken=${token()}\r\n`, 'utf16le')]),
      );
      writeFileSync(
        join(repo, 'notes.txt'),
        Buffer.concat([Buffer.from('header\0\0\n'), Buffer.from(`token = ${token()}\n`)]),
      );
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'odd encodings');
      for (const inputs of [{ mode: 'tree' }, { mode: 'diff', base }] as Record<string, string>[]) {
        const run = await scan(repo, inputs);
        expect(findingFiles(run).sort()).toEqual(['notes.txt', 'win/settings.ini']);
      }
    },
    TIMEOUT,
  );

  it(
    'finds a private key whose body alone changed, and one across the 1 MiB read boundary',
    async () => {
      const repo = newRepo();
      commit(repo, 'keys/deploy.pem', privateKey());
      const base = git(repo, 'rev-parse', 'HEAD');
      commit(repo, 'keys/deploy.pem', privateKey());
      const bodyOnly = await scan(repo, { mode: 'diff', base });
      expect(titles(bodyOnly)).toContain('secret-scan: private-key');
      const filler = Array.from({ length: (1024 * 1024) / 64 }, () => `# ${'-'.repeat(60)}`)
        .join('\n')
        .slice(0, 1024 * 1024 - 300);
      commit(repo, 'keys/bundle.txt', `${filler}\n${privateKey()}`);
      const base2 = git(repo, 'rev-parse', 'HEAD~1');
      for (const inputs of [{ mode: 'tree' }, { mode: 'diff', base: base2 }] as Record<string, string>[]) {
        const run = await scan(repo, inputs);
        expect(findingFiles(run)).toContain('keys/bundle.txt');
      }
    },
    TIMEOUT,
  );

  it(
    'scans lock files, .min.js, .map and text files with binary extensions, and does not take a config.js with a data URI for minified',
    async () => {
      const repo = newRepo();
      const lock = {
        name: 'app',
        lockfileVersion: 3,
        packages: {
          'node_modules/x': {
            version: '1.0.0',
            resolved: `https://npm.pkg.example.com/x/-/x-1.0.0.tgz?token=${token()}`,
          },
        },
      };
      commit(repo, 'package-lock.json', JSON.stringify(lock, null, 2));
      commit(
        repo,
        'public/app.min.js',
        `!function(){var a=${JSON.stringify(token())};${'x=1;'.repeat(3000)}}();`,
      );
      commit(
        repo,
        'public/app.js.map',
        JSON.stringify({
          version: 3,
          sources: ['a.js'],
          sourcesContent: [`const key = "${token()}";\n`],
          mappings: 'AAAA',
        }),
      );
      commit(repo, 'data/creds.db', `admin ${token()}\n`);
      const dataUri = `data:image/png;base64,${randomText(B64, 20_000)}`;
      commit(
        repo,
        'src/config.js',
        `export const logo = "${dataUri}";\nexport const db = {\n  password: "Zq8#vLp2!xR7@tKw",\n};\n`,
      );
      const run = await scan(repo, { 'fail-on': 'none' });
      expect(findingFiles(run).sort()).toEqual([
        'data/creds.db',
        'package-lock.json',
        'public/app.js.map',
        'public/app.min.js',
        'src/config.js',
      ]);
    },
    TIMEOUT,
  );

  it(
    'keeps exact-format tokens that contain words like Todo, FAKE or sample, and AWS secret keys that start with /',
    async () => {
      const repo = newRepo();
      const body = randomText(ALNUM, 26);
      const ghp = ['gh', 'p_', `Todo${body.slice(0, 12)}FAKE${body.slice(12, 22)}sample`].join('');
      const aws = `/${randomText(B64, 10)}Todo${randomText(B64, 25)}`;
      commit(repo, 'ci/env.sh', `export GH_TOKEN=${ghp}\naws_secret_access_key = ${aws}\n`);
      const run = await scan(repo);
      expect(titles(run).sort()).toEqual(['secret-scan: aws-secret-access-key', 'secret-scan: github-pat']);
    },
    TIMEOUT,
  );

  it(
    'flags a .env that a rename created, in commit modes',
    async () => {
      const repo = newRepo();
      commit(repo, 'config/settings.txt', 'LOG_LEVEL=debug\nPORT=8080\n');
      const base = git(repo, 'rev-parse', 'HEAD');
      git(repo, 'mv', 'config/settings.txt', 'config/.env');
      git(repo, 'commit', '-q', '-m', 'rename');
      const run = await scan(repo, { mode: 'diff', base });
      expect(errors(run).map((a) => `${a.properties['title']} ${a.properties['file']}`)).toContain(
        'secret-scan: committed-dotenv config/.env',
      );
    },
    TIMEOUT,
  );

  it(
    'finishes a user rule that backtracks, a 16 MiB line of one letter and a line dense with jdbc:, reporting the right result',
    async () => {
      const repo = newRepo();
      commit(
        repo,
        '.gitleaks.toml',
        "[extend]\nuseDefault = true\n[[rules]]\nid = \"nested\"\nregex = '''(?:a|aa)+b'''\n",
      );
      const base = git(repo, 'rev-parse', 'HEAD');
      commit(repo, 'evil.txt', `${'a'.repeat(60)}c\n`);
      commit(repo, 'blob.txt', `${'A'.repeat(16 * 1024 * 1024)}\n`);
      commit(repo, 'jdbc.txt', `${'jdbc:x:'.repeat(90_000)}\n`);
      const run = await runAction('secret-scan-gate', {
        workspace: repo,
        inputs: { mode: 'diff', base },
        timeoutMs: 100_000,
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['findings']).toBe('0');
    },
    TIMEOUT,
  );

  it(
    'writes SARIF paths relative to the repository root when path is a subdirectory',
    async () => {
      const repo = newRepo();
      commit(repo, 'svc/api/config.yaml', `token: ${token()}\n`);
      const run = await scan(repo, { path: 'svc', 'fail-on': 'none' });
      const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8'));
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
        'svc/api/config.yaml',
      );
    },
    TIMEOUT,
  );

  it(
    'escapes file names in the summary',
    async () => {
      const repo = newRepo();
      commit(repo, 'a_[b](x)*c*.txt', `t = ${token()}\n`);
      const run = await scan(repo, { 'fail-on': 'none' });
      expect(run.summary).toContain('a\\_\\[b\\]\\(x\\)\\*c\\*.txt');
    },
    TIMEOUT,
  );

  it(
    'keeps prefixes and hashes in the JSON report only for long random tokens, and a baseline still accepts short passwords',
    async () => {
      const repo = newRepo();
      const short = 'Qx7#pL2!vRm4';
      commit(repo, 'app.ini', `[db]\npassword = "${short}"\n`);
      commit(repo, 'ci.txt', `token = ${token()}\n`);
      const run = await scan(repo, { 'fail-on': 'none', 'report-file': 'base.json' });
      const report = JSON.parse(readFileSync(join(repo, 'base.json'), 'utf8'));
      const weak = report.findings.find((f: { file: string }) => f.file === 'app.ini');
      const strong = report.findings.find((f: { file: string }) => f.file === 'ci.txt');
      const { createHash } = await import('node:crypto');
      const plain = createHash('sha256').update(short).digest('hex').slice(0, 16);
      expect(JSON.stringify(weak)).not.toContain(plain);
      expect(weak.redacted).not.toContain(short.slice(0, 2));
      expect(strong.redacted.startsWith('ghp_'.slice(0, 2))).toBe(true);
      expect(run.outputs['findings']).toBe('2');
      const again = await scan(repo, { baseline: 'base.json' });
      expect(again.exitCode).toBe(0);
    },
    TIMEOUT,
  );
});

describe('secret-scan-gate on credentials assigned in config files', () => {
  it(
    'finds DB_PASS-style assignments with punctuation in .env, .ini, .properties, YAML and TOML, in the tree and in history, but not placeholders',
    async () => {
      const repo = newRepo();
      const pw = () => `${randomText(ALNUM, 8)}#${randomText(ALNUM, 3)}@!%`;
      commit(repo, 'deploy/app.env', `RABBITMQ_PASS=${pw()}\nDB_PASS=changeme\nAPI_TOKEN=\${API_TOKEN}\n`);
      commit(repo, 'config/app.ini', `[db]\nadmin_pass = ${pw()}\nuser = app\n`);
      commit(repo, 'conf/application.properties', `mail.smtp.pass=${pw()}\nmail.smtp.user=ops\n`);
      commit(repo, 'deploy/values.yaml', `db:\n  rabbitmq_pass: "${pw()}"\n  password: "<password>"\n`);
      commit(
        repo,
        'config/app.toml',
        `[auth]\napi_secret = "${pw()}"\nsigning_key = "vault:secret/data/app#key"\n`,
      );
      const tree = await scan(repo, { 'fail-on': 'none' });
      const expected = [
        'conf/application.properties:1',
        'config/app.ini:2',
        'config/app.toml:2',
        'deploy/app.env:1',
        'deploy/values.yaml:2',
      ];
      const located = (run: ActionRun) =>
        errors(run)
          .filter((a) => a.properties['title'] === 'secret-scan: generic-config-credential')
          .map((a) => `${a.properties['file']}:${a.properties['line']}`)
          .sort();
      expect(located(tree)).toEqual(expected);
      for (const file of [
        'deploy/app.env',
        'config/app.ini',
        'conf/application.properties',
        'deploy/values.yaml',
        'config/app.toml',
      ])
        commit(repo, file, '# moved to the secret store\n');
      const history = await scan(repo, { mode: 'history', 'fail-on': 'none' });
      expect(located(history)).toEqual(expected);
    },
    TIMEOUT,
  );
});

describe('secret-scan-gate on worker threads (the bundle re-entered as a worker)', () => {
  it(
    'scans a tree of 300 files on several threads and reports the token on its line',
    async () => {
      const repo = newRepo();
      for (let i = 0; i < 300; i++) write(repo, `src/m${i}.py`, `def f${i}():\n    return ${i}\n`);
      const secret = token();
      write(repo, 'src/m250.py', `def f():\n    pass\nGH = "${secret}"\n`);
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'many files');
      const run = await scan(repo);
      expect(run.stdout).toMatch(/Scanning 301 files with \d+ rules on \d+ threads/);
      expect(run.outputs['findings']).toBe('1');
      expect(
        errors(run).find((a) => a.properties['title']?.includes('github-pat'))?.properties,
      ).toMatchObject({
        file: 'src/m250.py',
        line: '3',
      });
      expect(visibleText(run)).not.toContain(secret);
    },
    TIMEOUT,
  );

  it(
    'scans a history of 100 commits (on worker threads from 4 cores on) and names the commit that added the token',
    async () => {
      const repo = newRepo();
      const secret = token();
      let stream = '';
      for (let i = 1; i <= 100; i++) {
        const body = i === 37 ? `x = 1\ntoken = "${secret}"\n` : `x = ${i}\n`;
        const message = `c${i}\n`;
        stream += `commit refs/heads/main\ncommitter t <t@example.com> ${1700000000 + i} +0000\ndata ${message.length}\n${message}`;
        if (i === 1) stream += 'from refs/heads/main^0\n';
        stream += `M 644 inline app${i % 7}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`;
      }
      execFileSync('git', ['fast-import', '--quiet', '--force'], { cwd: repo, input: stream });
      git(repo, 'reset', '-q', '--hard', 'main');
      const added = git(repo, 'log', '--format=%H', '--grep', '^c37$');
      const run = await scan(repo, { mode: 'history' });
      // On 2 cores `git log -p` and one scanning thread already keep both busy (see scan.ts).
      const threaded = /Scanning every commit reachable from HEAD with \d+ rules on \d+ threads/.test(
        run.stdout,
      );
      expect(threaded).toBe(availableParallelism() >= 4);
      expect(run.outputs['findings']).toBe('1');
      const report = JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8'));
      expect(JSON.stringify(report)).toContain(added);
      expect(visibleText(run)).not.toContain(secret);
    },
    TIMEOUT,
  );
});
