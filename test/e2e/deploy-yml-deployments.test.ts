import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parseDocument } from 'yaml';
import { repoRoot } from '../harness/run-action.js';

// deploy.yml's wiring of record-deployment: where the steps sit, and what their `with:`
// expressions evaluate to in each outcome of a deploy, evaluated by GitHub's own
// expression engine (@actions/expressions) as the runner would.

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  'continue-on-error'?: boolean;
  with?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = (file: string) =>
  parseDocument(readFileSync(join(repoRoot, file), 'utf8')).toJS() as {
    on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
    jobs: Record<string, Job>;
  };

const deployYml = workflow('.github/workflows/deploy.yml');
const deploy = deployYml.jobs['deploy']!;
const indexOf = (name: string): number => deploy.steps.findIndex((s) => s.name === name);
const start = deploy.steps[indexOf('Record the deployment')]!;
const finish = deploy.steps[indexOf('Record the outcome on the deployment')]!;

/** Evaluates `${{ ... }}` in a `with:` value (one expression, or text around them) as the runner does. */
function evaluate(text: string, contexts: Record<string, unknown>): string {
  const names = Object.keys(contexts);
  const dictionary = new data.Dictionary(
    ...names.map((key) => ({
      key,
      value: JSON.parse(JSON.stringify(contexts[key]), data.reviver) as data.ExpressionData,
    })),
  );
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('${{', at);
    if (open < 0) return out + text.slice(at);
    // The expression ends at the first `}}` outside a 'string' (a format string may hold `}}`).
    let i = open + 3;
    let quoted = false;
    while (i < text.length && (quoted || !text.startsWith('}}', i))) {
      if (text[i] === "'") quoted = !quoted;
      i++;
    }
    const lexed = new Lexer(text.slice(open + 3, i).trim()).lex();
    const expr = new Parser(lexed.tokens, names, []).parse();
    out += text.slice(at, open) + new Evaluator(expr, dictionary).evaluate().coerceString();
    at = i + 2;
  }
}

interface Outcome {
  job: string;
  deploy: { outcome: string; outputs: Record<string, string> };
  ready?: { outcome: string; outputs?: Record<string, string> };
  rollback?: { outcome: string };
}

function finishInputs(outcome: Outcome): Record<string, string> {
  const contexts = {
    inputs: { environment: 'production', 'environment-url': '', 'record-deployment': true },
    job: { status: outcome.job },
    steps: {
      record: { outcome: 'success', outputs: { 'deployment-id': '1001' } },
      clock: { outputs: { 'first-url': 'https://shop.example.com/api/ready' } },
      deploy: outcome.deploy,
      ready: outcome.ready ?? { outcome: 'skipped', outputs: {} },
      rollback: outcome.rollback ?? { outcome: 'skipped' },
    },
  };
  // always() is the runner's status function (not in the expression library): true here,
  // as it is whatever the job's outcome.
  const out: Record<string, string> = { if: evaluate(finish.if!.replace('always()', 'true'), contexts) };
  for (const [key, value] of Object.entries(finish.with!)) out[key] = evaluate(value, contexts).trim();
  return out;
}

