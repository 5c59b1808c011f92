import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDotenv } from '@deploy-actions/compose-env';
import { parse as parseYaml } from 'yaml';
import { repoRoot, runAction, runPost, visibleText, type ActionRun } from '../harness/run-action.js';

// A copy of the fixture stack (template, env/prod.env, compose.yml) as the workspace of each run.
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-ws-'));
  cpSync(join(repoRoot, 'test', 'fixtures', 'render-env', 'stack'), dir, { recursive: true });
  return dir;
}

const SECRET = `Zq8#"p$w'rd!{x}`;
const base = {
  template: '.env.example',
  'env-files': 'env/prod.env',
  secrets: JSON.stringify({ POSTGRES_PASSWORD: SECRET, GITHUB_TOKEN: 'ghs_notdeclared0000' }),
};

async function render(inputs: Record<string, string>, ws = workspace()): Promise<ActionRun> {
  return runAction('render-env', { inputs, workspace: ws, timeoutMs: 30_000 });
}

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');

describe('the render-env action', () => {
  it('writes the layered env file and outputs its path and keys', async () => {
    const run = await render(base);
    expect(run.exitCode).toBe(0);
    const file = run.outputs['env-file']!;
    expect(file).toBe(join(run.dirs.workspace, '.env'));
    const content = readFileSync(file, 'utf8');
    expect(run.outputs['keys']!.split('\n')).toEqual([
      'APP_URL',
      'APP_IMAGE',
      'BIND_IP',
      'DATA_DIR',
      'POSTGRES_PASSWORD',
      'LOG_LEVEL',
    ]);
    expect(Object.fromEntries(parseDotenv(content))).toMatchObject({
      BIND_IP: '10.0.0.5',
      LOG_LEVEL: 'warn',
      DATA_DIR: '/opt/shop/prod/data',
    });
  });

  it('writes the env file with mode 0600', async () => {
    const run = await render(base);
    expect(statSync(run.outputs['env-file']!).mode & 0o777).toBe(0o600);
  });

  it('makes an existing, world-readable output file 0600 too', async () => {
    const ws = workspace();
    writeFileSync(join(ws, '.env'), 'OLD=1\n', { mode: 0o644 });
    const run = await render(base, ws);
    expect(statSync(run.outputs['env-file']!).mode & 0o777).toBe(0o600);
  });

  it('writes a secret so that compose reads back exactly the value given', async () => {
    const run = await render(base);
    expect(parseDotenv(readFileSync(run.outputs['env-file']!, 'utf8')).get('POSTGRES_PASSWORD')).toBe(SECRET);
  });

  it('shows a secret given in secrets only in the output file: not in logs, summary, outputs or errors', async () => {
    const ok = await render({ ...base, 'compose-file': 'compose.yml', policy: 'recommended' });
    expect(ok.exitCode).toBe(0);
    expect(ok.masked).toContain(SECRET);
    expect(visibleText(ok)).not.toContain(SECRET);
    expect(readFileSync(ok.outputs['env-file']!, 'utf8')).toContain('POSTGRES_PASSWORD=');
  });

  it('keeps a secret out of an error message that interpolates it', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'leak.yml'),
      'services:\n  app:\n    image: ${NOPE:?the password is ${POSTGRES_PASSWORD}}\n',
    );
    const failed = await render({ ...base, 'compose-file': 'leak.yml' }, ws);
    expect(failed.exitCode).not.toBe(0);
    expect(errors(failed)[0]!.message).toContain('the password is ***');
    expect(visibleText(failed)).not.toContain(SECRET);
  });

  it('outputs the resolved compose config with secrets kept as ${NAME} references', async () => {
    const run = await render({ ...base, 'compose-file': 'compose.yml' });
    const config = run.outputs['compose-config']!;
    expect(config).toContain('- 10.0.0.5:8080:8080');
    expect(config).toContain('DATABASE_URL: postgres://shop:${POSTGRES_PASSWORD}@db:5432/shop');
  });

  it('takes only the secrets the template declares and names the others in a notice, never their values', async () => {
    const run = await render(base);
    const notice = run.annotations.find((a) => a.level === 'notice');
    expect(notice!.message).toContain('GITHUB_TOKEN');
    expect(notice!.message).not.toContain('ghs_notdeclared0000');
    expect(run.outputs['keys']).not.toContain('GITHUB_TOKEN');
  });

  it('summarises keys with their source, hiding secret values', async () => {
    const run = await render(base);
    expect(run.summary).toContain('| POSTGRES_PASSWORD | (secret, hidden) | secrets |');
    expect(run.summary).toContain('| LOG_LEVEL | warn | env-file env/prod.env |');
    expect(run.summary).toContain(
      '| APP_URL | https://shop.example.com | env-file env/prod.env | Public URL of the shop |',
    );
  });

  it('never shows a plain hash of the rendered file, which would let a weak secret be guessed offline', async () => {
    const weak = { ...base, secrets: JSON.stringify({ POSTGRES_PASSWORD: 'summer2024' }) };
    const first = await render(weak);
    const second = await render(weak);
    const content = readFileSync(first.outputs['env-file']!, 'utf8');
    expect(readFileSync(second.outputs['env-file']!, 'utf8')).toBe(content);
    const plain = createHash('sha256').update(content).digest('hex');
    expect(visibleText(first)).not.toContain(plain);
    // The output keeps its name and shape, keyed with a random key of the run: the same file gives another value.
    expect(first.outputs['sha256']).toMatch(/^[a-f0-9]{64}$/);
    expect(second.outputs['sha256']).not.toBe(first.outputs['sha256']);
  });

  it('declares its post step to run on cancel too, so the rendered file never stays behind', () => {
    const action = parseYaml(readFileSync(join(repoRoot, 'render-env', 'action.yml'), 'utf8')) as {
      runs: Record<string, string>;
    };
    expect(action.runs['post']).toBe('../dist/render-env/index.js');
    expect(action.runs['post-if']).toBe('always()');
  });

  it('records for the post step which file it wrote and that it did not exist before', async () => {
    const run = await render(base);
    expect(run.state['env-file']).toBe(run.outputs['env-file']);
    expect(run.state['env-file-existed']).toBe('false');
  });

  it('never deletes in post a file that existed before the step: it puts back what was there', async () => {
    const ws = workspace();
    writeFileSync(join(ws, '.env'), 'DEV_ONLY=1\n');
    chmodSync(join(ws, '.env'), 0o640);
    const run = await render(base, ws);
    expect(readFileSync(join(ws, '.env'), 'utf8')).toContain('POSTGRES_PASSWORD=');
    const post = await runPost('render-env', run, { timeoutMs: 30_000 });
    expect(post.exitCode).toBe(0);
    expect(readFileSync(join(ws, '.env'), 'utf8')).toBe('DEV_ONLY=1\n');
    expect(statSync(join(ws, '.env')).mode & 0o777).toBe(0o640);
    expect(visibleText(post)).toContain('Put back');
  });

  it('removes the env file in the post step', async () => {
    const run = await render(base);
    const file = run.outputs['env-file']!;
    const post = await runPost('render-env', run, { timeoutMs: 30_000 });
    expect(post.exitCode).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the env file after the post step with keep: true', async () => {
    const run = await render({ ...base, keep: 'true' });
    const post = await runPost('render-env', run, { timeoutMs: 30_000 });
    expect(post.exitCode).toBe(0);
    expect(existsSync(run.outputs['env-file']!)).toBe(true);
  });

  it('writes JSON with format: json', async () => {
    const run = await render({ ...base, format: 'json', output: 'env.json' });
    expect(JSON.parse(readFileSync(run.outputs['env-file']!, 'utf8'))).toMatchObject({
      POSTGRES_PASSWORD: SECRET,
      LOG_LEVEL: 'warn',
    });
  });

  it('lets vars override env files', async () => {
    const run = await render({ ...base, vars: 'LOG_LEVEL: debug' });
    expect(parseDotenv(readFileSync(run.outputs['env-file']!, 'utf8')).get('LOG_LEVEL')).toBe('debug');
  });

  it('never lets the runner environment into interpolation', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'extra.env'), 'FROM_RUNNER=${RUNNER_SECRET_THING:-unset}\n');
    const run = await runAction('render-env', {
      inputs: { ...base, 'env-files': 'env/prod.env\nextra.env' },
      env: { RUNNER_SECRET_THING: 'from-the-runner' },
      workspace: ws,
      timeoutMs: 30_000,
    });
    expect(parseDotenv(readFileSync(run.outputs['env-file']!, 'utf8')).get('FROM_RUNNER')).toBe('unset');
  });

  it('names every missing required key in one error and writes nothing', async () => {
    const ws = workspace();
    const run = await render({ template: '.env.example' }, ws);
    expect(run.exitCode).not.toBe(0);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toMatch(
      /^Input 'template' \(\.env\.example\): 2 required keys have no value: APP_IMAGE .*POSTGRES_PASSWORD/,
    );
    expect(run.outputs['error-code']).toBe('missing-required-keys');
    expect(existsSync(join(ws, '.env'))).toBe(false);
  });

  it('names the env file and line of a malformed env file and writes nothing', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'bad.env'), 'A=1\nB="never closed\n');
    const run = await render({ ...base, 'env-files': 'bad.env' }, ws);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toBe(
      "Input 'env-files': bad.env line 3: unterminated quoted value (the quote opens on line 2)",
    );
    expect(existsSync(join(ws, '.env'))).toBe(false);
  });

  it('names the template input when the template file does not exist', async () => {
    const run = await render({ template: 'nope.env' });
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toBe(
      "Input 'template': 'nope.env' does not exist (paths are relative to the workspace).",
    );
    expect(run.outputs['error-code']).toBe('invalid-input');
    expect(run.summary).toContain("Input 'template': 'nope.env' does not exist");
  });

  it('fails on an unresolved required variable in the compose file and writes nothing', async () => {
    const ws = workspace();
    writeFileSync(join(ws, 'c.yml'), 'services:\n  app:\n    image: app:${TAG:?set TAG}\n');
    const run = await render({ ...base, 'compose-file': 'c.yml' }, ws);
    expect(errors(run)[0]!.message).toBe(
      "Input 'compose-file': c.yml: error while interpolating services.app.image: required variable TAG is missing a value: set TAG",
    );
    expect(run.outputs['error-code']).toBe('unresolved-variable');
    expect(existsSync(join(ws, '.env'))).toBe(false);
  });

  it('fails with require-digest on an image that is not pinned, naming latest as the worst case', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'c.yml'),
      'services:\n  app:\n    image: ${APP_IMAGE}\n  cache:\n    image: redis:latest\n',
    );
    const run = await render({ ...base, 'compose-file': 'c.yml', 'require-digest': 'true' }, ws);
    expect(run.exitCode).not.toBe(0);
    expect(errors(run)[0]!.message).toContain(
      "cache uses 'redis:latest', which means 'latest': the worst case",
    );
    expect(errors(run)[0]!.message).not.toContain('app uses');
    expect(run.outputs['error-code']).toBe('image-not-pinned');
  });

  it('warns about policy findings with policy: recommended, one annotation per rule', async () => {
    const run = await render({ ...base, 'compose-file': 'compose.yml', policy: 'recommended' });
    expect(run.exitCode).toBe(0);
    const titles = run.annotations.filter((a) => a.level === 'warning').map((a) => a.properties['title']);
    expect(titles).toContain('policy internal-port-published');
    expect(titles).toContain('policy data-volume-not-host-path');
    expect(new Set(titles).size).toBe(titles.length);
    expect(run.summary).toContain('| db | internal-port-published |');
  });

  it('fails on policy findings with policy: strict, listing each with its fix', async () => {
    const run = await render({ ...base, 'compose-file': 'compose.yml', policy: 'strict' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('policy-failed');
    expect(errors(run)[0]!.message).toContain(
      '[internal-port-published] db: postgres publishes 5432:5432 on the host. Fix: Remove `ports:`',
    );
    expect(run.outputs['env-file']).toBeUndefined();
  });

  it('rejects policy and require-digest without a compose-file before doing anything', async () => {
    const run = await render({ ...base, policy: 'strict', 'require-digest': 'true' });
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]!.message).toContain("'require-digest': needs compose-file");
    expect(errors(run)[0]!.message).toContain("'policy': needs compose-file");
  });

  it('rejects a relative data-root, and data-root or deploy-only without a policy', async () => {
    const relative = await render({
      ...base,
      'compose-file': 'compose.yml',
      policy: 'recommended',
      'data-root': 'data',
    });
    expect(errors(relative)[0]!.message).toBe(
      "Input 'data-root': 'data' is not an absolute path, e.g. /opt/myapp/prod/data.",
    );
    const unused = await render({ ...base, 'data-root': '/opt/shop/prod/data', 'deploy-only': 'true' });
    expect(errors(unused)[0]!.message).toContain(
      "'deploy-only': only matters with policy 'recommended' or 'strict'.",
    );
    expect(errors(unused)[0]!.message).toContain(
      "'data-root': only matters with policy 'recommended' or 'strict'.",
    );
  });

  it('refuses a volume left empty by an unset variable, as compose would at up, naming the service and key', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'c.yml'),
      'services:\n  media:\n    image: ${APP_IMAGE}\n    volumes: ["${MEDIA_DIR}:/media/"]\n',
    );
    const run = await render({ ...base, 'compose-file': 'c.yml' }, ws);
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('compose-invalid');
    expect(errors(run)[0]!.message).toBe(
      "Input 'compose-file': c.yml: docker compose would refuse this file (1 problem):\n" +
        '  - services.media.volumes.0: invalid spec: :/media/: empty section between colons ' +
        '(written "${MEDIA_DIR}:/media/": is a variable in it empty or unset?)',
    );
    expect(existsSync(join(ws, '.env'))).toBe(false);
  });

  it('rejects a run with nothing to render', async () => {
    const run = await render({ secrets: base.secrets });
    expect(errors(run)[0]!.message).toBe(
      "Input 'template': nothing to render: give a template (e.g. .env.example), env-files or vars.",
    );
  });
});
