// --help text, generated from the action.yml data: every input a command takes,
// with its description and default, as the action documents it.
import { shellVariable } from './args.js';
import {
  COMMANDS,
  commandInputs,
  isBooleanInput,
  SECRET_INPUTS,
  type ActionSpec,
  type CommandSpec,
} from './specs.js';

const WIDTH = 100;

function wrap(text: string, indent: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'deploy-actions: the deploy-actions GitHub actions, run from a terminal (same code, inputs and checks).',
    '',
    'Usage: deploy-actions <command> [--env NAME] [--<input> VALUE ...] [--json]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Inputs are the actions' own inputs (see `deploy-actions <command> --help`), given as",
    '  --<input> VALUE        a flag (repeat it for a list: --host a --host b)',
    '  INPUT_<INPUT>=VALUE    an environment variable, as on a runner (INPUT_REMOTE-DIR or INPUT_REMOTE_DIR)',
    '  --env NAME             deploy/NAME.yml (hosts, user, fingerprints, remote-dir, ...; never secrets)',
    'in that order of precedence, then the action.yml default. Secrets (private-key, passphrase, ...) come',
    'from INPUT_<NAME>, --<name>-file PATH or a prompt on a terminal; without a key the SSH agent is used.',
    '',
    'Options:',
    '  --env NAME         read deploy/NAME.yml',
    '  --config-dir DIR   where the environment files are (default: deploy)',
    '  --json             one JSON document on stdout (logs on stderr)',
    '  --verbose, -v      every log line (commands run on the host, their output)',
    '  --no-color         no colour (also NO_COLOR=1); colour is used only on a terminal',
    "  --help, -h         this help, or a command's",
    '',
    'Exit status: 0 on success, 1 on failure (the error-code is printed, and is `errorCode` in --json),',
    'as the actions fail a step. Docs: docs/cli.md.',
  ].join('\n');
}

export function commandHelp(command: CommandSpec, specs: Record<string, ActionSpec>): string {
  const action = specs[command.action]!;
  const inputs = commandInputs(command, specs);
  const lines = [
    `deploy-actions ${command.name}${command.usage ? ` ${command.usage}` : ''} [--env NAME] [--<input> VALUE ...] [--json]`,
    '',
    wrap(command.summary, ''),
    '',
    `Inputs (the ${command.action} action's, from ${command.action}/action.yml${command.only ? '; those this command uses' : ''}):`,
  ];
  for (const [name, spec] of inputs) {
    const secret = SECRET_INPUTS.has(name);
    const form = secret
      ? `--${name}-file PATH | ${shellVariable(name)}`
      : isBooleanInput(spec)
        ? `--${name}, --no-${name}`
        : `--${name} VALUE`;
    const notes = [
      spec.required ? 'required' : undefined,
      command.defaults?.[name] !== undefined
        ? `default from a terminal: ${command.defaults[name]}`
        : spec.default !== undefined && !secret
          ? `default: ${spec.default.includes('\n') ? spec.default.trim().split('\n').join(', ') : spec.default}`
          : undefined,
      secret ? 'secret: never a flag, never in deploy/<env>.yml' : undefined,
    ].filter(Boolean);
    lines.push(`  ${form}${notes.length ? `  (${notes.join('; ')})` : ''}`);
    lines.push(wrap(spec.description, '      '));
  }
  if (command.fixed) {
    lines.push(
      '',
      `Sets ${Object.entries(command.fixed)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}.`,
    );
  }
  const outputs = Object.entries(action.outputs);
  if (!command.only && outputs.length > 0) {
    lines.push('', 'Outputs (printed at the end; under `outputs` with --json):');
    for (const [name, description] of outputs) {
      lines.push(`  ${name}`);
      lines.push(wrap(description, '      '));
    }
  }
  lines.push(
    '',
    'Options: --env NAME, --config-dir DIR, --json, --verbose, --no-color (see deploy-actions --help).',
  );
  return lines.join('\n');
}