describe("deploy.yml's GitHub deployment", () => {
  it('gives the deploy job deployments: write, and records around the rollout without ever failing the deploy', () => {
    expect(deploy.permissions).toEqual({ contents: 'read', deployments: 'write' });
    expect(deployYml.on.workflow_call.inputs['record-deployment']!.default).toBe(true);
    expect(start).toMatchObject({
      id: 'record',
      uses: './.deploy-actions/record-deployment',
      'continue-on-error': true,
    });
    expect(start.with!['step']).toBe('start');
    expect(indexOf('Record the deployment')).toBe(indexOf('Roll out') - 1);
    expect(finish).toMatchObject({ uses: './.deploy-actions/record-deployment', 'continue-on-error': true });
    expect(finish.with!['step']).toBe('finish');
    // After every step that decides the outcome, the rollback included.
    expect(indexOf('Record the outcome on the deployment')).toBeGreaterThan(
      indexOf('Roll back to the previous release'),
    );
  });

  it('stores the verified images and the hosts as a JSON payload', () => {
    const payload = evaluate(start.with!['payload']!, {
      steps: { verified: { outputs: { vars: 'APP_IMAGE=ghcr.io/acme/app@sha256:ab\nDB_IMAGE="x"' } } },
      inputs: { hosts: '10.0.0.5\n10.0.0.6' },
    });
    expect(JSON.parse(payload)).toEqual({
      images: 'APP_IMAGE=ghcr.io/acme/app@sha256:ab\nDB_IMAGE="x"',
      hosts: '10.0.0.5\n10.0.0.6',
    });
  });

  it('finishes a good deploy as success with the release and the URL', () => {
    expect(
      finishInputs({
        job: 'success',
        deploy: { outcome: 'success', outputs: { 'release-id': 'r2' } },
        ready: { outcome: 'success' },
      }),
    ).toMatchObject({
      if: 'true',
      'deployment-id': '1001',
      status: 'success',
      description: 'release r2',
      rollback: 'false',
      'environment-url': 'https://shop.example.com/api/ready',
    });
  });

  it('finishes a deploy the health gate rolled back as a failure with the reason, recorded as a rollback', () => {
    expect(
      finishInputs({
        job: 'failure',
        deploy: {
          outcome: 'failure',
          outputs: {
            'rolled-back': 'true',
            'error-code': 'health-check-failed',
            'previous-release-id': 'r1',
          },
        },
      }),
    ).toMatchObject({
      status: 'failure',
      description: 'ssh-deploy failed (health-check-failed); previous release restored',
      rollback: 'true',
      'restored-release': 'r1',
    });
  });

  it('finishes a deploy that was not ready from outside and rolled back by the workflow as a rollback', () => {
    expect(
      finishInputs({
        job: 'failure',
        deploy: { outcome: 'success', outputs: { 'release-id': 'r2', 'previous-release-id': 'r1' } },
        ready: { outcome: 'failure', outputs: { 'error-code': 'not-ready' } },
        rollback: { outcome: 'success' },
      }),
    ).toMatchObject({
      status: 'failure',
      description: 'not ready from outside (not-ready); previous release restored',
      rollback: 'true',
      'restored-release': 'r1',
    });
  });

  it('finishes a rollout that failed with nothing restored as a plain failure, and a cancelled one as a failure', () => {
    expect(
      finishInputs({
        job: 'failure',
        deploy: { outcome: 'failure', outputs: { 'error-code': 'lock-held' } },
      }),
    ).toMatchObject({ status: 'failure', description: 'ssh-deploy failed (lock-held)', rollback: 'false' });
    expect(finishInputs({ job: 'cancelled', deploy: { outcome: 'cancelled', outputs: {} } })).toMatchObject({
      status: 'failure',
      description: 'deploy cancelled',
    });
  });
});

// A called workflow's jobs get at most what the calling job grants; GitHub refuses to start
// a run whose caller grants less than a called job asks for. So every caller in this
// repository (workflows, examples, the quick start) must grant what the suite's reusable
// workflows ask, deployments: write for deploy.yml's deploy job included.
describe('callers of the reusable workflows', () => {
  const level = (value: string | undefined): number => ({ read: 1, write: 2 })[value ?? ''] ?? 0;
  const examples = join(repoRoot, 'docs', 'examples');
  const callerFiles: { name: string; text: string }[] = [
    ...readdirSync(join(repoRoot, '.github', 'workflows')).map((f) => join('.github', 'workflows', f)),
    ...readdirSync(examples).flatMap((e) => {
      const dir = join(examples, e, '.github', 'workflows');
      return existsSync(dir)
        ? readdirSync(dir).map((f) => join('docs', 'examples', e, '.github', 'workflows', f))
        : [];
    }),
  ]
    .filter((f) => /\.ya?ml$/.test(f))
    .map((name) => ({ name, text: readFileSync(join(repoRoot, name), 'utf8') }));
  for (const guide of ['docs/quick-start.md', 'docs/runbooks.md']) {
    [...readFileSync(join(repoRoot, guide), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].forEach((m, i) => {
      if (/^jobs:/m.test(m[1]!)) callerFiles.push({ name: `${guide}#${i + 1}`, text: m[1]! });
    });
  }

  it('grant every job of a called workflow the permissions it asks for', () => {
    const missing: string[] = [];
    let calls = 0;
    for (const { name, text } of callerFiles) {
      const doc = parseDocument(text).toJS() as {
        permissions?: Record<string, string>;
        jobs?: Record<string, { uses?: string; permissions?: Record<string, string> }>;
      };
      for (const [jobName, job] of Object.entries(doc.jobs ?? {})) {
        const called = /(?:^|\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@|$)/.exec(job.uses ?? '')?.[1];
        if (!called || !existsSync(join(repoRoot, '.github', 'workflows', called))) continue;
        const granted = job.permissions ?? doc.permissions;
        if (granted === undefined) continue; // the repository's default token permissions apply
        calls++;
        for (const [calledJob, spec] of Object.entries(workflow(join('.github', 'workflows', called)).jobs)) {
          for (const [scope, asked] of Object.entries(spec.permissions ?? {})) {
            if (level(granted[scope]) < level(asked)) {
              missing.push(`${name} job ${jobName}: ${called} job ${calledJob} asks ${scope}: ${asked}`);
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(11);
    expect(missing).toEqual([]);
  });
});
