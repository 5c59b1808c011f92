// The CLI: one command line → the inputs an action reads → the action's own main()
// (or, for lock and releases, the deploy package's readers) → a result for a person
// or, with --json, one JSON document on stdout.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import {
  errorMessage,
  InputError,
  InputReader,
  isUserError,
  SummaryBuilder,
  UserError,
  type ActionContext,
  type ActionDefinition,
} from '@deploy-actions/action-kit';
import type { HostReleases, LockStatus } from '@deploy-actions/deploy';
import { actionSpecs } from './action-specs.generated.js';
import {
  defaultKnownHosts,
  environmentFilePath,
  inputVariable,
  mergeInputs,
  parseArgv,
  readEnvironmentFile,
  type ParsedArgs,
} from './args.js';
import { commandHelp, mainHelp } from './help.js';
import { SECRET_INPUTS, type ActionName, type ActionSpec, type CommandSpec } from './specs.js';
import { paint, table, TerminalLogger, useColour } from './terminal.js';

export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** The actions' code, by action name (loaded lazily: each pulls in its dependencies). */
  loadAction: (name: ActionName) => Promise<ActionDefinition>;
  specs?: Record<string, ActionSpec>;
}

/** Outputs that hold JSON, also given parsed in the result. */
const JSON_OUTPUTS = ['hosts', 'plan', 'drift'] as const;

/** What --json prints. */
export interface CliResult {
  command: string;
  ok: boolean;
  exitCode: number;
  errorCode?: string;
  error?: string;
  outputs: Record<string, string>;
  /** ssh-deploy's `hosts` output, parsed (deploy, rollback, plan). */
  hosts?: unknown[];
  /** ssh-deploy's `plan` output, parsed (plan). */
  plan?: unknown[];
  /** ssh-deploy's `drift` output, parsed (check). */
  drift?: unknown[];
  /** The job summary the action wrote (Markdown), as the runner would show it. */
  summary?: string;
  releases?: Array<{ host: string; remoteDir: string } & HostReleases>;
  locks?: Array<{ host: string; released?: boolean } & LockStatus>;
}

export async function runCli(io: CliIo): Promise<number> {
  const specs = io.specs ?? actionSpecs;
  const wantsJson = io.argv.includes('--json');
  let parsed: ParsedArgs;
  try {
    parsed = parseArgv(io.argv, specs);
  } catch (error) {
    return fail(
      io,
      wantsJson,
      { command: io.argv.find((a) => !a.startsWith('-')) ?? '', outputs: {} },
      error,
      undefined,
    );
  }
  const command = parsed.command;
  if (!command) {
    io.stdout.write(`${mainHelp()}\n`);
    return parsed.global.help ? 0 : 1;
  }
  if (parsed.global.help) {
    io.stdout.write(`${commandHelp(command, specs)}\n`);
    return 0;
  }
  const colour = useColour(io.stderr, io.env, parsed.global.noColor);
  const log = new TerminalLogger({
    out: io.stderr,
    live: Boolean(io.stderr.isTTY) && !parsed.global.verbose,
    color: colour,
    verbose: parsed.global.verbose,
  });
  const result: CliResult = { command: command.name, ok: false, exitCode: 1, outputs: {} };
  try {
    if (command.needsInput && !specs[command.action]?.inputs[command.needsInput]) {
      throw new UserError(
        'unsupported',
        `\`${command.name}\` needs ${command.action}'s \`${command.needsInput}\` input, which this build's ${command.action}/action.yml does not have. Nothing was run.`,
      );
    }
    const extra = commandArguments(command, parsed);
    const filePath = environmentFilePath(parsed.global, io.cwd);
    const file = filePath ? readEnvironmentFile(filePath, specs) : undefined;
    const merged = mergeInputs({
      parsed,
      command,
      specs,
      env: io.env,
      ...(file ? { file } : {}),
      knownHostsDefault: defaultKnownHosts(),
      extra,
    });
    if (parsed.global.verbose)
      log.debug(`inputs from: ${[...merged.sources].map(([n, s]) => `${n}=${s}`).join(', ')}`);
    let values = merged.env;
    for (let attempt = 0; ; attempt++) {
      try {
        // Loaded only for these commands: SSH and the deploy package stay out of --help's start-up.
        if (command.name === 'lock' || command.name === 'releases')
          await (await import('./host-commands.js')).hostCommand(command, parsed, values, log, result);
        else await runActionMain(io, command, values, log, result);
        break;
      } catch (error) {
        // Inputs are checked before anything runs: a missing secret can be asked for and the run started again.
        const asked = attempt === 0 ? await promptForSecrets(io, error, log) : undefined;
        if (!asked) throw error;
        values = { ...values, ...asked };
        result.outputs = {};
      }
    }
    result.ok = true;
    result.exitCode = 0;
  } catch (error) {
    log.finish();
    return fail(io, parsed.global.json, result, error, log, colour);
  }
  log.finish();
  report(io, parsed.global.json, result, log, colour);
  return 0;
}

