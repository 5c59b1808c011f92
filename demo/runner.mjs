// Runs a bundled action (dist/<name>/index.js) the way the GitHub runner does:
// INPUT_* variables, the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY
// files, RUNNER_TEMP, and a `post:` run with the saved state. The same contract
// as test/harness/run-action.ts, in plain JavaScript so the demo needs no build.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** Parses the `name<<DELIM ... DELIM` and `name=value` file-command format. */
function parseFileCommand(text) {
  const result = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      result[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=');
      result[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return result;
}

/** What the runner would show of a step's stdout: annotations and saved state. */
function parseCommands(stdout) {
  const errors = [];
  const state = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const message = m[3].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    if (m[1] === 'error') errors.push(message);
    if (m[1] === 'save-state') {
      const name = /name=([^,]+)/.exec(m[2] ?? '')?.[1];
      if (name) state[name] = message;
    }
  }
  return { errors, state };
}

/**
 * Runs one action step. `step.post` runs the post entry with the state of an
 * earlier run (pass that run as `step.main`).
 */
export async function runStep(name, { inputs = {}, workspace, main } = {}) {
  const entry = join(repoRoot, 'dist', name, 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build -- ${name}`);
  const files = mkdtempSync(join(tmpdir(), `demo-${name}-`));
  const runnerTemp = main?.runnerTemp ?? join(files, 'temp');
  mkdirSync(runnerTemp, { recursive: true });
  const paths = {
    output: join(files, 'output'),
    env: join(files, 'env'),
    state: join(files, 'state'),
    summary: join(files, 'summary.md'),
  };
  for (const p of Object.values(paths)) writeFileSync(p, '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
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
    GITHUB_REPOSITORY: 'example/demo',
    GITHUB_RUN_ID: '1',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
  };
  for (const [key, value] of Object.entries(inputs)) {
    if (value !== undefined && value !== null)
      env[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = String(value);
  }
  for (const [key, value] of Object.entries(main?.state ?? {})) env[`STATE_${key}`] = value;
  const started = Date.now();
  const { exitCode, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout: out, stderr: err }));
  });
  const commands = parseCommands(stdout);
  return {
    name,
    exitCode,
    stdout,
    stderr,
    ms: Date.now() - started,
    outputs: parseFileCommand(readFileSync(paths.output, 'utf8')),
    state: { ...commands.state, ...parseFileCommand(readFileSync(paths.state, 'utf8')) },
    summary: readFileSync(paths.summary, 'utf8'),
    errors: commands.errors,
    runnerTemp,
  };
}

/** True when the step is a skeleton that has not been written yet. */
export const notImplemented = (run) => run.exitCode !== 0 && run.outputs['error-code'] === 'not-implemented';

/** Markdown job summary → text a terminal shows well. */
export function summaryText(markdown) {
  return markdown
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(details|summary|p|div|span|code|b|strong|em|i|sub|sup)[^>]*>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
