// Cold start of each bundled action: the median wall time of `node dist/<name>/index.js`
// run as the runner would, with an invalid input so the action validates, reports
// and exits without side effects (the same path for every action). Compared with bare Node's own start-up in the same run:
// the difference is what our bundle adds to every step. Also prints bundle sizes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { actionNode, prepareStep, repoRoot } from '../test/harness/runner.mjs';
import { median, ms, printTable } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

// One invalid input per action; the others are left at action.yml's defaults, as on a runner.
const INVALID = {
  'secret-scan-gate': { mode: 'bogus' },
  'verify-signature': { 'allow-insecure-registry': 'maybe' },
  'render-env': { format: 'yaml' },
  'ssh-deploy': { port: 'ssh' },
  'wait-ready': { timeout: 'soon' },
};

/** Median wall time of `argv` (a bundle: it must reject its invalid input). */
function time(argv, { env = process.env, cwd } = {}) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(argv[0], argv.slice(1), { env, cwd, encoding: 'utf8' });
    if (argv[1] !== '-e' && (run.status === 0 || !run.stdout.includes('::error'))) {
      throw new Error(`${argv[1]} did not reject its invalid input: exit ${run.status}\n${run.stdout}`);
    }
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

const bare = time([actionNode().path, '-e', '']);
const rows = [];
for (const name of readdirSync(join(repoRoot, 'dist')).sort()) {
  const entry = join(repoRoot, 'dist', name, 'index.js');
  if (!existsSync(entry)) continue;
  const step = prepareStep(name, { inputs: INVALID[name] ?? {} });
  const cold = time(step.argv, step);
  rows.push([name, ms(cold), `+${ms(cold - bare)}`, `${(statSync(entry).size / 1024).toFixed(0)} KiB`]);
}
console.log(
  `node ${actionNode().version} (the runner's, as the bundles run), median of ${RUNS} runs; bare \`node -e ''\`: ${ms(bare)}\n`,
);
printTable(['action', 'cold start', 'over bare node', 'bundle'], rows);
