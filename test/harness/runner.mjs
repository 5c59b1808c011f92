// The one emulation of the GitHub runner: runs a bundled action (dist/<name>/index.js) as the
// runner does. Plain JavaScript so that the jest harness (run-action.ts re-exports it, with the
// types of runner.d.mts), the demo and the benchmarks all run bundles the same way without a
// TypeScript build. See README.md for what it emulates.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The major version action.yml's `runs.using: node24` means. */
export const ACTION_NODE_MAJOR = 24;
/** Where test/lab/up.sh installs Node 24 (`labTools.node24` in test/lab/lab.ts). */
export const LAB_NODE24 = '/usr/local/lib/deploy-lab/node24/bin/node';

let chosenNode;

/**
 * The Node that runs the bundles, as `using: node24` does on a runner: `$ACTION_NODE` when
 * set, else the lab's Node 24. Without either, outside CI, the Node running this process (with
 * a warning); under CI=true a runtime other than Node 24 is an error, so CI can never pass on
 * the wrong runtime.
 */
export function actionNode() {
  if (chosenNode) return chosenNode;
  const fromEnv = process.env['ACTION_NODE'];
  let path;
  let source;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`ACTION_NODE=${fromEnv} does not exist`);
    [path, source] = [fromEnv, 'ACTION_NODE'];
  } else if (existsSync(LAB_NODE24)) {
    [path, source] = [LAB_NODE24, 'lab'];
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
      `(no Node ${ACTION_NODE_MAJOR} at ${LAB_NODE24}: npm run lab:up installs it, or set ACTION_NODE)`;
    if (process.env['CI'] === 'true') throw new Error(why);
    process.stderr.write(`run-action: ${why}; running them on ${version} anyway\n`);
  }
  chosenNode = { path, version, source };
  return chosenNode;
}

const defaultsCache = new Map();

/**
 * The inputs the runner sets from action.yml's `default:` when a step's `with:` leaves them
 * out. `${{ github.token }}` becomes the step's GITHUB_TOKEN (empty when none is set);
 * any other expression is an error here rather than a silently wrong value.
 */
export function actionDefaults(name, env = {}) {
  let defaults = defaultsCache.get(name);
  if (!defaults) {
    const doc = parseYaml(readFileSync(join(repoRoot, name, 'action.yml'), 'utf8'));
    defaults = {};
    for (const [input, spec] of Object.entries(doc.inputs ?? {})) {
      if (spec?.default === undefined || spec.default === null) continue;
      defaults[input] = String(spec.default);
    }
    defaultsCache.set(name, defaults);
  }
  const resolved = {};
  for (const [input, value] of Object.entries(defaults)) {
    resolved[input] = value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression) => {
      if (expression === 'github.token') return env['GITHUB_TOKEN'] ?? '';
      throw new Error(
        `${name}/action.yml: the harness cannot evaluate the default of ${input}: \${{ ${expression} }}`,
      );
    });
  }
  return resolved;
}

/** True when action.yml declares a `post:` entry (the runner runs it at the end of the job). */
export function hasPost(name) {
  const doc = parseYaml(readFileSync(join(repoRoot, name, 'action.yml'), 'utf8'));
  return Boolean(doc.runs?.post);
}

/**
 * Sets up one step as the runner does, without starting it: the runner's files and folders, and
 * the environment (INPUT_* variables with hyphens kept and action.yml's defaults for inputs left
 * out, GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE / GITHUB_STEP_SUMMARY, RUNNER_TEMP,
 * GITHUB_WORKSPACE, STATE_* for a post step). `argv` is what to start (in `cwd`, with `env`);
 * `collect()` reads back what the step wrote. runAction() runs it; a benchmark that times the
 * bare process starts it itself.
 */