/** rollback [id]; lock status|release; no positional arguments elsewhere. */
function commandArguments(command: CommandSpec, parsed: ParsedArgs): Record<string, string> {
  const words = parsed.positionals;
  if (command.name === 'rollback') {
    if (words.length > 1)
      throw new InputError([{ input: 'rollback', message: 'takes at most one release id.' }]);
    if (parsed.flags.has('rollback') && words.length > 0)
      throw new InputError([
        { input: 'rollback', message: 'give the release id once (as the argument or --rollback).' },
      ]);
    return parsed.flags.has('rollback') ? {} : { rollback: words[0] ?? 'previous' };
  }
  if (command.name === 'lock') {
    if (words.length !== 1 || (words[0] !== 'status' && words[0] !== 'release'))
      throw new InputError([{ input: 'lock', message: 'use `lock status` or `lock release`.' }]);
    return {};
  }
  if (words.length > 0)
    throw new InputError([
      {
        input: words[0]!,
        message: `is not an argument of \`${command.name}\`; inputs are flags (--name value).`,
      },
    ]);
  return {};
}

/** The environment the actions see: this machine's, with who and what deploys recorded as on a runner. */
function actionEnv(io: CliIo): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...io.env };
  // The runner's file commands must not be written from a terminal (a stale GITHUB_OUTPUT would get our outputs).
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH'])
    delete env[name];
  env['GITHUB_WORKSPACE'] ??= io.cwd;
  if (!env['GITHUB_ACTOR']) {
    let user = 'unknown';
    try {
      user = userInfo().username;
    } catch {
      // no passwd entry: keep 'unknown'
    }
    env['GITHUB_ACTOR'] = `${user}@${hostname()} (cli)`;
  }
  if (!env['GITHUB_SHA']) {
    try {
      env['GITHUB_SHA'] = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: io.cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      // not a git checkout: the release id says `local`
    }
  }
  env['GITHUB_RUN_ID'] ??= `cli-${process.pid}`;
  return env;
}

