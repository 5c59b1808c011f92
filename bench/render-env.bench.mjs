// render-env: how exactly and how fast env files are read, against what people use
// instead: the `dotenv` + `dotenv-expand` npm packages (what a Node script would do) and,
// for the whole step, `docker-compose config` when a docker-compose binary is installed.
// Needs the compiled package and bundle: npx tsc -b packages/compose-env && npm run build -- render-env
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNode, prepareStep, repoRoot as root } from '../test/harness/runner.mjs';
import { median, ms, printTable } from './stats.mjs';

const lib = join(root, 'packages', 'compose-env', 'lib', 'index.js');
const bundle = join(root, 'dist', 'render-env', 'index.js');
if (!existsSync(lib) || !existsSync(bundle)) {
  console.log(
    'render-env bench: build first (npx tsc -b packages/compose-env && npm run build -- render-env)',
  );
  process.exit(1);
}
const { parseDotenv, interpolate } = await import(lib);
const require = createRequire(join(root, 'packages', 'compose-env', 'package.json'));
const dotenv = require('dotenv');
const { expand } = require('dotenv-expand');

/** dotenv + dotenv-expand, as a Node script would read a compose .env, with no process env leaking in. */
function parseWithDotenv(text, env = {}) {
  return expand({ parsed: dotenv.parse(text), processEnv: { ...env } }).parsed;
}

// 1. Exactness on compose-go's own cases (when ../shared/conformance is there).
const conformance = join(root, '..', 'shared', 'conformance');
if (existsSync(conformance)) {
  const dotenvCases = JSON.parse(readFileSync(join(conformance, 'dotenv-cases.json'), 'utf8')).filter(
    (c) => (c.api === 'Parse' || c.api === 'ParseWithLookup') && c.expected && c.compare === 'exact',
  );
  const interpCases = JSON.parse(readFileSync(join(conformance, 'compose-interp-cases.json'), 'utf8')).filter(
    (c) => c.expected !== undefined,
  );
  const same = (a, b) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const score = (cases, run) =>
    cases.filter((c) => {
      try {
        return run(c);
      } catch {
        return false;
      }
    }).length;
  const ours = {
    dotenv: score(dotenvCases, (c) =>
      same(Object.fromEntries(parseDotenv(c.input, { lookup: (k) => c.lookup?.[k] })), c.expected),
    ),
    interp: score(
      interpCases,
      (c) => interpolate(c.input, (k) => (Object.hasOwn(c.env, k) ? c.env[k] : undefined)) === c.expected,
    ),
  };
  const theirs = {
    dotenv: score(dotenvCases, (c) => same(parseWithDotenv(c.input, c.lookup ?? {}), c.expected)),
    interp: score(
      interpCases,
      (c) => parseWithDotenv(`K='${c.input.replace(/'/g, "\\'")}'`, c.env).K === c.expected,
    ),
  };
  console.log('Compose-exactness on compose-go cases (higher is better)');
  printTable(
    ['cases', 'compose-env', 'dotenv+dotenv-expand'],
    [
      [`.env parsing (${dotenvCases.length})`, ours.dotenv, theirs.dotenv],
      [`\${...} interpolation (${interpCases.length})`, ours.interp, theirs.interp],
    ],
  );
} else {
  console.log('(../shared/conformance not found: exactness comparison skipped)');
}

// 2. Parsing speed on a large, realistic env file.
const lines = [];
for (let i = 0; i < 2000; i++) {
  const k = `KEY_${i}`;
  switch (i % 4) {
    case 0:
      lines.push(`${k}=plain-value-${i}`);
      break;
    case 1:
      lines.push(`${k}="quoted \\n value ${i}" # comment`);
      break;
    case 2:
      lines.push(`${k}='single $literal ${i}'`);
      break;
    default:
      lines.push(`${k}=\${KEY_${i - 1}:-default}/suffix`);
  }
}
const bigFile = `${lines.join('\n')}\n`;
/** Median wall time of `runs` calls, in ms. */
const time = (fn, runs) => {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
};
// dotenv-expand re-scans every value for every key (quadratic), so it gets fewer runs.
for (let i = 0; i < 20; i++) parseDotenv(bigFile);
parseWithDotenv(bigFile);
const oursMs = time(() => parseDotenv(bigFile), 50);
const theirsMs = time(() => parseWithDotenv(bigFile), 9);
console.log(
  `\nParsing a 2000-key env file (${(bigFile.length / 1024).toFixed(0)} KiB), median of 50 (dotenv: of 9)`,
);
printTable(
  ['parser', 'median', 'keys/s'],
  [
    ['compose-env parseDotenv', ms(oursMs), Math.round(2000 / (oursMs / 1000)).toLocaleString('en')],
    ['dotenv + dotenv-expand', ms(theirsMs), Math.round(2000 / (theirsMs / 1000)).toLocaleString('en')],
  ],
);

// 3. The whole step on the fixture stack: render + resolve the compose file.
const ws = mkdtempSync(join(tmpdir(), 'render-env-bench-'));
cpSync(join(root, 'test', 'fixtures', 'render-env', 'stack'), ws, { recursive: true });
const runBundle = () => {
  const step = prepareStep('render-env', {
    workspace: ws,
    inputs: {
      template: '.env.example',
      'env-files': 'env/prod.env',
      secrets: '{"POSTGRES_PASSWORD":"pw"}',
      'compose-file': 'compose.yml',
      policy: 'recommended',
      keep: 'true',
    },
  });
  const started = process.hrtime.bigint();
  const r = spawnSync(step.argv[0], step.argv.slice(1), { cwd: step.cwd, env: step.env });
  if (r.status !== 0) throw new Error(`bundle failed: ${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};
const stepRows = [];
const bundleMs = [];
for (let i = 0; i < 7; i++) bundleMs.push(runBundle());
stepRows.push([
  `render-env bundle on node ${actionNode().version} (render, resolve, policy)`,
  ms(median(bundleMs)),
]);
const compose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
if (compose.status === 0) {
  writeFileSync(
    join(ws, 'compose.env'),
    `${readFileSync(join(ws, 'env', 'prod.env'), 'utf8')}POSTGRES_PASSWORD=pw\n`,
  );
  const composeMs = [];
  for (let i = 0; i < 7; i++) {
    const s = process.hrtime.bigint();
    const r = spawnSync(
      'docker-compose',
      ['--env-file', 'compose.env', '-f', 'compose.yml', 'config', '-q'],
      { cwd: ws, env: { PATH: process.env.PATH } },
    );
    if (r.status !== 0) throw new Error(`docker-compose config failed: ${r.stderr}`);
    composeMs.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  stepRows.push([`docker-compose ${compose.stdout.trim()} config -q (resolve only)`, ms(median(composeMs))]);
}
console.log('\nWhole step on the fixture stack, median of 7 (process start included)');
printTable(['tool', 'median'], stepRows);
rmSync(ws, { recursive: true, force: true });