export function prepareStep(name, options = {}) {
  const entry = join(repoRoot, 'dist', name, 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run npm run build -- ${name}`);
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

  const env = {
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
  const inputVar = (key) => `INPUT_${key.replace(/ /g, '_').toUpperCase()}`;
  // As the runner does: action.yml's defaults for what `with:` leaves out (an INPUT_* set
  // through env keeps its value), then `with:`.
  if (options.defaults !== false) {
    for (const [key, value] of Object.entries(actionDefaults(name, options.env ?? {}))) {
      env[inputVar(key)] ??= value;
    }
  }
  for (const [key, value] of Object.entries(options.inputs ?? {})) env[inputVar(key)] = String(value);
  for (const [key, value] of Object.entries(options.state ?? {})) env[`STATE_${key}`] = value;

  return {
    // The runtime `using: node24` names, not necessarily the one running this process.
    argv: [actionNode().path, entry],
    cwd: workspace,
    env,
    collect: () => ({
      outputs: parseFileCommand(readFileSync(paths.output, 'utf8')),
      exportedEnv: parseFileCommand(readFileSync(paths.env, 'utf8')),
      stateFile: parseFileCommand(readFileSync(paths.state, 'utf8')),
      summary: readFileSync(paths.summary, 'utf8'),
      dirs: { runnerTemp, workspace, files },
    }),
  };
}

/**
 * Runs a bundled action (dist/<name>/index.js) exactly as the GitHub runner does (see
 * prepareStep()), on Node 24 (actionNode()). Returns what a workflow would see.
 */
export async function runAction(name, options = {}) {
  const step = prepareStep(name, options);
  const started = Date.now();
  const { exitCode, stdout, stderr } = await spawnStep(step, options);
  const durationMs = Date.now() - started;
  const commands = parseWorkflowCommands(stdout);
  const { stateFile, ...written } = step.collect();
  return {
    name,
    exitCode,
    stdout,
    stderr,
    outputs: written.outputs,
    exportedEnv: written.exportedEnv,
    state: { ...commands.state, ...stateFile },
    summary: written.summary,
    annotations: commands.annotations,
    masked: commands.masked,
    dirs: written.dirs,
    durationMs,
    nodeVersion: actionNode().version,
  };
}

/** Runs the post step of a finished main step, with its state, workspace and RUNNER_TEMP. */
export async function runPost(name, main, options = {}) {
  return runAction(name, {
    ...options,
    workspace: main.dirs.workspace,
    runnerTemp: main.dirs.runnerTemp,
    state: main.state,
  });
}

function spawnStep({ argv, cwd, env }, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    child.stdout.on('data', (d) => {
      stdout += d.toString();
      // Cancel as the runner does: the signal once stdout shows the step reached `when`.
      if (options.cancel && !cancelled && options.cancel.when.test(stdout)) {
        cancelled = true;
        child.kill(options.cancel.signal);
      }
    });
    child.stderr.on('data', (d) => (stderr += d.toString()));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(
            new Error(`${argv[1]} ran over ${options.timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`),
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
export function parseFileCommand(text) {
  const result = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      result[name] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}

const unescapeData = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Reads `::command key=value,...::message` lines the way the runner does. */
export function parseWorkflowCommands(stdout) {
  const annotations = [];
  const masked = [];
  const state = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const [, command, rawProps, message] = m;
    const properties = {};
    for (const pair of (rawProps ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    if (command === 'error' || command === 'warning' || command === 'notice') {
      annotations.push({ level: command, message: unescapeData(message), properties });
    } else if (command === 'add-mask') {
      masked.push(unescapeData(message));
    } else if (command === 'save-state' && properties['name']) {
      state[properties['name']] = unescapeData(message);
    }
  }
  return { annotations, masked, state };
}

/** Everything a workflow could show of a run: for "the secret appears nowhere" assertions. */
export function visibleText(run) {
  const maskLines = new Set(run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')));
  const stdout = run.stdout
    .split('\n')
    .filter((l) => !maskLines.has(l))
    .join('\n');
  return [stdout, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.exportedEnv)].join(
    '\n',
  );
}
