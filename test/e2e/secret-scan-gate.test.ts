import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
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
function scan(workspace: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('secret-scan-gate', { workspace, inputs: { mode: 'tree', ...inputs }, env, timeoutMs: 120_000 });
}
// Each test runs the bundle (and git) several times on 2 shared cores.
const TIMEOUT = 120_000;
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');

describe('secret-scan-gate on the working tree', () => {
  it('fails with an annotation on the line holding a token, and never shows the token', async () => {
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
  }, TIMEOUT);

  it('writes SARIF 2.1.0 with the uri relative to path, the start line and a stable fingerprint', async () => {
    const repo = newRepo();
    commit(repo, 'svc/config.yaml', `a: 1\nb: 2\ntoken: ${token()}\n`);
    const first = await scan(repo, { path: 'svc', 'sarif-file': 'out/scan.sarif' });
    const second = await scan(repo, { path: 'svc', 'sarif-file': 'out/scan.sarif' });
    const sarif = JSON.parse(readFileSync(join(repo, 'out/scan.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const [result] = sarif.runs[0].results;
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('config.yaml');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(3);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['github-pat']);
    expect(first.outputs['findings']).toBe('1');
    const again = JSON.parse(readFileSync(second.outputs['sarif-file']!, 'utf8'));
    expect(again.runs[0].results[0].partialFingerprints).toEqual(result.partialFingerprints);
  }, TIMEOUT);

  it('passes a clean tree and still writes a summary', async () => {
    const repo = newRepo();
    commit(repo, 'app.py', 'password = os.environ["DB_PASSWORD"]\n');
    const run = await scan(repo);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['findings']).toBe('0');
    expect(run.summary).toContain('no secrets found');
  }, TIMEOUT);

  it('reports but does not fail with fail-on: none', async () => {
    const repo = newRepo();
    commit(repo, 'a.txt', token());
    const run = await scan(repo, { 'fail-on': 'none' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['findings']).toBe('1');
  }, TIMEOUT);

  it('flags a committed .env but not a committed .env.example', async () => {
    const repo = newRepo();
    commit(repo, '.env', 'LOG_LEVEL=debug\n');
    commit(repo, '.env.example', 'DB_PASSWORD=\n');
    const run = await scan(repo);
    const rules = errors(run).map((a) => `${a.properties['title']} ${a.properties['file']}`);
    expect(rules).toContain('secret-scan: committed-dotenv .env');
    expect(rules.join('\n')).not.toContain('.env.example');
  }, TIMEOUT);

  it('flags a Dockerfile that copies its context when .dockerignore lets .env in', async () => {
    const repo = newRepo();
    commit(repo, 'api/Dockerfile', 'FROM node:20\nWORKDIR /app\nCOPY . .\n');
    commit(repo, 'web/Dockerfile', 'FROM nginx\nCOPY . /usr/share/nginx/html\n');
    commit(repo, 'web/.dockerignore', '.git\n.env*\n');
    const run = await scan(repo);
    const flagged = errors(run).filter((a) => a.properties['title']?.includes('docker-context-includes-env'));
    expect(flagged.map((a) => [a.properties['file'], a.properties['line']])).toEqual([['api/Dockerfile', '3']]);
  }, TIMEOUT);

  it('accepts the findings of a baseline report', async () => {
    const repo = newRepo();
    commit(repo, 'legacy.cfg', `token=${token()}\n`);
    const first = await scan(repo, { 'fail-on': 'none', 'report-file': 'baseline.json' });
    expect(first.outputs['findings']).toBe('1');
    commit(repo, 'new.cfg', `token=${token()}\n`);
    const second = await scan(repo, { baseline: 'baseline.json' });
    expect(second.outputs['findings']).toBe('1');
    expect(errors(second).map((a) => a.properties['file'])).toContain('new.cfg');
    expect(second.summary).toContain('1 accepted finding');
  }, TIMEOUT);

  it('reads a .gitleaks.toml: custom rules on top of the defaults and its path allowlist', async () => {
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
  }, TIMEOUT);

  it('annotates at most max-annotations findings and lists the rest in the reports', async () => {
    const repo = newRepo();
    commit(repo, 'many.txt', Array.from({ length: 8 }, () => `t = ${token()}`).join('\n'));
    const run = await scan(repo, { 'max-annotations': '3', 'fail-on': 'none' });
    expect(errors(run)).toHaveLength(3);
    expect(run.outputs['findings']).toBe('8');
    expect(JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8')).findings).toHaveLength(8);
  }, TIMEOUT);

  it('names the config rule whose Go regex cannot run in JavaScript', async () => {
    const repo = newRepo();
    commit(repo, '.gitleaks.toml', "[[rules]]\nid = \"possessive\"\nregex = '''a++b'''\n");
    const run = await scan(repo);
    expect(run.outputs['error-code']).toBe('config-invalid');
    expect(errors(run)[0]!.message).toContain("rule 'possessive'");
  }, TIMEOUT);
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

  it('scans every commit of a 35-commit pull request from a depth-1 clone, past the first 30', async () => {
    const { bare, work } = origin();
    const base = git(work, 'rev-parse', 'HEAD');
    git(work, 'checkout', '-q', '-b', 'feature');
    const secret = token();
    for (let i = 1; i <= 35; i++) commit(work, `src/f${i}.txt`, i === 33 ? `token = ${secret}\n` : `n = ${i}\n`);
    const head = git(work, 'rev-parse', 'HEAD');
    git(work, 'push', '-q', 'origin', 'feature');
    const clone = shallowClone(bare, 'feature');
    const run = await runAction('secret-scan-gate', {
      workspace: clone,
      inputs: {},
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event({ pull_request: { number: 7, commits: 35, base: { sha: base }, head: { sha: head } } }) },
      timeoutMs: 120_000,
    });
    expect(run.outputs['findings']).toBe('1');
    expect(errors(run)[0]!.properties).toMatchObject({ file: 'src/f33.txt', line: '1' });
    const report = JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8'));
    expect(report.stats.commits).toBe(35);
    expect(run.stdout).toContain('deepening');
    expect(visibleText(run)).not.toContain(secret);
  }, TIMEOUT);

  it('scans only the pushed range on push', async () => {
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
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event({ ref: 'refs/heads/main', before, after }) },
      timeoutMs: 120_000,
    });
    expect(errors(run).filter((a) => a.properties['file']).map((a) => a.properties['file'])).toEqual(['new.txt']);
  }, TIMEOUT);

  it('scans only the commits no other branch has when a new branch is pushed', async () => {
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
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event({ ref: 'refs/heads/feature', before: '0'.repeat(40), after, created: true }) },
      timeoutMs: 120_000,
    });
    expect(errors(run).filter((a) => a.properties['file']).map((a) => a.properties['file'])).toEqual(['on-feature.txt']);
    expect(JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8')).stats.commits).toBe(2);
  }, TIMEOUT);

  it('finds in history mode a secret that a later commit removed from the tree', async () => {
    const repo = newRepo();
    commit(repo, 'config.ini', `token = ${token()}\n`);
    commit(repo, 'config.ini', 'token = ${TOKEN}\n');
    const tree = await scan(repo, { mode: 'tree' });
    const history = await scan(repo, { mode: 'history' });
    expect(tree.outputs['findings']).toBe('0');
    expect(history.outputs['findings']).toBe('1');
    expect(errors(history)[0]!.message).toContain('commit ');
  }, TIMEOUT);

  it('fails instead of passing when the range cannot be read', async () => {
    const repo = newRepo();
    const run = await scan(repo, { mode: 'diff', base: '1111111111111111111111111111111111111111', head: 'HEAD' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('range-unreadable');
    expect(run.outputs['findings']).toBeUndefined();
    expect(run.summary).toContain('not completed');
  }, TIMEOUT);

  it('reports a secret that a merge commit introduced itself', async () => {
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
    expect(errors(run).filter((a) => a.properties['file']).map((a) => a.properties['file'])).toEqual(['merged.txt']);
  }, TIMEOUT);

  it('flags a .env added in the range', async () => {
    const repo = newRepo();
    const base = git(repo, 'rev-parse', 'HEAD');
    commit(repo, 'deploy/.env.production', 'LOG_LEVEL=warn\n');
    const run = await scan(repo, { mode: 'diff', base });
    expect(errors(run).map((a) => a.properties['title'])).toContain('secret-scan: committed-dotenv');
  }, TIMEOUT);
});
