import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { repoRoot, runAction } from '../harness/run-action.js';

// The reusable workflows and every action.yml, checked with GitHub's own parser
// (@actions/workflow-parser, the one behind the Actions language service), plus
// the house rules the parser does not know: third-party actions pinned by commit
// SHA, permissions declared, and calls to this suite's actions passing only
// inputs those actions declare. (actionlint is not installable offline, so it is
// not part of this check.)

const workflowsIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f))
    : [];
const examplesDir = join(repoRoot, 'docs', 'examples');
// This repository's workflows, and the callers in the documented examples (which
// name the suite as `your-org/deploy-actions/...@<commit-sha>`).
const workflowFiles = [
  ...workflowsIn(join(repoRoot, '.github', 'workflows')),
  ...(existsSync(examplesDir)
    ? readdirSync(examplesDir).flatMap((e) => workflowsIn(join(examplesDir, e, '.github', 'workflows')))
    : []),
].map((path) => path.slice(repoRoot.length + 1));

/** Complete workflows shown in the guides: ```yaml blocks with `on:` and `jobs:`, as `<file>#<n>`. */
const guideWorkflows = ['docs/quick-start.md', 'docs/runbooks.md'].flatMap((file) =>
  [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m, i) => ({ name: `${file}#${i + 1}`, content: m[1]! }))
    .filter((block) => /^on:/m.test(block.content) && /^jobs:/m.test(block.content)),
);
workflowFiles.push(...guideWorkflows.map((block) => block.name));

/** A workflow's text; placeholders for the suite's commit become a well-formed (fake) SHA. */
const readWorkflow = (file: string): string =>
  (
    guideWorkflows.find((block) => block.name === file)?.content ?? readFileSync(join(repoRoot, file), 'utf8')
  ).replaceAll('<commit-sha>', '0'.repeat(40));
const actionNames = readdirSync(repoRoot).filter((d) => existsSync(join(repoRoot, d, 'action.yml')));
const trace = new NoOperationTraceWriter();

/**
 * Answers the parser's requests for called workflows from this checkout: local
 * ones (`./`, `$/`) and the suite's own as the examples name them
 * (`<owner>/deploy-actions/.github/workflows/x.yml@sha`).
 */
const localFiles = {
  getFileContent: async (ref: { path: string; repository?: string }) => {
    if (ref.repository !== undefined && ref.repository !== 'deploy-actions') {
      throw new Error(`a workflow outside this repository: ${JSON.stringify(ref)}`);
    }
    return { name: ref.path, content: readFileSync(join(repoRoot, ref.path), 'utf8') };
  },
};

async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, trace);
  const parseErrors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parseErrors.length > 0 || parsed.value === undefined) return parseErrors;
  // Converting also checks `needs`, and (fetching one level of local reusable
  // workflows) that every `with:` of a workflow call matches the callee's inputs.
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, localFiles, {
    fetchReusableWorkflowDepth: 1,
  });
  return (template.errors ?? []).map((e) => (e as { Message?: string }).Message ?? JSON.stringify(e));
}

interface UsesSite {
  file: string;
  line: number;
  uses: string;
  with: Record<string, string>;
}

/** Every `uses:` of a workflow (job-level calls and steps), with its `with:` keys and its line. */
function usesSites(file: string, content: string): UsesSite[] {
  const doc = parseDocument(content);
  const lineOf = (node: YamlNode | null | undefined) =>
    node?.range ? content.slice(0, node.range[0]).split('\n').length : 0;
  const sites: UsesSite[] = [];
  const visit = (node: unknown) => {
    if (isSeq(node)) for (const item of node.items) visit(item);
    if (!isMap(node)) return;
    const uses = node.get('uses', true);
    if (isScalar(uses) && typeof uses.value === 'string') {
      const withNode = node.get('with', true);
      const withKeys: Record<string, string> = {};
      if (isMap(withNode)) {
        for (const pair of withNode.items)
          withKeys[String((pair.key as { value: unknown }).value)] = String(pair.value);
      }
      sites.push({ file, line: lineOf(uses), uses: uses.value, with: withKeys });
    }
    for (const pair of node.items) visit(pair.value);
  };
  visit(doc.contents);
  return sites;
}

