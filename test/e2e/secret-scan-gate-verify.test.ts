import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { startVerifyStandIn, type StandIn } from '../fixtures/secret-scan/verify-stand-in.js';

// `verify: true` run by the bundle against a local stand-in of the providers (127.0.0.1 only,
// through the test-only DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL). Tokens are assembled at run time.
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let seed = 29;
function chars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    s += ALNUM[seed % ALNUM.length];
  }
  return s;
}
const githubToken = (): string => ['gh', 'p_', chars(36)].join('');
const npmToken = (): string => ['np', 'm_', chars(36)].join('');

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function repoWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scanrules-verify-'));
  created.push(dir);
  const git = (...args: string[]): void => {
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  };
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'deploy.env.tpl'), text);
  git('add', '.');
  git('commit', '-q', '-m', 'config');
  return dir;
}

function scan(repo: string, inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  return runAction('secret-scan-gate', {
    workspace: repo,
    inputs: { mode: 'tree', ...inputs },
    env,
    timeoutMs: 120_000,
  });
}
const TIMEOUT = 120_000;
const report = (run: ActionRun) => JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8'));
const sarif = (run: ActionRun) => JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8'));
function secretNowhere(run: ActionRun, secret: string): void {
  expect(visibleText(run)).not.toContain(secret);
  expect(run.summary).not.toContain(secret);
  expect(readFileSync(run.outputs['report-file']!, 'utf8')).not.toContain(secret);
  expect(readFileSync(run.outputs['sarif-file']!, 'utf8')).not.toContain(secret);
}

describe('secret-scan-gate with verify: true against a local stand-in of the providers', () => {
  let standIn: StandIn;
  beforeEach(async () => {
    standIn = await startVerifyStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });
  const env = () => ({ DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL: standIn.url });

  it(
    'fails fail-on: verified on a live token, says so in the report, SARIF and summary, and never shows the token',
    async () => {
      const live = githubToken();
      standIn.live.add(live);
      const run = await scan(
        repoWith(`GH_TOKEN=${live}\n`),
        { verify: 'true', 'fail-on': 'verified' },
        env(),
      );
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('live-secrets-found');
      expect(run.outputs['verified-live']).toBe('1');
      expect(report(run).findings[0]).toMatchObject({ ruleId: 'github-pat', verified: true });
      expect(report(run).verification).toEqual({ checked: 1, live: 1, refused: 0, unknown: 0 });
      expect(sarif(run).runs[0].results[0].properties).toEqual({ verified: true });
      expect(run.summary).toContain('**1 live**');
      expect(run.summary).toMatch(/\| github-pat \|.*\| live \|/);
      expect(standIn.requests.map((r) => [r.provider, r.method, r.path])).toEqual([
        ['github', 'GET', '/user'],
      ]);
      expect(standIn.requests[0]!.headers['authorization']).toBe(`Bearer ${live}`);
      secretNowhere(run, live);
    },
    TIMEOUT,
  );

  it(
    'passes fail-on: verified when the provider refuses the token (revoked), and still reports it',
    async () => {
      const revoked = npmToken();
      const run = await scan(
        repoWith(`NPM_TOKEN=${revoked}\n`),
        { verify: 'true', 'fail-on': 'verified' },
        env(),
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs['findings']).toBe('1');
      expect(run.outputs['verified-live']).toBe('0');
      expect(report(run).findings[0]).toMatchObject({ ruleId: 'npm-access-token', verified: false });
      expect(run.summary).toMatch(/\| npm-access-token \|.*\| refused \|/);
      expect(standIn.requests.map((r) => r.provider)).toEqual(['npm']);
      secretNowhere(run, revoked);
    },
    TIMEOUT,
  );

  it(
    'reports unknown and passes fail-on: verified when the stand-in is down',
    async () => {
      const url = standIn.url;
      await standIn.close();
      const token = githubToken();
      const run = await scan(
        repoWith(`GH_TOKEN=${token}\n`),
        { verify: 'true', 'fail-on': 'verified', 'verify-timeout': '5s' },
        { DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL: url },
      );
      standIn = await startVerifyStandIn();
      expect(run.exitCode).toBe(0);
      expect(report(run).findings[0]).toMatchObject({ ruleId: 'github-pat', verified: 'unknown' });
      expect(sarif(run).runs[0].results[0].properties).toEqual({ verified: 'unknown' });
      expect(run.summary).toContain('github: network error');
      secretNowhere(run, token);
    },
    TIMEOUT,
  );

  it(
    'checks an AWS key pair found in the history (file since deleted) with a SigV4-signed STS call the stand-in verifies',
    async () => {
      const keyId = [
        'AK',
        'IA',
        chars(16)
          .toUpperCase()
          .replace(/[^A-Z2-7]/g, 'Q'),
      ].join('');
      const secret = `${chars(20)}/${chars(19)}`;
      standIn.awsKeys.set(keyId, secret);
      standIn.live.add(secret);
      const repo = repoWith(`aws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`);
      execFileSync('git', ['rm', '-q', 'deploy.env.tpl'], { cwd: repo });
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'remove'],
        { cwd: repo },
      );
      const run = await scan(repo, { mode: 'history', verify: 'true', 'fail-on': 'verified' }, env());
      expect(run.outputs['error-code']).toBe('live-secrets-found');
      const verdicts = report(run).findings.map((f: { ruleId: string; verified: unknown }) => [
        f.ruleId,
        f.verified,
      ]);
      expect(verdicts.sort()).toEqual([
        ['aws-access-key-id', true],
        ['aws-secret-access-key', true],
      ]);
      expect(standIn.requests.map((r) => [r.provider, r.method, r.body])).toEqual([
        ['aws', 'POST', 'Action=GetCallerIdentity&Version=2011-06-15'],
      ]);
      secretNowhere(run, secret);
    },
    TIMEOUT,
  );

  it(
    'still fails fail-on: any on a revoked token: verify only adds the verdict',
    async () => {
      const revoked = githubToken();
      const run = await scan(repoWith(`GH_TOKEN=${revoked}\n`), { verify: 'true' }, env());
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('secrets-found');
      expect(report(run).findings[0].verified).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'refuses a test base URL that is not loopback before scanning, and sends nothing',
    async () => {
      const token = githubToken();
      const run = await scan(
        repoWith(`GH_TOKEN=${token}\n`),
        { verify: 'true' },
        { DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL: 'http://192.0.2.1:8080' },
      );
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('verify-base-url-refused');
      expect(visibleText(run)).not.toContain(token);
    },
    TIMEOUT,
  );

  it(
    'makes no call without verify: true',
    async () => {
      const token = githubToken();
      standIn.live.add(token);
      const run = await scan(repoWith(`GH_TOKEN=${token}\n`), {}, env());
      expect(run.exitCode).not.toBe(0);
      expect(standIn.requests).toEqual([]);
      expect(report(run).findings[0].verified).toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'rejects fail-on: verified without verify: true, naming the input',
    async () => {
      const run = await scan(repoWith('LOG_LEVEL=info\n'), { 'fail-on': 'verified' }, env());
      expect(run.exitCode).not.toBe(0);
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(visibleText(run)).toContain('fail-on');
      expect(standIn.requests).toEqual([]);
    },
    TIMEOUT,
  );
});
