// The commands of the CLI and the action each one runs. Names, defaults and
// descriptions of inputs come from the action.yml files (action-specs.generated.ts).

export interface InputSpec {
  description: string;
  required: boolean;
  default?: string;
}

export interface ActionSpec {
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, string>;
}

export type ActionName = 'ssh-deploy' | 'render-env' | 'wait-ready' | 'verify-signature' | 'secret-scan-gate';

export interface CommandSpec {
  name: string;
  /** The action whose inputs the command takes (and, for `runs`, whose code it runs). */
  action: ActionName;
  summary: string;
  /** Inputs the command sets itself (e.g. plan: mode=plan); not flags. */
  fixed?: Record<string, string>;
  /** Defaults that differ from action.yml's when run from a terminal (render-env keeps its file). */
  defaults?: Record<string, string>;
  /** Only these of the action's inputs (lock, releases); all when absent. */
  only?: readonly string[];
  /** What the positional arguments mean, for --help. */
  usage?: string;
  /** The input the command needs the action to have (plan, check need ssh-deploy's `mode`). */
  needsInput?: string;
}

/** The inputs `lock` and `releases` read: how to reach the hosts, and remote-dir. */
export const CONNECTION_INPUTS = [
  'host',
  'port',
  'username',
  'private-key',
  'passphrase',
  'host-fingerprint',
  'known-hosts',
  'insecure-ignore-host-key',
  'proxy-host',
  'proxy-port',
  'proxy-username',
  'proxy-private-key',
  'proxy-passphrase',
  'proxy-host-fingerprint',
  'connect-timeout',
  'transport',
  'remote-dir',
] as const;

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'deploy',
    action: 'ssh-deploy',
    summary: 'Ship the bundle in source-dir and roll it out (ssh-deploy).',
  },
  {
    name: 'rollback',
    action: 'ssh-deploy',
    summary:
      "Re-activate the previous release (or the release id given) on every host: its recorded images and files, the health gate (ssh-deploy's rollback).",
    usage: '[release-id]',
  },
  {
    name: 'plan',
    action: 'ssh-deploy',
    summary: 'Show what a deploy would change on each host; change nothing (ssh-deploy mode: plan).',
    fixed: { mode: 'plan' },
    needsInput: 'mode',
  },
  {
    name: 'check',
    action: 'ssh-deploy',
    summary: 'Check that each host is ready for a deploy; change nothing (ssh-deploy mode: check).',
    fixed: { mode: 'check' },
    needsInput: 'mode',
  },
  {
    name: 'render-env',
    action: 'render-env',
    summary:
      'Render and check an env file (render-env). From a terminal the file is kept (keep: true) unless --no-keep.',
    defaults: { keep: 'true' },
  },
  { name: 'wait-ready', action: 'wait-ready', summary: 'Wait until a URL answers as expected (wait-ready).' },
  {
    name: 'verify-signature',
    action: 'verify-signature',
    summary: "Verify an image's signature and attestations (verify-signature).",
  },
  { name: 'scan', action: 'secret-scan-gate', summary: 'Scan for committed secrets (secret-scan-gate).' },
  {
    name: 'lock',
    action: 'ssh-deploy',
    summary:
      'lock status: who holds the host lock under remote-dir. lock release: remove it (only a stale one, or any with --force).',
    only: CONNECTION_INPUTS,
    usage: 'status|release [--force]',
  },
  {
    name: 'releases',
    action: 'ssh-deploy',
    summary: "List each host's releases under remote-dir/.releases: id, when, by whom, images, status.",
    only: CONNECTION_INPUTS,
  },
];

/**
 * Inputs the actions read as secrets (InputReader.secret / secret: true). Never taken from a
 * flag (it would show in the process list) nor from deploy/<env>.yml (it is in the repository):
 * from INPUT_<NAME>, a --<name>-file, or a prompt on a terminal.
 */
export const SECRET_INPUTS: ReadonlySet<string> = new Set([
  'private-key',
  'passphrase',
  'proxy-private-key',
  'proxy-passphrase',
  'registry-password',
  'github-token',
  'secrets',
]);

/** Flags of the CLI itself, not inputs. */
export const GLOBAL_FLAGS = ['env', 'config-dir', 'json', 'help', 'verbose', 'force', 'no-color'] as const;

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The inputs a command takes as flags, with their action.yml specs. */
export function commandInputs(
  command: CommandSpec,
  specs: Record<string, ActionSpec>,
): Array<[string, InputSpec]> {
  const action = specs[command.action];
  if (!action) throw new Error(`no action.yml data for ${command.action}`);
  return Object.entries(action.inputs).filter(
    ([name]) => !(command.fixed && name in command.fixed) && (!command.only || command.only.includes(name)),
  );
}

export function isBooleanInput(spec: InputSpec): boolean {
  return spec.default === 'true' || spec.default === 'false';
}
