import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { parseFileCommand, repoRoot, runAction } from '../harness/run-action.js';

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

/** The table of known tag → commit for every third-party action we pin (`.github/action-pins.json`). */
const pinTable = (
  JSON.parse(readFileSync(join(repoRoot, '.github', 'action-pins.json'), 'utf8')) as {
    actions: Record<string, Record<string, string>>;
  }
).actions;

/** This suite's own actions and workflows, as callers and guides name them (pinned by the user). */
const isSuiteReference = (uses: string) => /^[\w.<>-]+\/deploy-actions\//.test(uses);

/**
 * What is wrong with one third-party `uses:` line: it must be `owner/repo[/path]@<40-hex>`
 * followed by `# <tag>`, and the table must say that this tag is that commit.
 */
function pinProblem(uses: string, line: string): string | undefined {
  const m = /^([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([^\s#]+)$/.exec(uses);
  if (!m) return 'not owner/repo@<commit>';
  const [, repo, ref] = m as unknown as [string, string, string];
  if (!/^[0-9a-f]{40}$/.test(ref)) return 'not pinned by a full commit SHA';
  if (isSuiteReference(uses)) {
    return /#\s*v\d+\.\d+\.\d+\s*$/.test(line) ? undefined : 'no version comment';
  }
  const tag = /#\s*(\S+)\s*$/.exec(line)?.[1];
  if (tag === undefined) return 'no `# <tag>` comment';
  const known = pinTable[repo];
  if (!known) return `${repo} is not in .github/action-pins.json`;
  if (!(tag in known)) return `tag ${tag} of ${repo} is not in .github/action-pins.json`;
  if (known[tag] !== ref) return `${repo} ${tag} is ${known[tag]}, not ${ref}`;
  return undefined;
}

function pinProblems(file: string, content: string): string[] {
  const lines = content.split('\n');
  return usesSites(file, content)
    .filter((s) => isThirdParty(s.uses))
    .flatMap((s) => {
      const problem = pinProblem(s.uses, lines[s.line - 1] ?? '');
      return problem ? [`${file}:${s.line}: ${s.uses}: ${problem}`] : [];
    });
}

/** Every markdown page a user reads: README files and docs/. */
const markdownPages = (() => {
  const pages: string[] = ['README.md', ...actionNames.map((a) => `${a}/README.md`)];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk('docs');
  return pages.filter((page) => existsSync(join(repoRoot, page)));
})();

/** `uses:` lines in a markdown page that name a third-party action by something other than a confirmed pin. */
function docPinProblems(page: string, content: string): string[] {
  return content.split('\n').flatMap((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)/.exec(line);
    if (!m || !isThirdParty(m[1]!) || isSuiteReference(m[1]!)) return [];
    const problem = pinProblem(m[1]!, line);
    return problem ? [`${page}:${i + 1}: ${m[1]}: ${problem}`] : [];
  });
}

/**
 * Expressions whose value a caller, an event (a branch name, a PR title) or an earlier
 * step controls. Expanded inside a script they become code; they belong in `env:`.
 */
const untrustedExpression =
  /\$\{\{(?:(?!\}\}).)*?(?:(?<![\w.-])(?:inputs|steps|needs|matrix)\s*[.[]|github\s*\.\s*(?:event|head_ref)\b)(?:(?!\}\}).)*\}\}/s;
/** Inputs of actions that run their value as code. */
const codeInputs = ['script', 'pre-deploy', 'post-deploy', 'health-cmd'];