/** Which of this suite's actions a `uses:` names, when it names one. */
function suiteAction(uses: string): string | undefined {
  const m =
    /^(?:\.\/\.deploy-actions\/|\$\/|\.\/|[\w.-]+\/deploy-actions\/)([a-z0-9-]+)(?:@[0-9a-f]{40})?$/.exec(
      uses,
    );
  return m && actionNames.includes(m[1]!) ? m[1] : undefined;
}

function declaredInputs(action: string): { all: Set<string>; required: string[] } {
  const doc = parseDocument(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8')).toJS() as {
    inputs?: Record<string, { required?: boolean; default?: unknown }>;
  };
  const inputs = doc.inputs ?? {};
  return {
    all: new Set(Object.keys(inputs)),
    required: Object.entries(inputs)
      .filter(([, spec]) => spec.required === true && spec.default === undefined)
      .map(([name]) => name),
  };
}

/** Problems with the inputs a workflow passes to this suite's actions. */
function suiteInputProblems(sites: UsesSite[]): string[] {
  const problems: string[] = [];
  for (const site of sites) {
    const action = suiteAction(site.uses);
    if (!action) continue;
    const { all, required } = declaredInputs(action);
    for (const key of Object.keys(site.with)) {
      if (!all.has(key)) problems.push(`${site.file}:${site.line}: ${action} has no input '${key}'`);
    }
    for (const key of required) {
      if (!(key in site.with)) problems.push(`${site.file}:${site.line}: ${action} needs input '${key}'`);
    }
  }
  return problems;
}

const isThirdParty = (uses: string) =>
  !uses.startsWith('./') && !uses.startsWith('$/') && !uses.startsWith('docker://');

