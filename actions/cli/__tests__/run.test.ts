// The CLI's wiring around an action: which inputs reach main(), what is printed where,
// the exit code and error-code. The real actions against the lab: test/e2e/cli*.test.ts.
import { Readable, Writable } from 'node:stream';
import { UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';
import { actionSpecs } from '../src/action-specs.generated.js';
import { runCli, type CliIo } from '../src/run.js';
import type { ActionSpec } from '../src/specs.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** An action that does what `fn` says with the context the CLI gives it. */
function fakeAction(fn: (ctx: ActionContext) => Promise<void>): ActionDefinition {
  return { name: 'fake', main: fn };
}

async function cli(
  argv: string[],
  action: ActionDefinition,
  options: { specs?: Record<string, ActionSpec>; env?: NodeJS.ProcessEnv } = {},
) {
  const stdout = new Sink();
  const stderr = new Sink();
  const loaded: string[] = [];
  const io: CliIo = {
    argv,
    env: options.env ?? {},
    cwd: process.cwd(),
    stdout,
    stderr,
    stdin: Readable.from([]),
    loadAction: async (name) => {
      loaded.push(name);
      return action;
    },
    ...(options.specs ? { specs: options.specs } : {}),
  };
  const code = await runCli(io);
  return { code, stdout: stdout.text, stderr: stderr.text, loaded };
}

const withMode: Record<string, ActionSpec> = {
  ...actionSpecs,
  'ssh-deploy': {
    ...actionSpecs['ssh-deploy']!,
    inputs: {
      ...actionSpecs['ssh-deploy']!.inputs,
      mode: { description: 'm', required: false, default: 'deploy' },
    },
  },
};
const withoutMode: Record<string, ActionSpec> = {
  ...actionSpecs,
  'ssh-deploy': {
    ...actionSpecs['ssh-deploy']!,
    inputs: Object.fromEntries(
      Object.entries(actionSpecs['ssh-deploy']!.inputs).filter(([n]) => n !== 'mode'),
    ),
  },
};

describe('runCli', () => {
  it('runs plan as ssh-deploy with mode: plan', async () => {
    let mode = '';
    const run = await cli(
      ['plan', '--json'],
      fakeAction(async (ctx) => {
        mode = ctx.inputs.raw('mode');
      }),
      { specs: withMode },
    );
    expect(run.loaded).toEqual(['ssh-deploy']);
    expect(mode).toBe('plan');
    expect(run.code).toBe(0);
  });

  it('refuses plan and check, running nothing, when ssh-deploy has no mode input', async () => {
    for (const command of ['plan', 'check']) {
      const run = await cli(
        [command, '--json'],
        fakeAction(async () => undefined),
        { specs: withoutMode },
      );
      expect(run.code).toBe(1);
      expect(run.loaded).toEqual([]);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errorCode: 'unsupported' });
    }
  });

  it('runs rollback as ssh-deploy with rollback: previous, or the release id given', async () => {
    const seen: string[] = [];
    const action = fakeAction(async (ctx) => void seen.push(ctx.inputs.raw('rollback')));
    await cli(['rollback'], action);
    await cli(['rollback', '20260101T000000Z-abc-0001'], action);
    expect(seen).toEqual(['previous', '20260101T000000Z-abc-0001']);
  });

  it('prints one JSON document on stdout with the outputs, logs on stderr', async () => {
    const run = await cli(
      ['deploy', '--json'],
      fakeAction(async (ctx) => {
        ctx.log.info('working');
        ctx.setOutput('release-id', 'R1');
        ctx.setOutput('hosts', JSON.stringify([{ host: 'h', status: 'deployed' }]));
      }),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      command: 'deploy',
      ok: true,
      exitCode: 0,
      outputs: { 'release-id': 'R1', hosts: '[{"host":"h","status":"deployed"}]' },
      hosts: [{ host: 'h', status: 'deployed' }],
    });
    expect(run.stderr).toContain('working');
  });

  it("fails with exit code 1 and the action's error-code", async () => {
    const run = await cli(
      ['deploy', '--json'],
      fakeAction(async () => {
        throw new UserError('health-gate-failed', 'web1: not healthy');
      }),
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      errorCode: 'health-gate-failed',
      error: 'web1: not healthy',
      outputs: { 'error-code': 'health-gate-failed' },
    });
  });

  it('reports anything else as an internal error, as the actions do', async () => {
    const run = await cli(
      ['deploy'],
      fakeAction(async () => {
        throw new TypeError('x is undefined');
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /deploy failed \(error-code: internal\)\ninternal error: x is undefined\. This is a bug/,
    );
  });

  it('hides every secret the action masks, in logs, outputs and errors', async () => {
    const run = await cli(
      ['deploy', '--json'],
      fakeAction(async (ctx) => {
        const key = ctx.inputs.secret('private-key')!;
        ctx.log.info(`[h] using ${key}`);
        ctx.setOutput('hosts', JSON.stringify([{ host: 'h', error: key }]));
        throw new UserError('ssh-auth', `rejected ${key}`);
      }),
      { env: { INPUT_PRIVATE_KEY: 'TOPSECRETKEY' } },
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('TOPSECRETKEY');
    expect(JSON.parse(run.stdout).error).toBe('rejected ***');
    expect(run.stderr).not.toContain('::add-mask::');
  });

  it('gives the action its inputs as the runner would: action.yml defaults, then the environment, then flags', async () => {
    const seen: Record<string, string> = {};
    await cli(
      ['deploy', '--parallel', '4'],
      fakeAction(async (ctx) => {
        for (const n of ['parallel', 'remote-dir', 'keep-releases']) seen[n] = ctx.inputs.raw(n);
      }),
      { env: { INPUT_PARALLEL: '2', INPUT_REMOTE_DIR: '/opt/app' } },
    );
    expect(seen).toEqual({ parallel: '4', 'remote-dir': '/opt/app', 'keep-releases': '5' });
  });

  it('records who deployed from a terminal, and writes no runner files', async () => {
    let env: NodeJS.ProcessEnv = {};
    await cli(
      ['deploy'],
      fakeAction(async (ctx) => {
        env = ctx.env;
      }),
      { env: { GITHUB_OUTPUT: '/tmp/should-not-be-used', USER: 'x' } },
    );
    expect(env['GITHUB_ACTOR']).toMatch(/@.* \(cli\)$/);
    expect(env['GITHUB_OUTPUT']).toBeUndefined();
  });
});
