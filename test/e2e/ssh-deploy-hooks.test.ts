import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDotenv } from '@deploy-actions/compose-env';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import { cleanUp, makeBundle, prepareRemoteDir } from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(180_000);

// What hooks (pre-deploy, script, health-cmd, post-deploy) see of the env files (issue 11
// item 5), and a first deploy whose env files are not on the host yet, under dash and
// busybox sh (item 16). `strategy: script` keeps these runs free of containers.
describeWithLab('ssh-deploy hooks and env files', (lab: Lab) => {
  const connection = labConnection(lab);
  const dirs: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'ssh-deploy-hooks-'));
  afterAll(async () => {
    await cleanUp(lab, [], dirs);
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Every hook writes what it sees of $HOOK_SECRET (byte for byte) and the host's process list. */
  const writes = (name: string): string =>
    `printf '%s' "$HOOK_SECRET" > ${name}.out; ps -eo args > ${name}.ps; printf '%s' "$DEPLOY_RELEASE_ID" > ${name}.id`;
  const hooks = {
    strategy: 'script',
    'pre-deploy': writes('pre'),
    script: writes('script'),
    'health-cmd': writes('health'),
    'post-deploy': writes('post'),
  };

  describe('a value holding shell syntax', () => {
    let dir: string;
    let marker: string;
    let secret: string;
    let run: ActionRun;

    beforeAll(async () => {
      dir = prepareRemoteDir(lab, {});
      dirs.push(dir);
      marker = join(dir, 'backtick-ran');
      // Everything a shell would act on: a command in backticks (it would create the marker),
      // $VAR, $$ (the shell's PID), both quotes, a backslash, runs of spaces, a line break.
      secret = `tick\`touch ${marker}\`tock $HOME $$ pid "dq" 'sq' back\\slash  two  spaces\nsecond  line $(touch ${marker}) end`;
      // Written the way render-env writes it (compose's double-quoted form, $ doubled).
      writeFileSync(join(dir, '.env'), `APP_PORT=1\n${formatDotenv([['HOOK_SECRET', secret]])}`);
      execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, dir]);
      run = await runAction('ssh-deploy', {
        inputs: {
          ...connection,
          'remote-dir': dir,
          'source-dir': makeBundle(lab),
          'env-files': '.env',
          'health-timeout': '20s',
          ...hooks,
        },
        timeoutMs: 150_000,
      });
    });

    it('deploys', () => {
      expect(run.stdout.slice(-2000)).toContain('is live');
      expect(run.exitCode).toBe(0);
    });

    it('reads the value exactly as real Compose does (the oracle for what hooks must see)', () => {
      const composeFile = join(tmp, 'oracle.yml');
      writeFileSync(
        composeFile,
        'services:\n  x:\n    image: busybox\n    environment:\n      S: ${HOOK_SECRET}\n',
      );
      const config = JSON.parse(
        execFileSync(
          'docker',
          [
            'compose',
            '-p',
            'oracle',
            '-f',
            composeFile,
            '--env-file',
            join(dir, '.env'),
            'config',
            '--format',
            'json',
          ],
          { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
        ),
      ) as { services: { x: { environment: { S: string } } } };
      // `config` prints a compose file, so it writes each literal `$` as `$$`.
      expect(config.services.x.environment.S.replaceAll('$$', '$')).toBe(secret);
    });

    it.each(['pre', 'script', 'health', 'post'])('hands the %s hook the value byte for byte', (hook) => {
      expect(readFileSync(join(dir, `${hook}.out`), 'utf8')).toBe(secret);
    });

    it('runs nothing a value holds', () => {
      expect(existsSync(marker)).toBe(false);
    });

    it('never puts a value on a command line (the host process list during each hook)', () => {
      for (const hook of ['pre', 'script', 'health', 'post']) {
        const ps = readFileSync(join(dir, `${hook}.ps`), 'utf8');
        expect(ps).toContain('ps -eo args');
        expect(ps).not.toContain('tock');
        expect(ps).not.toContain('second  line');
      }
    });

    it('leaves no copy of the values behind on the host', () => {
      const leftovers = execFileSync('grep', ['-rl', 'tock', dir], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      // Only the host's own .env and what the hooks themselves wrote.
      expect(leftovers.sort()).toEqual(
        [join(dir, '.env'), ...['health', 'post', 'pre', 'script'].map((h) => join(dir, `${h}.out`))].sort(),
      );
    });

    it('shows no value in logs or outputs', () => {
      expect(visibleText(run)).not.toContain('tock');
    });
  });

  describe('a first deploy with pre-deploy and no env file on the host yet', () => {
    /** A dir whose `sh` is the given shell, first on PATH: transport: local runs every host step with `sh`. */
    function shellDir(name: string, target: string, args: string[] = []): string {
      const bin = join(tmp, `bin-${name}`);
      mkdirSync(bin, { recursive: true });
      if (args.length === 0) symlinkSync(target, join(bin, 'sh'));
      else {
        writeFileSync(join(bin, 'sh'), `#!${target}\nexec ${target} ${args.join(' ')} "$@"\n`);
        execFileSync('chmod', ['755', join(bin, 'sh')]);
      }
      return bin;
    }

    it.each([
      ['dash', '/usr/bin/dash', []],
      ['busybox sh', '/usr/bin/busybox', ['sh']],
    ] as const)('works under %s', async (name, shell, args) => {
      const bin = shellDir(name.replace(/\s/g, '-'), shell, [...args]);
      const dir = prepareRemoteDir(lab, {});
      dirs.push(dir);
      rmSync(dir, { recursive: true });
      // The shim really is the shell every host step runs under.
      const probe = execFileSync('sh', ['-c', 'readlink /proc/$$/exe'], {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      }).trim();
      expect(probe).toBe(shell);
      const run = await runAction('ssh-deploy', {
        inputs: {
          transport: 'local',
          'remote-dir': dir,
          'source-dir': makeBundle(lab),
          'env-files': '.env\nrelease.env',
          strategy: 'script',
          'pre-deploy': `echo "pre-deploy ran, release.env: \${APP_READY:-unset}" > pre.out`,
          script: `printf '%s' "$APP_READY" > script.out`,
        },
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
        timeoutMs: 120_000,
      });
      expect(run.stdout.slice(-2000)).toContain('is live');
      expect(run.exitCode).toBe(0);
      expect(readFileSync(join(dir, 'pre.out'), 'utf8')).toBe('pre-deploy ran, release.env: unset\n');
      // After shipping, release.env is there, and the script sees it.
      expect(readFileSync(join(dir, 'script.out'), 'utf8')).toBe('true');
    });
  });
});