describe.each(workflowFiles)('the workflow %s', (file) => {
  const content = readWorkflow(file);

  it('parses without errors with GitHub’s workflow parser', async () => {
    expect(await workflowErrors(file, content)).toEqual([]);
  });

  it('pins every third-party action by a full commit SHA with a version comment', () => {
    const lines = content.split('\n');
    const unpinned = usesSites(file, content)
      .filter((s) => isThirdParty(s.uses))
      .filter((s) => !/@[0-9a-f]{40}$/.test(s.uses) || !/#\s*v?\d+\.\d+\.\d+/.test(lines[s.line - 1] ?? ''))
      .map((s) => `${file}:${s.line}: ${s.uses}`);
    expect(unpinned).toEqual([]);
  });

  it('declares the permissions of every job', () => {
    const workflow = parseDocument(content).toJS() as {
      permissions?: unknown;
      jobs?: Record<string, { permissions?: unknown }>;
    };
    const undeclared = Object.entries(workflow.jobs ?? {})
      .filter(([, job]) => workflow.permissions === undefined && job.permissions === undefined)
      .map(([id]) => id);
    expect(undeclared).toEqual([]);
  });

  it('passes only declared inputs, and every required one, to this suite’s actions', () => {
    expect(suiteInputProblems(usesSites(file, content))).toEqual([]);
  });
});

describe.each(actionNames)('the action %s', (name) => {
  it('has an action.yml that parses without errors with GitHub’s action parser', () => {
    const content = readFileSync(join(repoRoot, name, 'action.yml'), 'utf8');
    const parsed = parseAction({ name: `${name}/action.yml`, content }, trace);
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    expect(errors).toEqual([]);
  });
});

// The checks above must be able to fail; these feed them known-bad workflows.
describe('the workflow checks', () => {
  const bad = `on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.deploy-actions/ssh-deploy
        with:
          host: 127.0.0.1
          remote_dir: /srv/app
`;

  it('reports an input the action does not declare, and a required one left out', () => {
    expect(suiteInputProblems(usesSites('bad.yml', bad))).toEqual([
      "bad.yml:8: ssh-deploy has no input 'remote_dir'",
      "bad.yml:8: ssh-deploy needs input 'username'",
      "bad.yml:8: ssh-deploy needs input 'remote-dir'",
    ]);
  });

  it('reports a workflow call that passes an input the called workflow does not declare', async () => {
    const call = `on: push
permissions: {}
jobs:
  deploy:
    uses: ./.github/workflows/deploy.yml
    with:
      environment: staging
      image: app@sha256:0
`;
    const errors = await workflowErrors('call.yml', call);
    expect(errors.join('\n')).toMatch(/image/);
  });

  it('reports an expression naming a context that does not exist', async () => {
    const errors = await workflowErrors(
      'ctx.yml',
      bad.replace('host: 127.0.0.1', 'host: ${{ deploy.host }}'),
    );
    expect(errors.join('\n')).toMatch(/deploy/);
  });
});

// deploy.yml's own shell steps, run the way the runner runs them (`bash -eo
// pipefail`), with the step's `env:` as the runner would have evaluated it.
describe('the shell steps of deploy.yml', () => {
  const deployYml = parseDocument(
    readFileSync(join(repoRoot, '.github/workflows/deploy.yml'), 'utf8'),
  ).toJS() as {
    jobs: Record<string, { steps: { name?: string; id?: string; run?: string }[] }>;
  };
  const script = (job: string, name: string) => deployYml.jobs[job]!.steps.find((s) => s.name === name)!.run!;

  async function runStep(run: string, env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-step-'));
    const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', run],
        { env: { PATH: process.env['PATH'], ...files, ...env } },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });
    return {
      ...result,
      output: readFileSync(files.GITHUB_OUTPUT, 'utf8'),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  }

  const digest = `sha256:${'ab'.repeat(32)}`;

  it('turns the images input into a verify matrix and env lines', async () => {
    const step = await runStep(script('plan', 'Read the images'), {
      IMAGES: `APP_IMAGE=ghcr.io/acme/app@${digest}\n# a comment\n\n  DB_IMAGE=ghcr.io/acme/db@${digest}  \n`,
      REQUIRE_DIGEST: 'true',
    });
    expect(step.code).toBe(0);
    const matrix = JSON.parse(/^matrix=(.*)$/m.exec(step.output)![1]!);
    expect(matrix).toEqual([
      { name: 'APP_IMAGE', image: `ghcr.io/acme/app@${digest}` },
      { name: 'DB_IMAGE', image: `ghcr.io/acme/db@${digest}` },
    ]);
    expect(step.output).toContain(`APP_IMAGE=ghcr.io/acme/app@${digest}\nDB_IMAGE=ghcr.io/acme/db@${digest}`);
  });

  it('refuses a tag instead of a digest, and a malformed line, before any job runs', async () => {
    const step = await runStep(script('plan', 'Read the images'), {
      IMAGES: `APP_IMAGE=ghcr.io/acme/app:latest\nghcr.io/acme/db@${digest}`,
      REQUIRE_DIGEST: 'true',
    });
    expect(step.code).not.toBe(0);
    const errors = step.stdout.split('\n').filter((l) => l.startsWith('::error title=images::'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('APP_IMAGE=ghcr.io/acme/app:latest is not pinned by digest');
    expect(errors[1]).toContain(`'ghcr.io/acme/db@${digest}' is not VAR=registry/repo@sha256:`);
    expect(step.output).toBe('');
  });

  it('summarises the deploy with the digests, the hosts and their timings', async () => {
    const step = await runStep(script('deploy', 'Summary'), {
      ENVIRONMENT: 'production',
      IMAGES: `APP_IMAGE=ghcr.io/acme/app@${digest}\n`,
      HOSTS: 'web1\nweb2',
      REMOTE_DIR: '/opt/shop/production',
      STARTED: String(Math.floor(Date.now() / 1000) - 5),
      RELEASE: 'r2',
      PREVIOUS: 'r1',
      HOST_RESULTS: JSON.stringify([
        { host: 'web1', status: 'deployed', release: 'r2', rolledBack: false, durationMs: 12_345 },
        {
          host: 'web2',
          status: 'rolled-back',
          release: 'r1',
          rolledBack: true,
          durationMs: 48_600,
          error: 'not healthy | twice',
        },
      ]),
      DEPLOY_OUTCOME: 'failure',
      SELF_ROLLED_BACK: 'true',
      RUN_URL: 'https://github.com/acme/shop/actions/runs/7',
      GITHUB_RUN_ID: '7',
    });
    expect(step.code).toBe(0);
    expect(step.summary).toContain('## production: ↩️ failed, previous release restored');
    expect(step.summary).toContain(`| \`APP_IMAGE\` | \`ghcr.io/acme/app\` | \`${digest}\` |`);
    expect(step.summary).toContain('| web1 | deployed | r2 | 12.3s |  |');
    expect(step.summary).toContain('| web2 | rolled-back | r1 | 48.6s | not healthy   twice |');
    expect(step.summary).toContain('[7](https://github.com/acme/shop/actions/runs/7)');
  });

  it('posts the outcome as {"text": ...} to a Slack- or Telegram-style webhook', async () => {
    const received: { url: string; type: string; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ url: request.url ?? '', type: request.headers['content-type'] ?? '', body });
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const text = '✅ acme/shop → production: success, release r2. "quoted"';
      const step = await runStep(script('deploy', 'Notify the team'), {
        WEBHOOK: `http://127.0.0.1:${port}/bot123:abc/sendMessage?chat_id=-10042`,
        TEXT: text,
      });
      expect(step.code).toBe(0);
      expect(received).toEqual([
        { url: '/bot123:abc/sendMessage?chat_id=-10042', type: 'application/json', body: expect.any(String) },
      ]);
      expect(JSON.parse(received[0]!.body)).toEqual({ text });
    } finally {
      server.close();
    }
  });

  it('sends nothing and succeeds when no webhook is configured', async () => {
    const step = await runStep(script('deploy', 'Notify the team'), { WEBHOOK: '', TEXT: 'x' });
    expect(step.code).toBe(0);
    expect(step.stdout).toContain('No chat-webhook secret');
  });
});

