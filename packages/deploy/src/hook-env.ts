/**
 * The environment hooks (`pre-deploy`, `post-deploy`, `script`) and `health-cmd`
 * see: the env files' variables, exactly as compose reads them.
 *
 * A compose env file is not shell: `set -a; . ./.env` runs a backtick in a value
 * as a command and turns `$$` (a literal `$` to compose, as render-env writes it)
 * into the shell's PID. So the files are read from the host as bytes, parsed on
 * the runner by compose-env's parser (compose v2's rules), and handed back as a
 * file of `export KEY='value'` lines in which no value is ever expanded. That
 * file is written through stdin (never argv, so no value shows in `ps`), mode
 * 0600, inside the host lock's directory, so it goes when the lock goes.
 */
import { UserError } from '@deploy-actions/action-kit';
import {
  DotenvSyntaxError,
  isDotenvError,
  MissingRequiredError,
  parseDotenv,
} from '@deploy-actions/compose-env';
import { quoteShellArg, type SshConnection } from '@deploy-actions/ssh';

/**
 * Prints each env file as hex bytes (POSIX `od`, present in busybox too), so
 * every byte arrives exactly: `@file N` then the bytes, or `@missing N`.
 * Args: remote-dir, env files (relative to remote-dir, or absolute).
 */
export const READ_ENV_FILES_SCRIPT = `
cd "$1" || exit 1; shift
n=0
for f in "$@"; do
  n=$((n + 1))
  if [ -f "$f" ]; then echo "@file $n"; od -An -v -tx1 -- "$f" || exit 1; else echo "@missing $n"; fi
done
exit 0
`;

/** Writes stdin to a file only its owner can read, replacing it by rename. Args: target. */
export const WRITE_PRIVATE_FILE_SCRIPT = `
umask 077
cat > "$1.tmp" || exit 1
chmod 600 "$1.tmp" && mv -f "$1.tmp" "$1"
`;

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits READ_ENV_FILES_SCRIPT's output into each file's bytes (undefined: the file is missing). */
export function decodeEnvFiles(stdout: string, count: number): (Buffer | undefined)[] {
  const files: (Buffer | undefined)[] = new Array<Buffer | undefined>(count).fill(undefined);
  let current: string[] | undefined;
  let index = -1;
  const finish = (): void => {
    if (current && index >= 0) files[index] = Buffer.from(current.join(''), 'hex');
  };
  for (const line of stdout.split('\n')) {
    const header = /^@(file|missing) (\d+)$/.exec(line);
    if (header) {
      finish();
      index = Number(header[2]) - 1;
      current = header[1] === 'file' ? [] : undefined;
      continue;
    }
    if (current) current.push(line.replace(/\s+/g, ''));
  }
  finish();
  return files;
}

/**
 * `export KEY='value'` lines for a POSIX shell: single quotes, so nothing in a
 * value is expanded. Keys a shell cannot name (compose allows `.`, `-`) are left
 * out and returned, so the caller can say so.
 */
export function formatShellExports(env: ReadonlyMap<string, string>): { text: string; skipped: string[] } {
  let text = '';
  const skipped: string[] = [];
  for (const [key, value] of env) {
    if (!SHELL_NAME.test(key) || value.includes('\0')) {
      skipped.push(key);
      continue;
    }
    text += `export ${key}=${quoteShellArg(value)}\n`;
  }
  return { text, skipped };
}

/** What is wrong in an env file, without its content (a value may be a secret). */
function describeDotenvError(error: unknown): string {
  const line = (error as { line?: number }).line;
  const at = line ? `line ${line}: ` : '';
  if (error instanceof DotenvSyntaxError) return `${at}${error.reason}`;
  if (error instanceof MissingRequiredError) return `${at}required variable ${error.variable} is not set`;
  return `${at}a \${...} expression compose cannot read`;
}

export interface HookEnvOptions {
  label: string;
  remoteDir: string;
  envFiles: readonly string[];
  /** Where the exports file goes on the host: inside the lock dir. */
  target: string;
  /** Told about keys left out and env files not on the host (never values). */
  note?: (message: string) => void;
}

/**
 * Reads and parses the env files as they are on the host now, writes their
 * values as shell exports to `target`, and returns `command` prefixed with
 * reading that file. With no env files, `command` as it is.
 */
export async function withHookEnv(
  conn: SshConnection,
  options: HookEnvOptions,
  command: string,
): Promise<string> {
  const { envFiles, label } = options;
  if (envFiles.length === 0) return command;
  const read = await conn.exec(['sh', '-c', READ_ENV_FILES_SCRIPT, 'sh', options.remoteDir, ...envFiles]);
  if (read.code !== 0) {
    throw new UserError(
      'env-files-failed',
      `${label}: could not read env-files ${envFiles.join(', ')} in ${options.remoteDir} for the hook (exit ${read.code}): ${read.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  const contents = decodeEnvFiles(read.stdout, envFiles.length);
  const missing = envFiles.filter((_, i) => contents[i] === undefined);
  if (missing.length)
    options.note?.(`env file(s) not on the host yet, so not exported to the hook: ${missing.join(', ')}`);
  // As `docker compose --env-file a --env-file b`: later files win, each file's `${VAR}`
  // sees its own earlier keys, then earlier files' (not the host's shell environment,
  // which the runner cannot see).
  const env = new Map<string, string>();
  for (const [i, bytes] of contents.entries()) {
    if (bytes === undefined) continue;
    let parsed: Map<string, string>;
    try {
      parsed = parseDotenv(bytes.toString('utf8'), { fallback: (k) => env.get(k) });
    } catch (error) {
      if (!isDotenvError(error)) throw error;
      throw new UserError(
        'env-files-invalid',
        `${label}: env file ${envFiles[i]} cannot be read as compose reads it: ${describeDotenvError(error)}. The hook did not run.`,
      );
    }
    for (const [k, v] of parsed) env.set(k, v);
  }
  const { text, skipped } = formatShellExports(env);
  if (skipped.length)
    options.note?.(`not exported to the hook (not a shell variable name): ${skipped.join(', ')}`);
  const written = await conn.exec(['sh', '-c', WRITE_PRIVATE_FILE_SCRIPT, 'sh', options.target], {
    stdin: text,
  });
  if (written.code !== 0) {
    throw new UserError(
      'env-files-failed',
      `${label}: could not write the hook environment to ${options.target} (exit ${written.code}): ${written.stderr.trim()}`,
    );
  }
  return `. ${quoteShellArg(options.target)} || exit 1\n${command}`;
}
