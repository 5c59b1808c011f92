// Bundles each action into dist/<name>/index.js with ncc, as the runner loads it.
// Usage: node scripts/build.mjs [name ...]   (default: every action under actions/, and the CLI, actions/cli)
// TypeScript is compiled first (tsc -b of that action's project, which builds the
// packages it references), then ncc bundles the compiled ESM entry.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const all = readdirSync(join(root, 'actions')).filter((n) =>
  existsSync(join(root, 'actions', n, 'tsconfig.json')),
);
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;

for (const name of names) {
  if (!all.includes(name)) throw new Error(`unknown action '${name}'; known: ${all.join(', ')}`);
  const started = Date.now();
  // The CLI carries the action.yml data (its flags and --help) as a generated module.
  if (name === 'cli') execFileSync('node', ['scripts/gen-cli-specs.mjs'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['tsc', '-b', join('actions', name)], { cwd: root, stdio: 'inherit' });
  // Built beside dist/<name> and swapped in at the end, so a test or demo running
  // meanwhile never finds the bundle half-written or missing.
  const out = join(root, 'dist', name);
  const next = join(root, 'dist', `.${name}.next`);
  rmSync(next, { recursive: true, force: true });
  execFileSync(
    'npx',
    [
      'ncc',
      'build',
      join('actions', name, 'lib', 'index.js'),
      '-o',
      next,
      '--minify',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '-q',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  // ncc writes package.json {"type":"module"} beside ESM output; keep it so node runs index.js as ESM.
  const pkg = join(next, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "type": "module" }\n');
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  const size = readFileSync(join(out, 'index.js')).length;
  console.log(`dist/${name}/index.js  ${(size / 1024).toFixed(0)} KiB  (${Date.now() - started} ms)`);
}