function injectionProblems(file: string, content: string): string[] {
  const doc = parseDocument(content);
  const lineOf = (node: YamlNode | null | undefined) =>
    node?.range ? content.slice(0, node.range[0]).split('\n').length : 0;
  const workflow = doc.toJS() as { on?: unknown } | null;
  const on = workflow?.on;
  // A reusable workflow's inputs are written by its caller, who writes the code anyway:
  // passing one through whole (`pre-deploy: ${{ inputs.pre-deploy }}`) adds nothing.
  const callOnly =
    on !== null && typeof on === 'object' && !Array.isArray(on) && Object.keys(on).join() === 'workflow_call';
  const callInputs = new Set(
    Object.keys(
      ((on as { workflow_call?: { inputs?: object } } | undefined)?.workflow_call?.inputs ?? {}) as object,
    ),
  );
  const problems: string[] = [];
  const visit = (node: unknown) => {
    if (isSeq(node)) for (const item of node.items) visit(item);
    if (!isMap(node)) return;
    const run = node.get('run', true);
    if (isScalar(run) && typeof run.value === 'string') {
      const hit = untrustedExpression.exec(run.value);
      if (hit) problems.push(`${file}:${lineOf(run)}: run: expands ${hit[0]}`);
      // Multi-line outputs with a fixed delimiter can be ended early by a value that
      // contains that line: the delimiter must be random.
      const fixed = /[\w}"']<<\s*['"]?([A-Za-z_][A-Za-z0-9_]*)/.exec(run.value);
      if (fixed && /GITHUB_OUTPUT|GITHUB_ENV/.test(run.value)) {
        problems.push(
          `${file}:${lineOf(run)}: run: writes a multi-line value with the fixed delimiter ${fixed[1]}`,
        );
      }
    }
    const withNode = node.get('with', true);
    if (isMap(withNode)) {
      for (const pair of withNode.items) {
        const key = String((pair.key as { value: unknown }).value);
        const value = pair.value;
        if (!codeInputs.includes(key) || !isScalar(value) || typeof value.value !== 'string') continue;
        const whole = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(value.value.trim());
        if (whole && callOnly && callInputs.has(whole[1]!)) continue;
        const hit = untrustedExpression.exec(value.value);
        if (hit) problems.push(`${file}:${lineOf(value)}: ${key}: expands ${hit[0]}`);
      }
    }
    for (const pair of node.items) visit(pair.value);
  };
  visit(doc.contents);
  return problems;
}

