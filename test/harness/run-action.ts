import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { labTools } from '../lab/lab.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The Node runtime the bundles run on, and the version it reports. */
export interface ActionNode {
  path: string;
  /** `process.version` of that binary, e.g. `v24.22.3`. */
  version: string;
  /** Where the choice came from. */
  source: 'ACTION_NODE' | 'lab' | 'this process';
}

/** The major version action.yml's `runs.using: node24` means. */
export const ACTION_NODE_MAJOR = 24;
let chosenNode: ActionNode | undefined;

/**
 * The Node that runs the bundles, as `using: node24` does on a runner: `$ACTION_NODE` when
 * set, else the lab's Node 24 (test/lab/tools.lock, `labTools.node24`). Without either,
 * outside CI, the Node running the tests (with a warning); under CI=true a runtime other
 * than Node 24 is an error, so CI can never pass on the wrong runtime.
 */
export function actionNode(): ActionNode {
  if (chosenNode) return chosenNode;
  const fromEnv = process.env['ACTION_NODE'];
  let path: string;
  let source: ActionNode['source'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`ACTION_NODE=${fromEnv} does not exist`);
    [path, source] = [fromEnv, 'ACTION_NODE'];
  } else if (existsSync(labTools.node24)) {
    [path, source] = [labTools.node24, 'lab'];
  } else {
    [path, source] = [process.execPath, 'this process'];
  }
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const version = probe.status === 0 ? probe.stdout.trim() : '';
  if (!/^v\d+\./.test(version))
    throw new Error(`${path} --version did not answer (${probe.stderr || probe.error})`);
  const major = Number(version.slice(1).split('.')[0]);
  if (major !== ACTION_NODE_MAJOR) {
    const why =
      `the bundled actions declare node${ACTION_NODE_MAJOR}, but ${path} is ${version} ` +
      `(no Node ${ACTION_NODE_MAJOR} at ${labTools.node24}: npm run lab:up installs it, or set ACTION_NODE)`;
    if (process.env['CI'] === 'true') throw new Error(why);
    process.stderr.write(`run-action: ${why}; running them on ${version} anyway\n`);
  }
  chosenNode = { path, version, source };
  return chosenNode;
}

/** An input of action.yml: its default, when it has one. */
interface ActionYmlInput {
  default?: unknown;
}

const defaultsCache = new Map<string, Record<string, string>>();

/**
 * The inputs the runner sets from action.yml's `default:` when a step's `with:` leaves them
 * out. `${{ github.token }}` becomes the step's GITHUB_TOKEN (empty when the test sets none);
 * any other expression is an error here rather than a silently wrong value.
 */
export function actionDefaults(
  name: string,
  env: Record<string, string | undefined> = {},
): Record<string, string> {
  let defaults = defaultsCache.get(name);
  if (!defaults) {
    const file = join(repoRoot, name, 'action.yml');
    const doc = parseYaml(readFileSync(file, 'utf8')) as { inputs?: Record<string, ActionYmlInput | null> };
    defaults = {};
    for (const [input, spec] of Object.entries(doc.inputs ?? {})) {
      if (spec?.default === undefined || spec.default === null) continue;
      defaults[input] = String(spec.default);
    }
    defaultsCache.set(name, defaults);
  }
  const resolved: Record<string, string> = {};
  for (const [input, value] of Object.entries(defaults)) {
    resolved[input] = value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
      if (expression === 'github.token') return env['GITHUB_TOKEN'] ?? '';
      throw new Error(
        `${name}/action.yml: the harness cannot evaluate the default of ${input}: \${{ ${expression} }}`,
      );
    });
  }
  return resolved;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** Variables the step exported through $GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  /** State saved for the post step (what the runner passes as STATE_<name>). */
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Values registered with ::add-mask:: (the runner would hide them). */
  masked: string[];
  /** The runner's files and folders for this step, for tests that look further. */
  dirs: { runnerTemp: string; workspace: string; files: string };
  durationMs: number;
  /** The Node version that ran the bundle (see actionNode()). */
  nodeVersion: string;
}

export interface RunOptions {
  /** Inputs by their action.yml names (hyphens kept), as `with:` gives them. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (e.g. GITHUB_EVENT_NAME). The parent's PATH and HOME are kept. */
  env?: Record<string, string>;
  /** Working directory and GITHUB_WORKSPACE; a fresh temp dir by default. */
  workspace?: string;
  /** RUNNER_TEMP; a fresh temp dir by default (reused by post()). */
  runnerTemp?: string;
  /** Kill the step after this long (the test fails with what it printed). */
  timeoutMs?: number;
  /** Run the bundle as the post step with this saved state. */
  state?: Record<string, string>;
  /** stdin for the process; closed by default. */
  stdin?: string;
  /** false: do not apply action.yml's input defaults (the runner always does). */
  defaults?: boolean;
  /**
   * Cancel the step as the runner does: send `signal` (SIGINT first, then SIGTERM) to the
   * process once its stdout matches `when`; `exitCode` is then what the process exits with.
   */
  cancel?: { when: RegExp; signal: NodeJS.Signals };
}

