// Characters no POSIX shell treats specially; such words are sent bare so logs stay readable.
const SAFE_WORD = /^[A-Za-z0-9_/.,:@%+=-]+$/;

/**
 * Quotes one argument for a POSIX shell (sh, bash, dash, zsh): single quotes
 * disable every expansion, and an embedded quote becomes `'\''`.
 * A NUL byte cannot be passed through any shell, so it is refused.
 */
export function quoteShellArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte.');
  if (arg === '') return "''";
  if (SAFE_WORD.test(arg) && !arg.startsWith('=')) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv into one command line whose words reach the program unchanged. */
export function quoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least a program name.');
  return argv.map(quoteShellArg).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Builds the script sent to the remote shell: change to `cwd`, export `env`,
 * then run the command. argv is quoted word by word; a string is a user's own
 * shell (a hook) and is run as written.
 */
export function buildRemoteScript(
  command: readonly string[] | string,
  options: { cwd?: string; env?: Record<string, string> } = {},
): string {
  const parts: string[] = [];
  if (options.cwd !== undefined) parts.push(`cd ${quoteShellArg(options.cwd)} || exit 1`);
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new Error(`'${name}' is not a valid environment variable name.`);
    parts.push(`export ${name}=${quoteShellArg(value)}`);
  }
  parts.push(typeof command === 'string' ? command : quoteCommand(command));
  return parts.join('\n');
}
