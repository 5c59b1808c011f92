// Fills the inputs/outputs tables of docs/actions/<name>.md (between the
// `<!-- generated:inputs -->` and `<!-- /generated:inputs -->` markers) from
// each <name>/action.yml, so the reference can never drift from the contract.
// A doc without the markers gets the tables appended with the markers.
// Usage: node scripts/gen-docs.mjs [--check] [name ...]   (--check: fail when a doc is stale;
// names: only those actions' docs)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const START = '<!-- generated:inputs -->';
const END = '<!-- /generated:inputs -->';

const cell = (text) =>
  String(text ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');

export function renderTables(action) {
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const lines = ['## Inputs', '', '| name | required | default | description |', '| --- | --- | --- | --- |'];
  for (const [name, spec] of inputs) {
    const def = spec.default === undefined ? '' : `\`${cell(spec.default)}\``;
    lines.push(`| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${def} | ${cell(spec.description)} |`);
  }
  lines.push('', '## Outputs', '', '| name | description |', '| --- | --- |');
  for (const [name, spec] of outputs) lines.push(`| \`${name}\` | ${cell(spec.description)} |`);
  return lines.join('\n');
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const actions = readdirSync(root)
  .filter((d) => existsSync(join(root, d, 'action.yml')))
  .filter((d) => only.length === 0 || only.includes(d));
const stale = [];
for (const name of actions) {
  const action = parse(readFileSync(join(root, name, 'action.yml'), 'utf8'));
  const docPath = join(root, 'docs', 'actions', `${name}.md`);
  const current = existsSync(docPath)
    ? readFileSync(docPath, 'utf8')
    : `# ${name}\n\n${action.description}\n\n`;
  const block = `${START}\n${renderTables(action)}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  if (next !== current) {
    stale.push(`docs/actions/${name}.md`);
    if (!check) writeFileSync(docPath, next);
  }
}
if (check && stale.length > 0) {
  console.error(`::error::Generated docs are stale: ${stale.join(', ')}. Run 'npm run docs' and commit.`);
  process.exit(1);
}
console.log(
  check
    ? 'docs/actions are up to date.'
    : `docs/actions: ${stale.length ? `updated ${stale.join(', ')}` : 'up to date'}.`,
);
