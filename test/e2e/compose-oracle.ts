/**
 * The real Docker Compose v2 (`docker compose config`, which needs no engine) as the oracle
 * for render-env: helpers to run it on files and to read what it printed as data.
 */
import { spawn } from 'node:child_process';

export interface ComposeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only these reach compose from our environment: nothing of the test runner's own env leaks in. */
const BASE_ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' };

/**
 * Runs `docker compose <args>` in `cwd` with exactly `env` (plus PATH and HOME) as its
 * environment: compose's interpolation reads the process environment before any env file.
 */
export function dockerCompose(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ComposeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['compose', ...args], {
      cwd: options.cwd,
      env: { ...(options.env ?? {}), ...BASE_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `docker compose config --format json`, parsed; throws with compose's stderr when it refuses. */
export async function composeConfigJson(
  files: readonly string[],
  options: { cwd: string; project: string; envFile?: string; env?: Record<string, string> },
): Promise<Record<string, unknown>> {
  const args = ['-p', options.project, '--project-directory', options.cwd];
  if (options.envFile) args.push('--env-file', options.envFile);
  for (const f of files) args.push('-f', f);
  const run = await dockerCompose([...args, 'config', '--format', 'json'], options);
  if (run.code !== 0) throw new Error(`docker compose config failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** compose prints every literal `$` as `$$`; this undoes it on every string of a parsed config. */
export function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$/g, '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replace(/\$\$/g, '$'), unescapeDollars(v)]),
    );
  }
  return value;
}

/** Variables compose warned about (`The "X" variable is not set. Defaulting to a blank string.`). */
export function unsetWarnings(stderr: string): string[] {
  return [...stderr.matchAll(/The \\?"([^"\\]+)\\?" variable is not set/g)].map((m) => m[1]!).sort();
}

/** The error compose printed (its stderr without the `level=warning` log lines). */
export function composeError(stderr: string): string {
  return stderr.replace(/time="[^"]*" level=warning msg="(?:[^"\\]|\\.)*"\n?/g, '').trim();
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
