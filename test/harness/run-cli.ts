// Runs the bundled CLI (dist/cli/index.js) as a person or a script would: a plain
// `node dist/cli/index.js <args>` on the Node the bundles run on (actionNode()),
// no runner files, stdin closed (not a terminal), HOME and PATH kept.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { actionNode, repoRoot } from './run-action.js';

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, for --json runs (undefined when it is not one JSON document). */
  json?: Record<string, unknown>;
}

export interface CliOptions {
  /** Added to the environment; runner variables (GITHUB_*, INPUT_*, RUNNER_*) are removed first. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export const cliBundle = join(repoRoot, 'dist', 'cli', 'index.js');

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  // A terminal's environment: nothing of a runner (a test under CI=true has GITHUB_* set).
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|STATE_)/.test(k)) clean[k] = v;
  const env = { ...clean, ...options.env };
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(actionNode().path, [cliBundle, ...args], {
        cwd: options.cwd ?? repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 200_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    },
  );
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { exitCode: result.code, stdout: result.stdout, stderr: result.stderr, ...(json ? { json } : {}) };
}
