// Cold start of each bundled action: the median wall time of `node dist/<name>/index.js`
// run as the runner would, with an invalid input so the action validates, reports
// and exits without side effects (the same path for every action). Compared with bare Node's own start-up in the same run:
// the difference is what our bundle adds to every step. Also prints bundle sizes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ms, printTable } from './stats.mjs';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const tmp = mkdtempSync(join(tmpdir(), 'cold-start-'));
const files = { GITHUB_OUTPUT: 'out', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' };
const env = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: tmp };
for (const [name, file] of Object.entries(files)) {
  env[name] = join(tmp, file);
  writeFileSync(env[name], '');
}

// One invalid input per action; the others are left unset.
const INVALID = {
  'secret-scan-gate': { INPUT_MODE: 'bogus' },
  'verify-signature': { 'INPUT_ALLOW-INSECURE-REGISTRY': 'maybe' },
  'render-env': { INPUT_FORMAT: 'yaml' },
  'ssh-deploy': { INPUT_PORT: 'ssh' },
  'wait-ready': { INPUT_TIMEOUT: 'soon' },
};

function time(args, extraEnv = {}) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, cwd: tmp, encoding: 'utf8' });
    if (args.length === 1 && (run.status === 0 || !run.stdout.includes('::error'))) {
      throw new Error(`${args[0]} did not reject its invalid input: exit ${run.status}\n${run.stdout}`);
    }
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

const bare = time(['-e', '']);
const rows = [];
for (const name of readdirSync(join(root, 'dist')).sort()) {
  const entry = join(root, 'dist', name, 'index.js');
  if (!existsSync(entry)) continue;
  const cold = time([entry], INVALID[name] ?? {});
  rows.push([name, ms(cold), `+${ms(cold - bare)}`, `${(statSync(entry).size / 1024).toFixed(0)} KiB`]);
}
console.log(`node ${process.version}, median of ${RUNS} runs; bare \`node -e ''\`: ${ms(bare)}\n`);
printTable(['action', 'cold start', 'over bare node', 'bundle'], rows);