async function runActionMain(
  io: CliIo,
  command: CommandSpec,
  inputEnv: Record<string, string>,
  log: TerminalLogger,
  result: CliResult,
): Promise<void> {
  const action = await io.loadAction(command.action);
  const state = new Map<string, string>();
  const env = actionEnv(io);
  const summary = new SummaryBuilder();
  const cancel = new AbortController();
  const context = (values: Record<string, string>): ActionContext => ({
    cancelled: cancel.signal,
    inputs: new InputReader({ env: values, mask: (s) => log.mask(s) }),
    log,
    summary,
    setOutput: (name, value) => {
      result.outputs[name] = log.redact(String(value));
    },
    saveState: (name, value) => void state.set(name, value),
    getState: (name) => state.get(name) ?? '',
    exportVariable: (name, value) => {
      result.outputs[`env:${name}`] = log.redact(value);
    },
    env,
  });
  // Ctrl-C during a deploy: an action that finishes a cancel itself (ssh-deploy records the release
  // it was checking as unknown and releases its lock) is asked to stop, as the runner's SIGINT does;
  // a second Ctrl-C, or an action that can't, gets what a cancelled job's post step does: the host
  // locks this run holds are released, and the process exits 130.
  const onInterrupt = (): void => {
    if (action.cancellable && !cancel.signal.aborted) {
      log.warning(
        'interrupted: stopping and recording where it stopped (Ctrl-C again to release the locks and quit now)',
      );
      cancel.abort('SIGINT');
      process.once('SIGINT', onInterrupt);
      return;
    }
    log.warning('interrupted: releasing the host locks this run holds');
    const done =
      command.action === 'ssh-deploy' && action.post ? action.post(context(inputEnv)) : Promise.resolve();
    void done.finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  try {
    await action.main(context(inputEnv));
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    for (const name of JSON_OUTPUTS) {
      const text = result.outputs[name];
      if (!text) continue;
      try {
        result[name] = JSON.parse(text) as unknown[];
      } catch {
        // left as the text output
      }
    }
    const markdown = summary.toMarkdown();
    if (markdown !== '') result.summary = log.redact(markdown);
  }
}

/** On a terminal, asks for the secret inputs an InputError says are missing; undefined when it cannot. */
async function promptForSecrets(
  io: CliIo,
  error: unknown,
  log: TerminalLogger,
): Promise<Record<string, string> | undefined> {
  if (!(error instanceof InputError) || !io.stdin.isTTY || !io.stderr.isTTY || !io.stdin.setRawMode)
    return undefined;
  const wanted = [...new Set(error.problems.map((p) => p.input))];
  if (
    !wanted.every((n) => SECRET_INPUTS.has(n)) ||
    !error.problems.every((p) => /required|needed/.test(p.message))
  )
    return undefined;
  const values: Record<string, string> = {};
  for (const name of wanted) {
    // A key is many lines: asked for as the path of its file; a passphrase or password is typed.
    const isKey = name.endsWith('private-key');
    const answer = await readHidden(io, isKey ? `${name} (path of the key file): ` : `${name}: `, isKey);
    if (answer === '') return undefined;
    let value = answer;
    if (isKey) {
      try {
        value = readFileSync(answer.replace(/^~(?=\/)/, homedir()), 'utf8');
      } catch (readError) {
        log.error(`${name}: cannot read ${answer} (${(readError as NodeJS.ErrnoException).code ?? 'error'})`);
        return undefined;
      }
    }
    log.mask(value);
    values[inputVariable(name)] = value;
  }
  return values;
}

/** Reads a line from the terminal without echoing it. */
function readHidden(io: CliIo, prompt: string, echo = false): Promise<string> {
  return new Promise((resolve) => {
    // No echo before the prompt shows: what is typed once it is up must never reach the screen.
    io.stdin.setRawMode!(true);
    io.stderr.write(prompt);
    io.stdin.resume();
    let value = '';
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') {
          value = '';
          return done();
        }
        if (ch === '\u007f' || ch === '\b') {
          if (echo && value !== '') io.stderr.write('\b \b');
          value = value.slice(0, -1);
        } else {
          value += ch;
          if (echo) io.stderr.write(ch);
        }
      }
    };
    const done = (): void => {
      io.stdin.removeListener('data', onData);
      io.stdin.setRawMode!(false);
      io.stdin.pause();
      io.stderr.write('\n');
      resolve(value);
    };
    io.stdin.on('data', onData);
  });
}

function hostRows(hosts: unknown[]): string[][] {
  return hosts.map((h) => {
    const r = h as Record<string, unknown>;
    const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
    const ms = typeof r['durationMs'] === 'number' ? `${(r['durationMs'] / 1000).toFixed(1)}s` : '';
    return [
      text(r['host']),
      text(r['status']),
      text(r['release']),
      text(r['previousRelease']),
      text(r['running']),
      ms,
      text(r['errorCode']),
    ];
  });
}

