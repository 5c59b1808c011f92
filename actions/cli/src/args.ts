// The command line, flags and the places inputs come from, merged into the one
// set of INPUT_* values the actions' own InputReader reads. Precedence: a flag,
// then INPUT_<NAME> in the environment, then deploy/<env>.yml, then action.yml's default.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { InputError, type InputProblem } from '@deploy-actions/action-kit';
import { parse as parseYaml } from 'yaml';
import {
  commandInputs,
  findCommand,
  isBooleanInput,
  SECRET_INPUTS,
  type ActionSpec,
  type CommandSpec,
  type InputSpec,
} from './specs.js';

export interface GlobalOptions {
  /** --env NAME: read deploy/NAME.yml. */
  env?: string;
  /** Where the per-environment files are (default ./deploy). */
  configDir?: string;
  json: boolean;
  help: boolean;
  verbose: boolean;
  force: boolean;
  noColor: boolean;
}

export interface ParsedArgs {
  command?: CommandSpec;
  /** The word given as command, also when it is not one. */
  commandWord?: string;
  positionals: string[];
  /** Input flags by input name, each occurrence's value. */
  flags: Map<string, string[]>;
  /** `--<secret>-file PATH` by input name. */
  secretFiles: Map<string, string>;
  global: GlobalOptions;
}

const BOOLEAN_GLOBALS: Record<string, keyof GlobalOptions> = {
  json: 'json',
  help: 'help',
  h: 'help',
  verbose: 'verbose',
  v: 'verbose',
  force: 'force',
  'no-color': 'noColor',
};

/** The INPUT_* variable the runner sets for an input (hyphens kept, as InputReader reads it). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The same variable as a shell can export it (hyphens as underscores); the CLI reads both. */
export function shellVariable(name: string): string {
  return inputVariable(name).replace(/-/g, '_');
}

/**
 * Splits argv into the command, its input flags and the CLI's own flags. Problems (an unknown
 * flag, a secret given on the command line, a missing value) are collected and thrown as one
 * InputError, as the actions report bad inputs.
 */
