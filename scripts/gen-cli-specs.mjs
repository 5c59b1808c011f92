// Writes actions/cli/src/action-specs.generated.ts: the inputs and outputs of every action.yml
// (names, defaults, descriptions), so the CLI bundle knows them without the yml files
// (its --help and its flags come from here). `--check` fails when the file is stale.
// Usage: node scripts/gen-cli-specs.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const ACTIONS = ['ssh-deploy', 'render-env', 'wait-ready', 'verify-signature', 'secret-scan-gate'];
const target = join(root, 'actions', 'cli', 'src', 'action-specs.generated.ts');

export function buildSpecs() {
  const specs = {};
  for (const name of ACTIONS) {
    const doc = parse(readFileSync(join(root, name, 'action.yml'), 'utf8'));
    const inputs = {};
    for (const [input, spec] of Object.entries(doc.inputs ?? {})) {
      inputs[input] = {
        description: String(spec?.description ?? ''),
        required: spec?.required === true,
        ...(spec?.default !== undefined && spec?.default !== null ? { default: String(spec.default) } : {}),
      };
    }
    const outputs = {};
    for (const [output, spec] of Object.entries(doc.outputs ?? {}))
      outputs[output] = String(spec?.description ?? '');
    specs[name] = { description: String(doc.description ?? ''), inputs, outputs };
  }
  return (
    '// Generated from the action.yml files by scripts/gen-cli-specs.mjs (npm run build -- cli); do not edit.\n' +
    "import type { ActionSpec } from './specs.js';\n\n" +
    `export const actionSpecs: Record<string, ActionSpec> = ${JSON.stringify(specs, null, 2)};\n`
  );
}

const text = buildSpecs();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${target} is stale: run node scripts/gen-cli-specs.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