function report(
  io: CliIo,
  json: boolean,
  result: CliResult,
  log: TerminalLogger | undefined,
  colour = false,
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  // plan and check: the action's own report (what changes, what drifted) is the result.
  if ((result.command === 'plan' || result.command === 'check') && result.summary)
    out.push(result.summary.trim(), '');
  if (result.hosts) {
    out.push(
      table(
        ['host', 'status', 'release', 'previous', 'running now', 'took', 'error-code'],
        hostRows(result.hosts),
      ),
    );
    // dry-run: the steps the deploy would run.
    const steps = result.hosts
      .map((h) => (h as { plan?: unknown }).plan)
      .find((p): p is string[] => Array.isArray(p) && p.every((x) => typeof x === 'string'));
    if (steps) out.push('', 'Plan:', ...steps.map((s) => `  - ${s}`));
  } else if (result.releases) {
    for (const r of result.releases) {
      out.push(`${r.host}  ${r.remoteDir}  (current: ${r.current ?? 'none'})`);
      out.push(
        table(
          ['', 'release', 'when', 'by', 'status', 'images'],
          [...r.releases].reverse().map((rel) => [
            rel.current ? '*' : '',
            rel.id,
            rel.createdAt ?? '',
            rel.actor ?? '',
            // A release's status file keeps `active` after a newer one took over.
            !rel.current && rel.status?.startsWith('active') ? 'superseded' : (rel.status ?? ''),
            rel.images
              .map((i) => i.split(' ')[0]!.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '@sha256:$1…'))
              .join(', '),
          ]),
        ),
        '',
      );
    }
  } else if (result.locks) {
    out.push(
      table(
        ['host', 'lock', 'held by'],
        result.locks.map((l) => [
          l.host,
          l.released ? 'released' : l.held ? (l.stale ? 'held (stale)' : 'held') : 'free',
          l.holder ?? '',
        ]),
      ),
    );
  }
  const outputs = Object.entries(result.outputs).filter(
    ([k]) => !(JSON_OUTPUTS as readonly string[]).includes(k) && k !== 'error-code',
  );
  if (!result.hosts && outputs.length > 0) out.push(...outputs.map(([k, v]) => `${k}: ${v}`));
  else if (result.hosts && outputs.length > 0)
    out.push('', ...outputs.filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`));
  if (result.ok) out.push(paint(colour, 'green', `${result.command}: ok`));
  if (out.length > 0) io.stdout.write(`${log ? log.redact(out.join('\n')) : out.join('\n')}\n`);
}

function fail(
  io: CliIo,
  json: boolean,
  partial: Partial<CliResult> & { command: string; outputs: Record<string, string> },
  error: unknown,
  log: TerminalLogger | undefined,
  colour = false,
): number {
  const redact = (t: string): string => (log ? log.redact(t) : t);
  const code = isUserError(error) ? error.code : 'internal';
  const message = isUserError(error)
    ? error.message
    : `internal error: ${errorMessage(error)}. This is a bug in deploy-actions; please report it with this output.`;
  const result: CliResult = {
    ...partial,
    ok: false,
    // Interrupted (Ctrl-C) and the action stopped and recorded where: the shell's 128 + SIGINT.
    exitCode: code === 'cancelled' ? 130 : 1,
    errorCode: code,
    error: redact(message),
    outputs: { ...partial.outputs, 'error-code': code },
  };
  if (!isUserError(error) && error instanceof Error && error.stack)
    io.stderr.write(`${redact(error.stack)}\n`);
  if (json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    report(io, false, result, log, colour);
    io.stderr.write(
      `${paint(colour, 'red', `${partial.command || 'deploy-actions'} failed`)} (error-code: ${code})\n${redact(message)}\n`,
    );
  }
  return result.exitCode;
}