export function parseArgv(argv: readonly string[], specs: Record<string, ActionSpec>): ParsedArgs {
  const problems: InputProblem[] = [];
  const global: GlobalOptions = { json: false, help: false, verbose: false, force: false, noColor: false };
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const secretFiles = new Map<string, string>();
  // The command comes first among the words; its inputs decide what the flags mean.
  const commandWord = argv.find((a, i) => !a.startsWith('-') && !takesValue(argv[i - 1]));
  const command = commandWord ? findCommand(commandWord) : undefined;
  const inputs = new Map<string, InputSpec>(command ? commandInputs(command, specs) : []);

  let commandSeen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!commandSeen && arg === commandWord) commandSeen = true;
      else positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    const next = (): string | undefined => {
      if (inline !== undefined) return inline;
      const value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        problems.push({ input: `--${name}`, message: 'needs a value.' });
        return undefined;
      }
      i++;
      return value;
    };
    if (name in BOOLEAN_GLOBALS) {
      global[BOOLEAN_GLOBALS[name] as 'json'] =
        inline === undefined ? true : /^(true|yes|on|1)$/i.test(inline);
      continue;
    }
    if (name === 'env' || name === 'config-dir') {
      const value = next();
      if (name === 'env' && value !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value))
        problems.push({
          input: '--env',
          message: `'${value}' is not an environment name (deploy/<name>.yml).`,
        });
      if (value !== undefined) global[name === 'env' ? 'env' : 'configDir'] = value;
      continue;
    }
    const secretFile = /^(.*)-file$/.exec(name)?.[1];
    if (secretFile !== undefined && SECRET_INPUTS.has(secretFile) && inputs.has(secretFile)) {
      const value = next();
      if (value !== undefined) secretFiles.set(secretFile, value);
      continue;
    }
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    const spec = inputs.get(name) ?? (negated !== undefined ? inputs.get(negated) : undefined);
    const input = inputs.has(name) ? name : negated;
    if (!spec || input === undefined) {
      problems.push({
        input: `--${name}`,
        message: command
          ? `is not an input of \`${command.name}\` (see deploy-actions ${command.name} --help).`
          : 'is not a flag of deploy-actions (see deploy-actions --help).',
      });
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    if (SECRET_INPUTS.has(input)) {
      if (inline === undefined && argv[i + 1] !== undefined) i++;
      problems.push({
        input,
        message: `is a secret and is not taken from the command line (it would show in the process list and shell history). Use --${input}-file PATH, set ${shellVariable(input)}, or leave it out to be asked on a terminal.`,
      });
      continue;
    }
    if (isBooleanInput(spec)) {
      const value = negated !== undefined && input === negated ? 'false' : (inline ?? 'true');
      flags.set(input, [value]);
      continue;
    }
    const value = next();
    if (value !== undefined) flags.set(input, [...(flags.get(input) ?? []), value]);
  }
  if (commandWord && !command && !global.help)
    problems.push({
      input: commandWord,
      message: 'is not a deploy-actions command (see deploy-actions --help).',
    });
  if (problems.length > 0) throw new InputError(problems);
  return {
    ...(command ? { command } : {}),
    ...(commandWord ? { commandWord } : {}),
    positionals,
    flags,
    secretFiles,
    global,
  };

  function takesValue(previous: string | undefined): boolean {
    if (!previous?.startsWith('-') || previous.includes('=')) return false;
    const flag = previous.replace(/^--?/, '');
    if (flag === 'env' || flag === 'config-dir') return true;
    if (flag in BOOLEAN_GLOBALS) return false;
    // Before the command is known, any input flag of any action that is not a boolean takes a value.
    for (const action of Object.values(specs)) {
      const spec = action.inputs[flag] ?? action.inputs[flag.replace(/-file$/, '')];
      if (spec && !isBooleanInput(spec)) return true;
    }
    return false;
  }
}

/** deploy/<env>.yml: input names as keys; lists become one item a line. */
export function readEnvironmentFile(path: string, specs: Record<string, ActionSpec>): Map<string, string> {
  if (!existsSync(path)) {
    throw new InputError([{ input: '--env', message: `${path} does not exist.` }]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError([
      { input: '--env', message: `${path} is not valid YAML: ${(error as Error).message}` },
    ]);
  }
  if (doc === null || doc === undefined) return new Map();
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError([
      { input: '--env', message: `${path} must be a mapping of input names to values.` },
    ]);
  }
  const known = new Set(Object.values(specs).flatMap((a) => Object.keys(a.inputs)));
  const values = new Map<string, string>();
  const problems: InputProblem[] = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (SECRET_INPUTS.has(key)) {
      problems.push({
        input: key,
        message: `is a secret and must not be in ${path} (the file is in the repository). Remove it; set ${shellVariable(key)}, pass --${key}-file PATH, or let the terminal ask for it.`,
      });
      continue;
    }
    if (!known.has(key)) {
      problems.push({
        input: key,
        message: `in ${path} is not an input of any action (see deploy-actions --help).`,
      });
      continue;
    }
    const text = scalarText(value);
    if (text === undefined) {
      problems.push({
        input: key,
        message: `in ${path} must be a string, number, boolean or a list of them.`,
      });
      continue;
    }
    values.set(key, text);
  }
  if (problems.length > 0) throw new InputError(problems);
  return values;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value === null) return '';
  if (Array.isArray(value)) {
    const items = value.map(scalarText);
    if (items.some((v) => v === undefined || /[\r\n]/.test(v))) return undefined;
    return items.join('\n');
  }
  return undefined;
}

export type InputSource = 'flag' | 'env' | 'file' | 'secret-file' | 'default' | 'command';

export interface MergedInputs {
  /** INPUT_* variables, as the runner would set them, for InputReader({ env }). */
  env: Record<string, string>;
  /** Where each input's value came from (for --verbose and tests). */
  sources: Map<string, InputSource>;
}

