import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ACTION_NODE_MAJOR, actionDefaults, actionNode, repoRoot, runAction } from '../harness/run-action.js';
import { describeWithLab, labTools } from '../lab/lab.js';

// The harness runs the bundles as the runner does: on the runtime action.yml names
// (`using: node24`, the lab's Node 24 from test/lab/tools.lock), with action.yml's
// input defaults for what a step leaves out. A preloaded script (NODE_OPTIONS=--require,
// which the runner passes through too) records what the bundle's process saw, then
// exits before the action does anything.

const actions = readdirSync(repoRoot).filter((name) => {
  try {
    return readFileSync(join(repoRoot, name, 'action.yml'), 'utf8').length > 0;
  } catch {
    return false;
  }
});

describeWithLab('the harness runs bundles like the runner', () => {
  let scratch: string;
  let preload: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'runner-node-'));
    preload = join(scratch, 'preload.cjs');
    writeFileSync(
      preload,
      `const inputs = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('INPUT_')));
require('fs').writeFileSync(process.env.PRELOAD_OUT, JSON.stringify({ version: process.version, inputs }));
process.exit(0);
`,
    );
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** What the bundle's own process saw: its Node version and its INPUT_* variables. */
  async function seen(
    action: string,
    options: Parameters<typeof runAction>[1] = {},
  ): Promise<{ version: string; inputs: Record<string, string> }> {
    const out = join(scratch, `${action}-${Math.random().toString(16).slice(2)}.json`);
    const run = await runAction(action, {
      ...options,
      env: { ...options.env, NODE_OPTIONS: `--require ${preload}`, PRELOAD_OUT: out },
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')) as { version: string; inputs: Record<string, string> };
  }

  it('finds seven actions, each declaring runs.using node24', () => {
    expect(actions.sort()).toEqual([
      'bump-images',
      'record-deployment',
      'render-env',
      'secret-scan-gate',
      'ssh-deploy',
      'verify-signature',
      'wait-ready',
    ]);
    for (const action of actions) {
      const doc = parseYaml(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8')) as {
        runs: { using: string };
      };
      expect({ action, using: doc.runs.using }).toEqual({ action, using: `node${ACTION_NODE_MAJOR}` });
    }
  });

  it('runs every bundle on Node 24 (the lab one unless ACTION_NODE says otherwise), not on the Node running jest', async () => {
    const node = actionNode();
    expect(node.version).toMatch(/^v24\./);
    if (!process.env['ACTION_NODE']) expect(node.path).toBe(labTools.node24);
    for (const action of actions) {
      const run = await seen(action, { inputs: {} });
      expect({ action, version: run.version }).toEqual({ action, version: node.version });
    }
    // The point of it: the machine's node (which runs jest) is another major here.
    expect(process.version).not.toBe(node.version);
  });

  it("applies action.yml's defaults for inputs the step leaves out, and the step's values over them", async () => {
    const run = await seen('wait-ready', { inputs: { url: 'http://127.0.0.1:9/', timeout: '7s' } });
    expect(run.inputs).toMatchObject({
      INPUT_URL: 'http://127.0.0.1:9/',
      INPUT_TIMEOUT: '7s',
      INPUT_METHOD: 'GET',
      'INPUT_EXPECT-STATUS': '200-299',
      'INPUT_MAX-INTERVAL': '15s',
    });
    // No default, not given: not set at all, as on the runner.
    expect(run.inputs).not.toHaveProperty('INPUT_HEADERS');
    expect(run.inputs).not.toHaveProperty('INPUT_EXPECT-BODY');
    const defaults = actionDefaults('wait-ready');
    expect(Object.keys(run.inputs).sort()).toEqual(
      [...new Set([...Object.keys(defaults), 'url', 'timeout'])]
        .map((k) => `INPUT_${k.toUpperCase()}`)
        .sort(),
    );
  });

  it('evaluates ${{ github.token }} defaults to the step token, and can leave defaults out', async () => {
    const withToken = await seen('verify-signature', { env: { GITHUB_TOKEN: 'ghs_harness_token' } });
    expect(withToken.inputs['INPUT_GITHUB-TOKEN']).toBe('ghs_harness_token');
    const bare = await seen('wait-ready', { inputs: { url: 'http://127.0.0.1:9/' }, defaults: false });
    expect(bare.inputs).toEqual({ INPUT_URL: 'http://127.0.0.1:9/' });
  });
});
