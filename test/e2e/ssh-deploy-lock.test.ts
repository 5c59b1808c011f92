import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, type Lab } from '../lab/lab.js';
import { cleanUp, makeBundle, prepareRemoteDir } from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(120_000);

// The host lock's owner record (issue 11 item 15): it appears together with the lock,
// and a lock without one is reported as stale, with its age.
describeWithLab('ssh-deploy host lock', (lab: Lab) => {
  const connection = labConnection(lab);
  const dirs: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'ssh-deploy-lock-'));
  afterAll(async () => {
    await cleanUp(lab, [], dirs);
    rmSync(tmp, { recursive: true, force: true });
  });
  const errors = (run: ActionRun): string =>
    run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n');

  function newDir(): string {
    const dir = prepareRemoteDir(lab, {});
    dirs.push(dir);
    return dir;
  }

  it('reports a lock without an owner record as stale, with its age', async () => {
    const dir = newDir();
    const lock = join(dir, '.releases/.lock');
    mkdirSync(lock, { recursive: true });
    execFileSync('touch', ['-d', '2 hours ago', lock]);
    execFileSync('chown', ['-R', `${lab.user}:${lab.user}`, dir]);
    const run = await runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'source-dir': makeBundle(lab),
        strategy: 'script',
        script: 'true',
        'lock-timeout': '1s',
      },
      timeoutMs: 100_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('lock-stale');
    expect(errors(run)).toMatch(/has no owner record, taken 1[12]\dm\d\ds ago/);
    expect(errors(run)).toContain(`rm -r '${lock}'`);
    // Reported, never removed by us.
    expect(existsSync(lock)).toBe(true);
  });

  it('never leaves a lock without its owner record, even when the host step dies the moment the lock appears', async () => {
    const dir = newDir();
    const lock = join(dir, '.releases/.lock');
    // transport: local runs the host steps with this machine's tools; these mkdir and mv
    // are the real ones, except that the shell running the step is killed (SIGKILL) as soon
    // as the lock exists: a host that crashed, or a dropped session, at the worst moment.
    const bin = join(tmp, 'crash-bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['mkdir', 'mv']) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      writeFileSync(
        join(bin, tool),
        `#!/bin/sh\n${real} "$@"\nrc=$?\nif [ -e "$CRASH_WHEN_EXISTS" ]; then kill -9 $PPID; fi\nexit $rc\n`,
      );
      execFileSync('chmod', ['755', join(bin, tool)]);
    }
    const run = await runAction('ssh-deploy', {
      inputs: {
        transport: 'local',
        'remote-dir': dir,
        'source-dir': makeBundle(lab),
        strategy: 'script',
        script: 'true',
        'lock-timeout': '1s',
      },
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, CRASH_WHEN_EXISTS: lock },
      timeoutMs: 100_000,
    });
    // The step died: the deploy failed taking the lock.
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('lock-failed');
    expect(existsSync(lock)).toBe(true);
    expect(JSON.parse(readFileSync(join(lock, 'owner.json'), 'utf8'))).toMatchObject({
      run: expect.any(String),
      token: expect.any(String),
    });
    expect(readdirSync(join(dir, '.releases')).filter((f) => f.startsWith('.lock-new-'))).toEqual([]);
  });

  it('keeps .releases (release records, env file copies) to its owner: 0700', async () => {
    const dir = newDir();
    const run = await runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'source-dir': makeBundle(lab),
        strategy: 'script',
        script: 'true',
      },
      timeoutMs: 100_000,
    });
    expect(run.exitCode).toBe(0);
    const mode = execFileSync('stat', ['-c', '%a', join(dir, '.releases')], { encoding: 'utf8' }).trim();
    expect(mode).toBe('700');
  });
});
