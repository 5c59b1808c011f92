import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionSpecs } from '../src/action-specs.generated.js';
import { commandHelp, mainHelp } from '../src/help.js';
import { COMMANDS, findCommand, SECRET_INPUTS } from '../src/specs.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const actionYml = (name: string) =>
  parse(readFileSync(join(root, name, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: unknown }>;
  };

describe('--help', () => {
  it('is generated from action.yml data that is up to date', () => {
    expect(() =>
      execFileSync('node', [join(root, 'scripts', 'gen-cli-specs.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it("lists every one of ssh-deploy's inputs for deploy, with its description", () => {
    const help = commandHelp(findCommand('deploy')!, actionSpecs).replace(/\s+/g, ' ');
    for (const [name, spec] of Object.entries(actionYml('ssh-deploy').inputs)) {
      expect(help).toContain(SECRET_INPUTS.has(name) ? `--${name}-file PATH` : `--${name}`);
      expect(help).toContain(spec.description.replace(/\s+/g, ' ').trim());
    }
  });

  it('shows action.yml defaults', () => {
    const help = commandHelp(findCommand('deploy')!, actionSpecs);
    expect(help).toContain('--keep-releases VALUE  (default: 5)');
    expect(help).toContain('--remote-dir VALUE  (required)');
    expect(help).toContain('--pull, --no-pull  (default: true)');
  });

  it('covers every input of each action its command runs', () => {
    for (const command of COMMANDS.filter((c) => !c.only && !c.fixed)) {
      const help = commandHelp(command, actionSpecs);
      for (const name of Object.keys(actionYml(command.action).inputs)) expect(help).toContain(`--${name}`);
    }
  });

  it('offers lock and releases only the connection inputs and remote-dir', () => {
    const help = commandHelp(findCommand('releases')!, actionSpecs);
    expect(help).toContain('--remote-dir VALUE');
    expect(help).toContain('--host-fingerprint VALUE');
    expect(help).not.toContain('--health-url');
  });

  it('names every command in the main help', () => {
    const help = mainHelp();
    for (const command of COMMANDS) expect(help).toContain(`  ${command.name} `);
  });
});

describe('secret inputs', () => {
  it('are exactly the inputs the actions read as secrets', () => {
    // What readers mask: inputs.secret('x') and json/mapping reads with secret: true.
    const sources = [
      'packages/ssh/src/inputs.ts',
      'actions/render-env/src/settings.ts',
      'actions/verify-signature/src/settings.ts',
      'actions/wait-ready/src/settings.ts',
      'actions/secret-scan-gate/src/settings.ts',
      'actions/ssh-deploy/src/settings.ts',
    ]
      .map((p) => readFileSync(join(root, p), 'utf8'))
      .join('\n');
    const read = new Set([
      ...[...sources.matchAll(/inputs\.secret\('([^']+)'/g)].map((m) => m[1]!),
      ...[...sources.matchAll(/inputs\.(?:json|mapping)\('([^']+)', \{ secret: true/g)].map((m) => m[1]!),
    ]);
    expect([...SECRET_INPUTS].sort()).toEqual([...read].sort());
  });
});