/**
 * Runs a bundled action (dist/<name>/index.js) exactly as the GitHub runner
 * does: on Node 24 (actionNode()), INPUT_* variables with hyphens kept and
 * action.yml's defaults for inputs the test leaves out, GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_STATE / GITHUB_STEP_SUMMARY files, RUNNER_TEMP, GITHUB_WORKSPACE,
 * STATE_* for the post step. Returns what a workflow would see.
 */
export async function runAction(name: string, options: RunOptions = {}): Promise<ActionRun> {
  const entry = join(repoRoot, 'dist', name, 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run npm run build first`);
  const files = mkdtempSync(join(tmpdir(), `runner-${name}-`));
  const runnerTemp = options.runnerTemp ?? join(files, 'temp');
  const workspace = options.workspace ?? join(files, 'workspace');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const paths = {
    output: join(files, 'output'),
    env: join(files, 'env'),
    state: join(files, 'state'),
    summary: join(files, 'summary.md'),
  };
  for (const p of Object.values(paths)) writeFileSync(p, '');

  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: paths.output,
    GITHUB_ENV: paths.env,
    GITHUB_STATE: paths.state,
    GITHUB_STEP_SUMMARY: paths.summary,
    GITHUB_ACTION: name,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REPOSITORY: 'example/app',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_ACTOR: 'tester',
    GITHUB_WORKFLOW: 'test',
    ...options.env,
  };
  // The runner upper-cases the name and turns spaces into underscores; hyphens stay.
  const inputVar = (key: string): string => `INPUT_${key.replace(/ /g, '_').toUpperCase()}`;
  // As the runner does: action.yml's defaults for what `with:` leaves out (a test that
  // sets INPUT_* through env keeps its value), then `with:`.
  if (options.defaults !== false) {
    for (const [key, value] of Object.entries(actionDefaults(name, options.env ?? {}))) {
      env[inputVar(key)] ??= value;
    }
  }
  for (const [key, value] of Object.entries(options.inputs ?? {})) env[inputVar(key)] = String(value);
  for (const [key, value] of Object.entries(options.state ?? {})) env[`STATE_${key}`] = value;

  const started = Date.now();
  const { exitCode, stdout, stderr } = await spawnNode(entry, workspace, env, options);
  const durationMs = Date.now() - started;
  const commands = parseWorkflowCommands(stdout);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommand(readFileSync(paths.output, 'utf8')),
    exportedEnv: parseFileCommand(readFileSync(paths.env, 'utf8')),
    state: { ...commands.state, ...parseFileCommand(readFileSync(paths.state, 'utf8')) },
    summary: readFileSync(paths.summary, 'utf8'),
    annotations: commands.annotations,
    masked: commands.masked,
    dirs: { runnerTemp, workspace, files },
    durationMs,
    nodeVersion: actionNode().version,
  };
}

/** Runs the post step of a finished main step, with its state and RUNNER_TEMP. */
export async function runPost(name: string, main: ActionRun, options: RunOptions = {}): Promise<ActionRun> {
  return runAction(name, {
    ...options,
    workspace: main.dirs.workspace,
    runnerTemp: main.dirs.runnerTemp,
    state: main.state,
  });
}

function spawnNode(
  entry: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: RunOptions,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    // The runtime `using: node24` names, not necessarily the one running jest.
    const child = spawn(actionNode().path, [entry], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.cancel && !cancelled && options.cancel.when.test(stdout)) {
        cancelled = true;
        child.kill(options.cancel.signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(
            new Error(`${entry} ran over ${options.timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
          );
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Parses the `name<<DELIM\nvalue\nDELIM` (and legacy `name=value`) file-command format. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      result[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Reads `::command key=value,...::message` lines the way the runner does. */
export function parseWorkflowCommands(stdout: string): {
  annotations: Annotation[];
  masked: string[];
  state: Record<string, string>;
} {
  const annotations: Annotation[] = [];
  const masked: string[] = [];
  const state: Record<string, string> = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const [, command, rawProps, message] = m;
    const properties: Record<string, string> = {};
    for (const pair of (rawProps ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    if (command === 'error' || command === 'warning' || command === 'notice') {
      annotations.push({ level: command, message: unescapeData(message!), properties });
    } else if (command === 'add-mask') {
      masked.push(unescapeData(message!));
    } else if (command === 'save-state' && properties['name']) {
      state[properties['name']] = unescapeData(message!);
    }
  }
  return { annotations, masked, state };
}

/** Everything a workflow could show of a run: for "the secret appears nowhere" assertions. */
export function visibleText(run: ActionRun): string {
  const maskLines = new Set(run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')));
  const stdout = run.stdout
    .split('\n')
    .filter((l) => !maskLines.has(l))
    .join('\n');
  return [stdout, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.exportedEnv)].join(
    '\n',
  );
}