describe.each(workflowFiles)('the workflow %s', (file) => {
  const content = readWorkflow(file);

  it('parses without errors with GitHub’s workflow parser', async () => {
    expect(await workflowErrors(file, content)).toEqual([]);
  });

  it('pins every third-party action by a commit the pin table confirms, with that exact tag in a comment', () => {
    expect(pinProblems(file, content)).toEqual([]);
  });

  it('expands no caller- or event-controlled expression inside a script; values go through env:', () => {
    expect(injectionProblems(file, content)).toEqual([]);
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

describe.each(markdownPages)('the page %s', (page) => {
  it('names third-party actions only by a confirmed commit with its tag (no @v4, no bare @<sha>)', () => {
    expect(docPinProblems(page, readFileSync(join(repoRoot, page), 'utf8'))).toEqual([]);
  });
});

describe('Dependabot', () => {
  it('proposes weekly, grouped updates of the pinned actions and of npm dependencies', () => {
    const config = parseDocument(
      readFileSync(join(repoRoot, '.github', 'dependabot.yml'), 'utf8'),
    ).toJS() as {
      version: number;
      updates: {
        'package-ecosystem': string;
        directory?: string;
        schedule: { interval: string };
        groups?: object;
      }[];
    };
    expect(config.version).toBe(2);
    const byEcosystem = Object.fromEntries(config.updates.map((u) => [u['package-ecosystem'], u]));
    for (const ecosystem of ['github-actions', 'npm']) {
      expect(byEcosystem[ecosystem]?.schedule.interval).toBe('weekly');
      expect(Object.keys(byEcosystem[ecosystem]?.groups ?? {}).length).toBeGreaterThan(0);
    }
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

  it('refuses a tag pin, a commit without its tag, a wrong tag comment and an unknown tag', () => {
    const checkout = pinTable['actions/checkout']!;
    const [tag, sha] = Object.entries(checkout)[0]!;
    const pins = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@${sha}
      - uses: actions/checkout@${sha} # v4.2.2
      - uses: actions/checkout@${'1'.repeat(40)} # ${tag}
      - uses: actions/checkout@${sha} # ${tag.slice(1)}
      - uses: actions/checkout@${sha} # ${tag}
      - uses: your-org/deploy-actions/ssh-deploy@${'0'.repeat(40)} # v0.1.0
`;
    expect(pinProblems('pins.yml', pins)).toEqual([
      'pins.yml:7: actions/checkout@v4: not pinned by a full commit SHA',
      `pins.yml:8: actions/checkout@${sha}: no \`# <tag>\` comment`,
      `pins.yml:9: actions/checkout@${sha}: tag v4.2.2 of actions/checkout is not in .github/action-pins.json`,
      `pins.yml:10: actions/checkout@${'1'.repeat(40)}: actions/checkout ${tag} is ${sha}, not ${'1'.repeat(40)}`,
      `pins.yml:11: actions/checkout@${sha}: tag ${tag.slice(1)} of actions/checkout is not in .github/action-pins.json`,
    ]);
    expect(
      docPinProblems(
        'page.md',
        '```yaml\n- uses: actions/checkout@<sha>\n  uses: docker/login-action@v3\n```',
      ),
    ).toEqual([
      'page.md:2: actions/checkout@<sha>: not pinned by a full commit SHA',
      'page.md:3: docker/login-action@v3: not pinned by a full commit SHA',
    ]);
  });

  it('reports caller-, event- and step-controlled expressions in scripts, and fixed output delimiters', () => {
    const injected = `on:
  workflow_dispatch:
    inputs:
      environment: { type: string }
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ inputs.environment }}"
      - run: echo "\${{ github.event.pull_request.title }}" "\${{ github.repository }}"
      - id: s
        run: echo "\${{ steps.x.outputs.y }} \${{ matrix.n }} \${{ needs.b.outputs.c }}"
      - env:
          ENVIRONMENT: \${{ inputs.environment }}
        run: echo "$ENVIRONMENT \${{ github.run_id }}"
      - run: |
          { echo 'list<<EOF'; echo "$LIST"; echo 'EOF'; } >> "$GITHUB_OUTPUT"
      - run: |
          delimiter="EOF_$(openssl rand -hex 16)"
          { echo "list<<$delimiter"; echo "$LIST"; echo "$delimiter"; } >> "$GITHUB_OUTPUT"
      - uses: ./.deploy-actions/ssh-deploy
        with:
          pre-deploy: ./backup.sh \${{ inputs.environment }}
          health-cmd: \${{ inputs.environment }}
          remote-dir: /srv/\${{ inputs.environment }}
`;
    expect(injectionProblems('inj.yml', injected)).toEqual([
      'inj.yml:10: run: expands ${{ inputs.environment }}',
      'inj.yml:11: run: expands ${{ github.event.pull_request.title }}',
      'inj.yml:13: run: expands ${{ steps.x.outputs.y }}',
      'inj.yml:17: run: writes a multi-line value with the fixed delimiter EOF',
      'inj.yml:24: pre-deploy: expands ${{ inputs.environment }}',
      'inj.yml:25: health-cmd: expands ${{ inputs.environment }}',
    ]);
    // A reusable workflow may hand its caller's script through whole.
    const passThrough = `on:
  workflow_call:
    inputs:
      pre-deploy: { type: string }
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.deploy-actions/ssh-deploy
        with:
          pre-deploy: \${{ inputs.pre-deploy }}
`;
    expect(injectionProblems('call.yml', passThrough)).toEqual([]);
    expect(
      injectionProblems('dispatch.yml', passThrough.replace('workflow_call', 'workflow_dispatch')),
    ).toEqual(['dispatch.yml:12: pre-deploy: expands ${{ inputs.pre-deploy }}']);
  });
});

interface WorkflowStep {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<
    string,
    { steps: WorkflowStep[]; outputs?: Record<string, string>; uses?: string; with?: Record<string, string> }
  >;
}
const loadWorkflow = (file: string) =>
  parseDocument(readFileSync(join(repoRoot, file), 'utf8')).toJS() as Workflow;
const stepNamed = (workflow: Workflow, job: string, name: string) => {
  const step = workflow.jobs[job]!.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step '${name}' in job ${job}`);
  return step;
};

/** A workflow's shell step, run the way the runner runs it (`bash -eo pipefail`), with its `env:` as evaluated. */
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
  const output = readFileSync(files.GITHUB_OUTPUT, 'utf8');
  return {
    ...result,
    output,
    outputs: parseFileCommand(output),
    errors: result.stdout.split('\n').filter((l) => l.startsWith('::error')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

// deploy.yml's own shell steps, run the way the runner runs them (`bash -eo
// pipefail`), with the step's `env:` as the runner would have evaluated it.
describe('the shell steps of deploy.yml', () => {
  const deployYml = loadWorkflow('.github/workflows/deploy.yml');
  const script = (job: string, name: string) => stepNamed(deployYml, job, name).run!;

  const digest = `sha256:${'ab'.repeat(32)}`;

  it('plans with the verified digests, and says so when the plan job has no SSH key', async () => {
    const run = script('preview', 'The verified images');
    const verified = JSON.stringify({ image0: `APP_IMAGE=ghcr.io/acme/app@${digest}`, image1: '' });
    const withKey = await runStep(run, { VERIFIED: verified, HAS_KEY: 'true' });
    expect(withKey.code).toBe(0);
    expect(withKey.outputs).toEqual({
      vars: `APP_IMAGE=ghcr.io/acme/app@${digest}`,
      images: `ghcr.io/acme/app@${digest}`,
      secrets: '{}',
      'has-key': 'true',
    });
    // A secret the job cannot see goes in as the marker the plan reports as unknown.
    const secrets = await runStep(run, {
      VERIFIED: verified,
      HAS_KEY: 'true',
      SECRET_KEYS: 'DB_PASSWORD\nAPI_KEY',
      ENV_SECRETS: JSON.stringify({ API_KEY: 'k', OTHER: 'x' }),
    });
    expect(JSON.parse(secrets.outputs['secrets']!)).toEqual({
      DB_PASSWORD: 'deploy-actions:unknown-to-the-plan',
      API_KEY: 'k',
    });
    expect(withKey.summary).toBe('');
    const without = await runStep(run, { VERIFIED: verified, HAS_KEY: 'false' });
    expect(without.outputs['has-key']).toBe('false');
    expect(without.summary).toContain('No plan: this job sees no SSH key');
    // The deploy, and so its environment's approval, comes after the plan.
    expect(deployYml.jobs['deploy']).toMatchObject({ needs: ['plan', 'verify', 'preview'] });
  });

  it('turns the images input into a verify matrix and env lines', async () => {
    const step = await runStep(script('plan', 'Read the images'), {
      IMAGES: `APP_IMAGE=ghcr.io/acme/app@${digest}\n# a comment\n\n  DB_IMAGE=ghcr.io/acme/db@${digest}  \n`,
      REQUIRE_DIGEST: 'true',
    });
    expect(step.code).toBe(0);
    const matrix = JSON.parse(/^matrix=(.*)$/m.exec(step.output)![1]!);
    expect(matrix).toEqual([
      { index: 0, name: 'APP_IMAGE', image: `ghcr.io/acme/app@${digest}` },
      { index: 1, name: 'DB_IMAGE', image: `ghcr.io/acme/db@${digest}` },
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

  it('runs the suite only at a 40-hex commit: refuses an empty workflow_sha and a branch as actions-ref', async () => {
    const run = script('plan', 'Refuse to guess which deploy-actions to run');
    const sha = 'c'.repeat(40);
    const empty = await runStep(run, { WORKFLOW_REPOSITORY: 'acme/deploy-actions', WORKFLOW_SHA: '' });
    expect(empty.code).not.toBe(0);
    expect(empty.errors.join('\n')).toContain('job.workflow_sha are empty');
    const branch = await runStep(run, {
      WORKFLOW_REPOSITORY: 'acme/deploy-actions',
      WORKFLOW_SHA: sha,
      ACTIONS_REF: 'main',
    });
    expect(branch.code).not.toBe(0);
    expect(branch.errors.join('\n')).toContain(
      "'main' is not a commit: actions-ref must be the full 40-hex SHA",
    );
    const short = await runStep(run, {
      WORKFLOW_REPOSITORY: 'acme/deploy-actions',
      ACTIONS_REF: sha.slice(0, 12),
    });
    expect(short.code).not.toBe(0);
    const own = await runStep(run, { WORKFLOW_REPOSITORY: 'acme/deploy-actions', WORKFLOW_SHA: sha });
    expect(own.code).toBe(0);
    expect(own.outputs).toEqual({ repository: 'acme/deploy-actions', ref: sha });
    // Every job that runs the suite checks out exactly what the plan resolved.
    for (const job of ['verify', 'deploy']) {
      const checkout = stepNamed(deployYml, job, "Check out deploy-actions at this workflow's own commit");
      expect(checkout.with).toMatchObject({
        repository: '${{ needs.plan.outputs.actions-repository }}',
        ref: '${{ needs.plan.outputs.actions-ref }}',
      });
    }
  });

  it('expects keyless signatures from the calling repository and its default branch unless told otherwise', async () => {
    const run = script('plan', 'Name the expected signer');
    const caller = { KEYLESS: 'true', CALLER: 'acme/shop', DEFAULT_BRANCH: 'main' };
    const defaults = await runStep(run, caller);
    expect(defaults.code).toBe(0);
    expect(defaults.outputs).toEqual({ repository: 'acme/shop', ref: 'refs/heads/main', sha: '' });
    const sha = 'd'.repeat(40);
    const given = await runStep(run, {
      ...caller,
      REPOSITORY: 'acme/shop-app',
      REF: 'refs/heads/release',
      SHA: sha,
    });
    expect(given.outputs).toEqual({ repository: 'acme/shop-app', ref: 'refs/heads/release', sha });
    // Another repository's release: its ref cannot be guessed from ours.
    const noRef = await runStep(run, { ...caller, REPOSITORY: 'acme/shop-app' });
    expect(noRef.code).not.toBe(0);
    expect(noRef.errors.join('\n')).toContain('certificate-github-workflow-ref::required');
    const bad = await runStep(run, { ...caller, REPOSITORY: 'acme', REF: 'main', SHA: 'abc' });
    expect(bad.errors).toHaveLength(3);
    const withKey = await runStep(run, { ...caller, KEYLESS: 'false', REPOSITORY: 'acme/shop' });
    expect(withKey.code).not.toBe(0);
  });

  it('verifies each image against the expected source repository, ref, commit and docker-reference', () => {
    const verify = stepNamed(deployYml, 'verify', 'Verify the signature of ${{ matrix.name }}');
    expect(verify.with).toMatchObject({
      'certificate-github-workflow-repository': '${{ needs.plan.outputs.source-repository }}',
      'certificate-github-workflow-ref': '${{ needs.plan.outputs.source-ref }}',
      'certificate-github-workflow-sha': '${{ needs.plan.outputs.source-sha }}',
      'require-docker-reference': '${{ inputs.require-docker-reference }}',
    });
    const inputs = (
      parseDocument(readFileSync(join(repoRoot, '.github/workflows/deploy.yml'), 'utf8')).toJS() as {
        on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
      }
    ).on.workflow_call.inputs;
    expect(inputs['require-docker-reference']!.default).toBe(true);
  });

  const verifiedOutputs = (refs: Record<number, string>) =>
    JSON.stringify(Object.fromEntries(Object.entries(refs).map(([i, v]) => [`image${i}`, v])));

  it('deploys the digest verify-signature returned, not the tag it was given (require-digest: false)', async () => {
    const moved = `sha256:${'cd'.repeat(32)}`;
    const step = await runStep(script('deploy', 'Collect the verified images'), {
      PLANNED: JSON.stringify([
        { index: 0, name: 'APP_IMAGE', image: 'ghcr.io/acme/app:sha-1234567' },
        { index: 1, name: 'DB_IMAGE', image: `ghcr.io/acme/db@${digest}` },
      ]),
      VERIFIED: verifiedOutputs({
        0: `APP_IMAGE=ghcr.io/acme/app@${moved}`,
        1: `DB_IMAGE=ghcr.io/acme/db@${digest}`,
      }),
      VARS: 'APP_PORT=8080',
    });
    expect(step.code).toBe(0);
    expect(step.outputs['vars']).toBe(
      `APP_IMAGE=ghcr.io/acme/app@${moved}\nDB_IMAGE=ghcr.io/acme/db@${digest}`,
    );
    expect(step.outputs['images']).toBe(`ghcr.io/acme/app@${moved}\nghcr.io/acme/db@${digest}`);
    expect(step.outputs['keys']).toBe('APP_IMAGE\nDB_IMAGE');
    // Multi-line outputs end at a random delimiter, not one a value could contain.
    const delimiters = [...step.output.matchAll(/^\w+<<(.+)$/gm)].map((m) => m[1]);
    expect(delimiters).toHaveLength(3);
    for (const d of delimiters) expect(d).toMatch(/^EOF_[0-9a-f]{32}$/);
    expect(new Set(delimiters).size).toBe(3);
  });

  it('feeds render-env only verified digests, protected, and never the plan’s tags', () => {
    const render = stepNamed(deployYml, 'deploy', 'Render the env file');
    expect(render.with).toMatchObject({
      'verified-images': '${{ steps.verified.outputs.images }}',
      'protected-keys': '${{ steps.verified.outputs.keys }}',
      'allow-images': '${{ inputs.allow-images }}',
    });
    expect(render.with!['vars']).toContain('${{ steps.verified.outputs.vars }}');
    expect(render.with!['vars']).not.toContain('needs.plan.outputs.vars');
    // The verified lines come last in vars, so nothing in the same layer overrides them.
    expect(render.with!['vars']!.trim().split('\n').pop()!.trim()).toBe('${{ steps.verified.outputs.vars }}');
  });

  it('deploys nothing when an image has no verified digest, another digest, or is also set in vars', async () => {
    const run = script('deploy', 'Collect the verified images');
    const planned = JSON.stringify([
      { index: 0, name: 'APP_IMAGE', image: `ghcr.io/acme/app@${digest}` },
      { index: 1, name: 'MIGRATOR_IMAGE', image: `ghcr.io/acme/migrator@${digest}` },
    ]);
    const missing = await runStep(run, {
      PLANNED: planned,
      VERIFIED: verifiedOutputs({ 0: `APP_IMAGE=ghcr.io/acme/app@${digest}` }),
    });
    expect(missing.code).not.toBe(0);
    expect(missing.errors.join('\n')).toContain('MIGRATOR_IMAGE');
    expect(missing.output).toBe('');
    const other = await runStep(run, {
      PLANNED: planned,
      VERIFIED: verifiedOutputs({
        0: `APP_IMAGE=ghcr.io/acme/app@sha256:${'ee'.repeat(32)}`,
        1: `MIGRATOR_IMAGE=ghcr.io/acme/migrator@${digest}`,
      }),
    });
    expect(other.code).not.toBe(0);
    const both = verifiedOutputs({
      0: `APP_IMAGE=ghcr.io/acme/app@${digest}`,
      1: `MIGRATOR_IMAGE=ghcr.io/acme/migrator@${digest}`,
    });
    for (const vars of [
      `APP_IMAGE=evil/app@${digest}`,
      `MIGRATOR_IMAGE: evil/migrator@${digest}`,
      'export APP_IMAGE=x',
    ]) {
      const overridden = await runStep(run, { PLANNED: planned, VERIFIED: both, VARS: `A=1\n${vars}` });
      expect(overridden.code).not.toBe(0);
      expect(overridden.errors.join('\n')).toContain('which is a verified image');
    }
  });

  it('hands render-env only the secrets named in secret-keys, never the deploy credentials', async () => {
    const run = script('deploy', 'Select the env file’s secrets'.replace('’', "'"));
    const all = JSON.stringify({
      SSH_PRIVATE_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----',
      github_token: 'ghs_x',
      CHAT_WEBHOOK: 'https://hooks',
      API_TOKEN: 'tok',
      DATABASE_PASSWORD: 'pw',
      UNNAMED: 'u',
    });
    const picked = await runStep(run, { ALL_SECRETS: all, SECRET_KEYS: 'API_TOKEN\n database_password \n' });
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.outputs['json']!)).toEqual({ API_TOKEN: 'tok', database_password: 'pw' });
    expect(picked.outputs['forbidden']!.split('\n')).toEqual(
      expect.arrayContaining([
        'SSH_PRIVATE_KEY',
        'PROXY_PRIVATE_KEY',
        'REGISTRY_PASSWORD',
        'GITHUB_TOKEN',
        'CHAT_WEBHOOK',
      ]),
    );
    const none = await runStep(run, { ALL_SECRETS: all, SECRET_KEYS: '' });
    expect(JSON.parse(none.outputs['json']!)).toEqual({});
    for (const key of ['SSH_PRIVATE_KEY', 'github_token', 'Chat_Webhook', 'MY_KEY']) {
      const refused = await runStep(run, { ALL_SECRETS: all, SECRET_KEYS: key, FORBIDDEN_KEYS: 'MY_KEY' });
      expect(refused.code).not.toBe(0);
      expect(refused.errors.join('\n')).toContain('never goes into the env file');
      expect(refused.output).toBe('');
    }
    const image = await runStep(run, {
      ALL_SECRETS: all,
      SECRET_KEYS: 'APP_IMAGE',
      IMAGE_KEYS: 'APP_IMAGE\n',
    });
    expect(image.code).not.toBe(0);
    const notJson = await runStep(run, { ALL_SECRETS: 'SSH_PRIVATE_KEY=abc', SECRET_KEYS: 'API_TOKEN' });
    expect(notJson.code).not.toBe(0);
    expect(notJson.stdout).not.toContain('abc');
    // And render-env gets that selection, not toJSON(secrets).
    const render = stepNamed(deployYml, 'deploy', 'Render the env file');
    expect(render.with!['secrets']).toBe('${{ steps.secrets.outputs.json }}');
    expect(render.with!['forbidden-keys']).toBe('${{ steps.secrets.outputs.forbidden }}');
    expect(JSON.stringify(render.with)).not.toMatch(/toJSON\(secrets\)/i);
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

describe('deploy-manual.yml', () => {
  const manual = loadWorkflow('.github/workflows/deploy-manual.yml');

  it('refuses to run from any branch but the default one, before anything else', async () => {
    const guard = manual.jobs['guard']!;
    const run = stepNamed(manual, 'guard', 'Refuse a run from any other branch').run!;
    const feature = await runStep(run, { REF: 'refs/heads/feature/x', DEFAULT_BRANCH: 'main' });
    expect(feature.code).not.toBe(0);
    expect(feature.errors.join('\n')).toContain(
      'runs only from the default branch (refs/heads/main), not from refs/heads/feature/x',
    );
    expect((await runStep(run, { REF: 'refs/tags/v1', DEFAULT_BRANCH: 'main' })).code).not.toBe(0);
    expect((await runStep(run, { REF: 'refs/heads/main', DEFAULT_BRANCH: '' })).code).not.toBe(0);
    expect((await runStep(run, { REF: 'refs/heads/main', DEFAULT_BRANCH: 'main' })).code).toBe(0);
    expect(guard.steps).toHaveLength(1);
    // Every other job waits for the guard.
    const needs = (job: string) => [(manual.jobs[job] as { needs?: string | string[] }).needs ?? []].flat();
    expect(needs('resolve')).toContain('guard');
    expect(needs('deploy')).toContain('resolve');
  });

  it('accepts only a full sha-<commit> tag and checks the signature against that commit', async () => {
    const check = stepNamed(manual, 'resolve', 'Check the tag').run!;
    const sha = 'e'.repeat(40);
    const full = await runStep(check, { TAG: `sha-${sha}` });
    expect(full.outputs).toEqual({ sha });
    for (const tag of ['sha-abc1234', 'latest', `sha-${sha}\nAPP_IMAGE=evil`]) {
      expect((await runStep(check, { TAG: tag })).code).not.toBe(0);
    }
    for (const name of ['Verify and pin the app image', 'Verify and pin the migrator image']) {
      const step = stepNamed(manual, 'resolve', name);
      // The actions from this workflow's own commit, not from a checkout of the branch.
      expect(step.uses).toBe('./.deploy-actions/verify-signature');
      expect(step.with).toMatchObject({
        'certificate-github-workflow-repository': '${{ github.repository }}',
        'certificate-github-workflow-ref': 'refs/heads/${{ github.event.repository.default_branch }}',
        'certificate-github-workflow-sha': '${{ steps.tag.outputs.sha }}',
        'require-docker-reference': true,
      });
    }
    expect(
      stepNamed(manual, 'resolve', "Check out deploy-actions at this workflow's commit").with,
    ).toMatchObject({
      ref: '${{ github.workflow_sha }}',
      'persist-credentials': false,
    });
    expect(manual.jobs['deploy']!.with).toMatchObject({
      'certificate-github-workflow-sha': '${{ needs.resolve.outputs.sha }}',
      'actions-ref': '${{ github.workflow_sha }}',
      'secret-keys': 'DB_PASSWORD',
    });
  });
});

describe('release.yml', () => {
  const release = loadWorkflow('.github/workflows/release.yml');
  const names = stepNamed(release, 'build', 'Name the images').run!;
  const env = {
    GITHUB_REPOSITORY: 'Acme/Shop',
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_SERVER_URL: 'https://github.com',
    WORKFLOW_REF: 'acme/deploy-actions/.github/workflows/release.yml@refs/heads/main',
  };

  it('outputs the source repository, ref and commit the signing certificate records', async () => {
    const step = await runStep(names, { ...env, GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' });
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({
      tag: `sha-${'f'.repeat(40)}`,
      app: 'ghcr.io/acme/shop/app',
      'source-repository': 'Acme/Shop',
      'source-ref': 'refs/heads/main',
      'source-sha': 'f'.repeat(40),
      'branch-tag': '',
    });
  });

  it('signs each digest with its own repository as the signed docker-reference annotation', async () => {
    const sign = stepNamed(release, 'build', 'Sign the images (keyless)');
    const bin = mkdtempSync(join(tmpdir(), 'fake-cosign-'));
    const log = join(bin, 'calls');
    writeFileSync(join(bin, 'cosign'), `#!/bin/sh\nprintf '%s|' "$@" >> '${log}'\necho >> '${log}'\n`, {
      mode: 0o755,
    });
    const app = 'ghcr.io/acme/shop/app';
    const migrator = 'ghcr.io/acme/shop/migrator';
    const digest = `sha256:${'1'.repeat(64)}`;
    const step = await runStep(sign.run!, {
      PATH: `${bin}:${process.env['PATH']}`,
      APP: app,
      APP_DIGEST: digest,
      MIGRATOR: migrator,
      MIGRATOR_DIGEST: digest,
    });
    expect(step.code).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      `sign|--yes|-a|docker-reference=${app}|${app}@${digest}|`,
      `sign|--yes|-a|docker-reference=${migrator}|${migrator}@${digest}|`,
    ]);
  });

  it('turns a branch into one image tag, and refuses a branch name that would be several', async () => {
    const ok = await runStep(names, {
      ...env,
      GITHUB_REF: 'refs/heads/release-1.2',
      GITHUB_REF_NAME: 'release-1.2',
      BRANCH_TAGS: 'true',
    });
    expect(ok.outputs['branch-tag']).toBe('release-1.2');
    for (const branch of ['x,ghcr.io/acme/shop/app:latest', 'a\nb', 'feature/x', '-x']) {
      const step = await runStep(names, {
        ...env,
        GITHUB_REF: `refs/heads/${branch}`,
        GITHUB_REF_NAME: branch,
        BRANCH_TAGS: 'true',
      });
      expect(step.code).not.toBe(0);
      expect(step.errors.join('\n')).toContain('cannot be an image tag');
      expect(step.output).toBe('');
    }
    const build = stepNamed(release, 'build', 'Build and push the app image');
    expect(build.with!['tags']).not.toContain('github.ref_name');
    expect(build.with!['tags']).toContain('steps.names.outputs.branch-tag');
  });
});

// Every caller we ship (the workflows, the examples, the guides) asks for the
// source repository and ref of keyless signatures, and for the docker-reference.
describe.each(workflowFiles)('the signature checks of %s', (file) => {
  const sites = usesSites(file, readWorkflow(file));
  const keyless = (site: UsesSite) => !site.with['key'] && !site.with['signing-key'];

  it('name the source repository and ref of keyless signatures, and require the docker-reference', () => {
    const problems: string[] = [];
    for (const site of sites) {
      const isVerify = suiteAction(site.uses) === 'verify-signature';
      const isDeploy = /(^|\/)\.github\/workflows\/deploy\.yml(@|$)/.test(site.uses);
      if ((!isVerify && !isDeploy) || file === '.github/workflows/deploy.yml') continue;
      if (!keyless(site)) continue;
      for (const input of ['certificate-github-workflow-repository', 'certificate-github-workflow-ref']) {
        if (!site.with[input]) problems.push(`${file}:${site.line}: no ${input}`);
      }
      if (site.with['require-docker-reference'] !== 'true') {
        problems.push(`${file}:${site.line}: require-docker-reference is not true`);
      }
    }
    expect(problems).toEqual([]);
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