export interface MergeOptions {
  parsed: ParsedArgs;
  command: CommandSpec;
  specs: Record<string, ActionSpec>;
  /** The process environment (INPUT_* and, for defaults, GITHUB_TOKEN). */
  env: NodeJS.ProcessEnv;
  /** Values from deploy/<env>.yml. */
  file?: Map<string, string>;
  /** Where `--known-hosts` defaults to (the user's ~/.ssh/known_hosts). */
  knownHostsDefault?: string;
  /** Inputs the command sets from its arguments (rollback's release id). */
  extra?: Record<string, string>;
}

/** Merges flags, INPUT_* variables, the environment file and action.yml defaults. */
export function mergeInputs(o: MergeOptions): MergedInputs {
  const env: Record<string, string> = {};
  const sources = new Map<string, InputSource>();
  const problems: InputProblem[] = [];
  const set = (name: string, value: string, source: InputSource): void => {
    env[inputVariable(name)] = value;
    sources.set(name, source);
  };
  for (const [name, spec] of commandInputs(o.command, o.specs)) {
    const flag = o.parsed.flags.get(name);
    const secretFile = o.parsed.secretFiles.get(name);
    // INPUT_REMOTE-DIR as the runner sets it, or INPUT_REMOTE_DIR, which a shell can export.
    const fromEnv = o.env[inputVariable(name)] ?? o.env[inputVariable(name).replace(/-/g, '_')];
    if (flag !== undefined) set(name, flag.join('\n'), 'flag');
    else if (secretFile !== undefined) {
      try {
        set(name, readFileSync(resolve(secretFile.replace(/^~(?=\/)/, homedir())), 'utf8'), 'secret-file');
      } catch (error) {
        problems.push({
          input: name,
          message: `--${name}-file ${secretFile} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        });
      }
    } else if (fromEnv !== undefined && fromEnv !== '') set(name, fromEnv, 'env');
    else if (o.file?.has(name)) set(name, o.file.get(name)!, 'file');
    else if (o.command.defaults?.[name] !== undefined) set(name, o.command.defaults[name], 'default');
    else if (spec.default !== undefined) {
      // `${{ github.token }}` is the runner's token; from a terminal, GITHUB_TOKEN when set.
      const value = spec.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, o.env['GITHUB_TOKEN'] ?? '');
      if (!/\$\{\{/.test(value)) set(name, value, 'default');
    }
  }
  for (const [name, value] of Object.entries({ ...o.extra, ...o.command.fixed })) set(name, value, 'command');
  if (problems.length > 0) throw new InputError(problems);

  // Host keys: the same verification as the actions; from a terminal, the user's own
  // known_hosts is what is expected when nothing else is.
  const has = (name: string): boolean => (env[inputVariable(name)] ?? '').trim() !== '';
  const takesKnownHosts = commandInputs(o.command, o.specs).some(([n]) => n === 'known-hosts');
  if (
    takesKnownHosts &&
    o.knownHostsDefault &&
    has('host') &&
    !has('known-hosts') &&
    !has('host-fingerprint') &&
    env[inputVariable('transport')] !== 'local' &&
    !/^(true|yes|on|1)$/i.test(env[inputVariable('insecure-ignore-host-key')] ?? '') &&
    existsSync(o.knownHostsDefault)
  ) {
    set('known-hosts', o.knownHostsDefault, 'default');
  }
  return { env, sources };
}

export function defaultKnownHosts(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

export function environmentFilePath(global: GlobalOptions, cwd: string): string | undefined {
  if (!global.env) return undefined;
  // Joined as text: ncc's asset relocator rewrites path.resolve() of literal parts into bundle paths.
  const dir = global.configDir ?? 'deploy';
  return normalize(`${isAbsolute(dir) ? dir : `${cwd}/${dir}`}/${global.env}.yml`);
}
