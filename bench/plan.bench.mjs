// ssh-deploy `mode: plan` and `mode: check` against the lab: how long until the plan for
// a host is ready (target < 1.5 s), with `dry-run` (the step list only) beside it.
// One stack is deployed (v1) with the bundled action, then each mode runs BENCH_RUNS
// times (default 5) planning v2. Needs the lab (npm run lab:up) and a built dist/ssh-deploy.
// Figures: wall time of the whole action process (node start, inputs, SSH connect, read,
// compute, summary), and "read" = from the SSH connection being up to the plan logged.
import { spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labConnection } from '../test/harness/chain.mjs';
import { actionNode, repoRoot as root } from '../test/harness/runner.mjs';
import { labOrSkip, median, printTable } from './stats.mjs';

const lab = labOrSkip();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const entry = join(root, 'dist', 'ssh-deploy', 'index.js');
const node = actionNode().path;
const tag = Math.random().toString(16).slice(2, 8);
const tmp = mkdtempSync(join(tmpdir(), 'bench-plan-'));
const uid = Number(
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${lab.user}:`))
    .split(':')[2],
);
const dir = `${lab.remoteBase}/bench-plan-${tag}`;
const project = `bench-plan-${tag}`;
const port = 23000 + Math.floor(Math.random() * 500);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, '.env'), `APP_PORT=${port}\n`);
chownSync(dir, uid, uid);
chownSync(join(dir, '.env'), uid, uid);

function bundle(version, n) {
  const d = join(tmp, `bundle-${version}-${n}`);
  mkdirSync(d, { recursive: true });
  for (const f of ['docker-compose.yml', 'app.conf'])
    copyFileSync(join(root, 'test/fixtures/ssh-deploy/stack', f), join(d, f));
  writeFileSync(
    join(d, 'release.env'),
    `APP_IMAGE=${lab.images[`app_${version}`]}\nAPP_READY=true\nMIGRATE_FAIL=false\nAPP_MESSAGE=m${n}\n`,
  );
  return d;
}

function action(inputs) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_SHA: 'bench000000',
    GITHUB_RUN_ID: '1',
    RUNNER_TEMP: tmp,
    RUNNER_DEBUG: '1',
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(tmp, name);
    writeFileSync(env[name], '');
  }
  const all = {
    ...labConnection(lab),
    'remote-dir': dir,
    'project-name': project,
    'env-files': '.env\nrelease.env',
    'services-first': 'db',
    'migrate-service': 'migrator',
    'health-url': `http://127.0.0.1:${port}/api/ready`,
    ...inputs,
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(node, [entry], { env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let connected;
    let ready;
    const onData = (d) => {
      out += d;
      const now = performance.now() - started;
      if (connected === undefined && /::debug::connected to/.test(out)) connected = now;
      if (ready === undefined && /\] (plan: |dry-run: would|release \S+: |no drift)/.test(out)) ready = now;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, out, ms: performance.now() - started, connected, ready }));
  });
}

try {
  const first = await action({ 'source-dir': bundle('v1', 0) });
  if (first.code !== 0) throw new Error(`the first deploy failed:\n${first.out.slice(-2000)}`);
  const modes = [
    ['mode: plan (v1 → v2)', (n) => ({ mode: 'plan', 'source-dir': bundle('v2', n) })],
    ['dry-run (steps only)', (n) => ({ 'dry-run': 'true', 'source-dir': bundle('v2', n) })],
    ['mode: check', () => ({ mode: 'check', 'source-dir': tmp })],
  ];
  const results = new Map(modes.map(([label]) => [label, []]));
  for (let i = 1; i <= RUNS; i++) {
    for (const [label, inputs] of modes) {
      const r = await action(inputs(i));
      if (r.code !== 0) throw new Error(`${label} failed:\n${r.out.slice(-2000)}`);
      results.get(label).push(r);
    }
  }
  console.log(`ssh-deploy plan/check on the lab, ${RUNS} runs each, medians (node ${actionNode().version})`);
  const s = (v) => `${(v / 1000).toFixed(2)} s`;
  printTable(
    ['mode', 'whole step', 'start → plan ready', 'connected → plan ready'],
    [...results].map(([label, runs]) => [
      label,
      s(median(runs.map((r) => r.ms))),
      s(median(runs.map((r) => r.ready ?? r.ms))),
      s(median(runs.map((r) => (r.ready ?? r.ms) - (r.connected ?? 0)))),
    ]),
  );
  const plan = results.get('mode: plan (v1 → v2)');
  const readyMedian = median(plan.map((r) => r.ready ?? r.ms));
  console.log(`plan ready in ${s(readyMedian)} (target < 1.50 s): ${readyMedian < 1500 ? 'met' : 'NOT met'}`);
} finally {
  const ids = spawnSync(lab.dockerCli, [
    'ps',
    '-aq',
    '--filter',
    `label=com.docker.compose.project=${project}`,
  ])
    .stdout.toString()
    .split(/\s+/)
    .filter(Boolean);
  if (ids.length) spawnSync(lab.dockerCli, ['rm', '-f', '-v', ...ids]);
  const nets = spawnSync(lab.dockerCli, [
    'network',
    'ls',
    '-q',
    '--filter',
    `label=com.docker.compose.project=${project}`,
  ])
    .stdout.toString()
    .split(/\s+/)
    .filter(Boolean);
  if (nets.length) spawnSync(lab.dockerCli, ['network', 'rm', ...nets]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}