// Each example's compose file, interpolated by the bundled render-env with its own
// .env.example (placeholder values for the keys it requires), must resolve and
// pass the strict hardening policy: what the examples teach is what the gate asks.
const exampleStacks = [
  { example: '01-deploy-only-repo', dir: '.', requireDigest: true },
  { example: '02-app-migrator-promotion', dir: 'deploy', requireDigest: true },
  { example: '03-bot-api-frontend-postgres', dir: '.', requireDigest: true },
  // Builds its images on the host, so they have no digest to pin.
  { example: '04-self-hosted-per-branch', dir: '.', requireDigest: false },
  { example: '05-zero-downtime-rolling', dir: '.', requireDigest: true },
];

describe.each(exampleStacks)('the example stack $example', ({ example, dir, requireDigest }) => {
  it('renders with its .env.example and passes the strict hardening policy', async () => {
    const stack = join(repoRoot, 'docs', 'examples', example, dir);
    const required = readFileSync(join(stack, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=$/.test(line))
      .map((line) => line.slice(0, -1));
    const placeholder = (key: string) =>
      key.endsWith('_IMAGE')
        ? `ghcr.io/acme/${key.toLowerCase()}@sha256:${'0'.repeat(64)}`
        : (({ BIND_IP: '127.0.0.1', DATA_DIR: '/opt/myapp/dev/data' } as Record<string, string>)[key] ??
          'placeholder');
    const output = join(mkdtempSync(join(tmpdir(), 'example-env-')), 'deploy.env');
    const run = await runAction('render-env', {
      workspace: stack,
      inputs: {
        template: '.env.example',
        vars: required.map((key) => `${key}=${placeholder(key)}`).join('\n'),
        output,
        'compose-file': 'docker-compose.yml',
        'require-digest': String(requireDigest),
        policy: 'strict',
      },
      timeoutMs: 60_000,
    });
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });
});
