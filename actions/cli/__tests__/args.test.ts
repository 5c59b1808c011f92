import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, InputReader } from '@deploy-actions/action-kit';
import { actionSpecs } from '../src/action-specs.generated.js';
import {
  environmentFilePath,
  inputVariable,
  mergeInputs,
  parseArgv,
  readEnvironmentFile,
  type MergeOptions,
} from '../src/args.js';
import { findCommand } from '../src/specs.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function merged(argv: string[], options: Partial<MergeOptions> = {}) {
  const parsed = parseArgv(argv, actionSpecs);
  return mergeInputs({ parsed, command: parsed.command!, specs: actionSpecs, env: {}, ...options });
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.input}: ${p.message}`);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseArgv', () => {
  it('finds the command after global flags that take a value', () => {
    const parsed = parseArgv(['--env', 'production', 'deploy', '--remote-dir', '/opt/app'], actionSpecs);
    expect(parsed.command?.name).toBe('deploy');
    expect(parsed.global.env).toBe('production');
    expect(parsed.flags.get('remote-dir')).toEqual(['/opt/app']);
  });

  it('takes --name=value and repeats of a flag as one item a line', () => {
    const parsed = parseArgv(['deploy', '--host=a.example', '--host', 'b.example'], actionSpecs);
    expect(parsed.flags.get('host')).toEqual(['a.example', 'b.example']);
  });

  it('reads boolean inputs as switches, with --no-<name> and --name=false', () => {
    expect(parseArgv(['deploy', '--dry-run'], actionSpecs).flags.get('dry-run')).toEqual(['true']);
    expect(parseArgv(['deploy', '--no-pull'], actionSpecs).flags.get('pull')).toEqual(['false']);
    expect(parseArgv(['deploy', '--fail-fast=false'], actionSpecs).flags.get('fail-fast')).toEqual(['false']);
  });

  it('keeps positional words apart from the command (lock status, rollback <id>)', () => {
    expect(parseArgv(['lock', 'status'], actionSpecs).positionals).toEqual(['status']);
    expect(parseArgv(['rollback', '--host', 'h', 'R1'], actionSpecs).positionals).toEqual(['R1']);
  });

  it('reports every unknown flag and unknown command at once, naming them', () => {
    expect(problems(() => parseArgv(['deploy', '--nope', '1', '--url', 'x'], actionSpecs))).toEqual([
      '--nope: is not an input of `deploy` (see deploy-actions deploy --help).',
      '--url: is not an input of `deploy` (see deploy-actions deploy --help).',
    ]);
    expect(problems(() => parseArgv(['deplyo'], actionSpecs))[0]).toMatch(
      /^deplyo: is not a deploy-actions command/,
    );
  });

  it('refuses a secret given as a flag, without echoing its value', () => {
    const found = problems(() => parseArgv(['deploy', '--private-key', 'KEYMATERIAL'], actionSpecs));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^private-key: is a secret.*--private-key-file PATH.*INPUT_PRIVATE_KEY/);
    expect(found.join()).not.toContain('KEYMATERIAL');
  });

  it("refuses inputs of another action (url is wait-ready's, not deploy's)", () => {
    expect(parseArgv(['wait-ready', '--url', 'http://127.0.0.1:1/'], actionSpecs).flags.get('url')).toEqual([
      'http://127.0.0.1:1/',
    ]);
  });

  it('does not offer lock and releases the inputs they do not read', () => {
    expect(problems(() => parseArgv(['releases', '--health-url', 'x'], actionSpecs))[0]).toMatch(
      /^--health-url: is not an input of `releases`/,
    );
  });

  it('refuses an environment name that is a path', () => {
    expect(problems(() => parseArgv(['deploy', '--env', '../etc/x'], actionSpecs))[0]).toMatch(/^--env: /);
  });
});

describe('mergeInputs', () => {
  it('sets INPUT_* as the runner does, defaults from action.yml included', () => {
    const { env, sources } = merged(['deploy', '--remote-dir', '/opt/app']);
    expect(env['INPUT_REMOTE-DIR']).toBe('/opt/app');
    expect(env['INPUT_KEEP-RELEASES']).toBe('5');
    expect(sources.get('keep-releases')).toBe('default');
    expect(env['INPUT_PRESERVE']).toContain('docker-compose.override.yml');
  });

  it('prefers a flag to INPUT_*, INPUT_* to the environment file, the file to the default', () => {
    const file = new Map([
      ['remote-dir', '/from/file'],
      ['username', 'file-user'],
      ['parallel', '3'],
    ]);
    const { env, sources } = merged(['deploy', '--remote-dir', '/from/flag'], {
      env: { 'INPUT_REMOTE-DIR': '/from/env', INPUT_USERNAME: 'env-user' },
      file,
    });
    expect(env['INPUT_REMOTE-DIR']).toBe('/from/flag');
    expect(env['INPUT_USERNAME']).toBe('env-user');
    expect(env['INPUT_PARALLEL']).toBe('3');
    expect([sources.get('remote-dir'), sources.get('username'), sources.get('parallel')]).toEqual([
      'flag',
      'env',
      'file',
    ]);
  });

  it('reads INPUT_REMOTE_DIR (what a shell can export) as INPUT_REMOTE-DIR', () => {
    expect(merged(['deploy'], { env: { INPUT_REMOTE_DIR: '/x/y' } }).env['INPUT_REMOTE-DIR']).toBe('/x/y');
  });

  it('reads a secret from --<name>-file', () => {
    const path = join(dir, 'key');
    writeFileSync(path, 'PRIVATE\nKEY\n');
    expect(merged(['deploy', '--private-key-file', path]).env['INPUT_PRIVATE-KEY']).toBe('PRIVATE\nKEY\n');
  });

  it('names the input when a --<name>-file cannot be read', () => {
    expect(problems(() => merged(['deploy', '--passphrase-file', join(dir, 'missing')]))[0]).toMatch(
      /^passphrase: --passphrase-file .* could not be read \(ENOENT\)/,
    );
  });

  it('sets what the command means: rollback previous, plan mode, render-env keeps its file', () => {
    const parsed = parseArgv(['rollback'], actionSpecs);
    expect(
      mergeInputs({
        parsed,
        command: parsed.command!,
        specs: actionSpecs,
        env: {},
        extra: { rollback: 'previous' },
      }).env['INPUT_ROLLBACK'],
    ).toBe('previous');
    const plan = parseArgv(['plan'], actionSpecs);
    expect(
      mergeInputs({ parsed: plan, command: findCommand('plan')!, specs: actionSpecs, env: {} }).env[
        'INPUT_MODE'
      ],
    ).toBe('plan');
    expect(merged(['render-env']).env['INPUT_KEEP']).toBe('true');
    expect(merged(['render-env', '--no-keep']).env['INPUT_KEEP']).toBe('false');
  });

  it("expects the user's known_hosts when nothing else says which host key to expect", () => {
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, '[127.0.0.1]:2222 ssh-ed25519 AAAA\n');
    expect(
      merged(['deploy', '--host', 'h'], { knownHostsDefault: knownHosts }).env['INPUT_KNOWN-HOSTS'],
    ).toBe(knownHosts);
    const pinned = merged(['deploy', '--host', 'h', '--host-fingerprint', 'SHA256:x'], {
      knownHostsDefault: knownHosts,
    });
    expect(pinned.env['INPUT_KNOWN-HOSTS']).toBeUndefined();
    const insecure = merged(['deploy', '--host', 'h', '--insecure-ignore-host-key'], {
      knownHostsDefault: knownHosts,
    });
    expect(insecure.env['INPUT_KNOWN-HOSTS']).toBeUndefined();
    expect(
      merged(['deploy', '--host', 'h'], { knownHostsDefault: join(dir, 'none') }).env['INPUT_KNOWN-HOSTS'],
    ).toBeUndefined();
  });

  it('gives the action reader exactly what the runner would (InputReader reads the merged values)', () => {
    const { env } = merged(['deploy', '--host', 'a', '--host', 'b:2200', '--no-pull', '--timeout', '10m']);
    const reader = new InputReader({ env });
    expect(reader.multiline('host', { commas: true })).toEqual(['a', 'b:2200']);
    expect(reader.boolean('pull', { default: true })).toBe(false);
    expect(reader.duration('timeout', { default: '30m' })).toBe(600_000);
  });
});

describe('readEnvironmentFile', () => {
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads inputs, lists as one item a line, numbers and booleans as text', () => {
    const path = write(
      'production.yml',
      'host: [web1.example, web2.example]\nusername: deploy\nremote-dir: /opt/app/prod\nparallel: 2\nfail-fast: false\nenv-files:\n  - .env\n  - release.env\n',
    );
    const values = readEnvironmentFile(path, actionSpecs);
    expect(Object.fromEntries(values)).toEqual({
      host: 'web1.example\nweb2.example',
      username: 'deploy',
      'remote-dir': '/opt/app/prod',
      parallel: '2',
      'fail-fast': 'false',
      'env-files': '.env\nrelease.env',
    });
  });

  it('refuses a secret in the file, naming it and not echoing it', () => {
    const path = write('leaky.yml', 'host: h\nprivate-key: SECRETKEYTEXT\npassphrase: hunter2\n');
    const found = problems(() => readEnvironmentFile(path, actionSpecs));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^private-key: is a secret and must not be in .*leaky\.yml/);
    expect(found.join()).not.toMatch(/SECRETKEYTEXT|hunter2/);
  });

  it('refuses keys that are no input of any action, and nested values', () => {
    const path = write('typo.yml', 'hosts: h\nremote-dir: {a: 1}\n');
    expect(problems(() => readEnvironmentFile(path, actionSpecs))).toEqual([
      expect.stringMatching(/^hosts: in .* is not an input of any action/),
      expect.stringMatching(/^remote-dir: in .* must be a string, number, boolean or a list of them\./),
    ]);
  });

  it('names a missing file', () => {
    expect(problems(() => readEnvironmentFile(join(dir, 'staging.yml'), actionSpecs))[0]).toMatch(
      /^--env: .*staging\.yml does not exist\./,
    );
  });

  it('finds deploy/<env>.yml in the working directory, or in --config-dir', () => {
    const global = { json: false, help: false, verbose: false, force: false, noColor: false };
    expect(environmentFilePath({ ...global, env: 'prod' }, '/repo')).toBe('/repo/deploy/prod.yml');
    expect(environmentFilePath({ ...global, env: 'prod', configDir: '/etc/app' }, '/repo')).toBe(
      '/etc/app/prod.yml',
    );
    expect(environmentFilePath(global, '/repo')).toBeUndefined();
  });
});

it('names variables as the runner does (hyphens kept)', () => {
  expect(inputVariable('remote-dir')).toBe('INPUT_REMOTE-DIR');
});
