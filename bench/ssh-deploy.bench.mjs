// ssh-deploy against the lab: a v1 -> v2 rollout by the bundled action compared
// with the same steps written by hand (OpenSSH scp + ssh, as users' deploy.sh
// does), in the same run; then one host against four hosts in parallel
// (127.0.0.2-5, one stack each, bound to its own address).
// Needs the lab (npm run lab:up) and a built dist/ssh-deploy. BENCH_RUNS sets rounds (default 2);
// BENCH_MULTI=0 skips the 1-vs-4-hosts part; BENCH_TRACE=1 prints, for the last rollout of each,
// where the time went (one line per step, with the seconds since the previous one).
// BENCH_BASELINE=<another build's dist/ssh-deploy/index.js> measures that build too, in the same
// rounds (its own stack), for before/after figures from one run.
// Both sides use Compose v2 (`docker compose`) on the lab host, as the action does when it finds it.
// BENCH_DELAY_MS=<ms> puts a relay in front of the lab's sshd that holds every chunk that many ms
// each way (a round trip of twice that, like a deploy over the internet), for both sides alike.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chownSync,
} from 'node:fs';
import { createServer, connect as connectTcp } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, printTable } from './stats.mjs';
import { actionNode } from '../test/harness/runner.mjs';

const root = new URL('..', import.meta.url).pathname;
const labJson = join(root, '.lab', 'lab.json');
if (!existsSync(labJson)) {
  console.log('skipped: the lab is not up (npm run lab:up)');
  process.exit(0);
}
const lab = JSON.parse(readFileSync(labJson, 'utf8'));
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const MULTI = process.env.BENCH_MULTI !== '0';
const TRACE = process.env.BENCH_TRACE === '1';
const entry = join(root, 'dist', 'ssh-deploy', 'index.js');
const BASELINE = process.env.BENCH_BASELINE;
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 0);
const tag = Math.random().toString(16).slice(2, 8);
const tmp = mkdtempSync(join(tmpdir(), 'bench-ssh-deploy-'));
const deployUid = Number(
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${lab.user}:`))
    .split(':')[2],
);

function run(argv, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    const lines = [];
    const started = performance.now();
    let tail = '';
    const onData = (d) => {
      out += d;
      const parts = (tail + d).split('\n');
      tail = parts.pop();
      for (const line of parts) lines.push([performance.now() - started, line]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, out, lines, ms: performance.now() - started }));
  });
}

/** Busy and total CPU time of the whole machine so far (jiffies), from /proc/stat. */
function cpuTimes() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - values[3] - values[4], total };
}
const cpuShare = new Map();
const lastRun = new Map();
const allRuns = new Map();

// Where each side's time goes, step by step: a step ends at the first output line matching it.
// The action's steps as its log shows them (each compose step logs its `$ <argv>` line when it starts;
// the compose config read runs in the ship's exec).
const ACTION_STEPS = [
  ['start: node, inputs, SSH connect', /^::debug::connected to/],
  ['lock + inspect host', /lock taken:/],
  ['ship + config: upload, record, activate', /\$ docker.* pull( -q)?$/],
  ['pull', /\$ docker.* up -d db$/],
  ['deps: up -d db, wait healthy', /\$ docker.* run --rm -T migrator$/],
  ['migrate: run --rm migrator', /\$ docker.* up -d --remove-orphans/],
  ['app: up -d, record images', /health gate: waiting/],
  ['health', /health gate passed/],
  ['finish: mark current, unlock, exit', null],
];
const SCRIPT_STEPS = [
  ['start: scp (connect + copy)', /^@step ssh$/],
  ['ssh connect', /^@step pull$/],
  ['pull', /^@step deps$/],
  ['deps: up -d db, wait healthy', /^@step migrate$/],
  ['migrate: run --rm migrator', /^@step app$/],
  ['app: up -d', /^@step health$/],
  ['health', /^@step done$/],
  ['exit', null],
];
function stepTimes(result, steps) {
  const out = [];
  let from = 0;
  let i = 0;
  for (const [name, ends] of steps) {
    let at = result.ms;
    if (ends) {
      const found = result.lines.slice(i).findIndex(([, line]) => ends.test(line));
      if (found < 0) return undefined;
      i += found;
      at = result.lines[i][0];
    }
    out.push([name, at - from]);
    from = at;
  }
  return out;
}
const runnerCpuSeconds = new Map();

async function timed(label, fn) {
  const cpuBefore = cpuTimes();
  const started = performance.now();
  const result = await fn();
  const elapsed = performance.now() - started;
  lastRun.set(label, result);
  allRuns.set(label, [...(allRuns.get(label) ?? []), result]);
  const cpuAfter = cpuTimes();
  cpuShare.set(label, [
    ...(cpuShare.get(label) ?? []),
    (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total),
  ]);
  const runnerCpu = /runner-cpu ([\d.]+) ([\d.]+)/.exec(result.out);
  if (runnerCpu)
    runnerCpuSeconds.set(label, [
      ...(runnerCpuSeconds.get(label) ?? []),
      Number(runnerCpu[1]) + Number(runnerCpu[2]),
    ]);
  if (result.code !== 0) {
    console.log(`${label} failed (exit ${result.code}):\n${result.out.slice(-3000)}`);
    process.exit(1);
  }
  return elapsed;
}

let bundleCount = 0;
/**
 * A source dir with the fixture stack, pinned to one app version. Each carries a
 * new APP_MESSAGE, so every measured rollout really recreates the app container.
 */
function bundle(version) {
  const dir = join(tmp, `bundle-${++bundleCount}`);
  mkdirSync(dir, { recursive: true });
  for (const f of ['docker-compose.yml', 'app.conf'])
    copyFileSync(join(root, 'test/fixtures/ssh-deploy/stack', f), join(dir, f));
  writeFileSync(
    join(dir, 'release.env'),
    `APP_IMAGE=${lab.images[`app_${version}`]}\nAPP_READY=true\nMIGRATE_FAIL=false\nAPP_MESSAGE=rollout-${bundleCount}\n`,
  );
  return dir;
}

const stacks = [];
function stack(name, port, bindIp = '127.0.0.1') {
  const dir = `${lab.remoteBase}/bench-${name}-${tag}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.env'), `APP_PORT=${port}\nBIND_IP=${bindIp}\n`);
  chownSync(dir, deployUid, deployUid);
  chownSync(join(dir, '.env'), deployUid, deployUid);
  const s = { dir, project: `bench-${name}-${tag}`, port };
  stacks.push(s);
  return s;
}

/** A TCP relay to the lab's sshd that holds each chunk DELAY_MS in each direction (order kept). */
async function delayRelay() {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connectTcp({ host: lab.sshHost, port: lab.sshPort });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(from);
      from.setNoDelay(true);
      from.on('data', (d) => setTimeout(() => to.writable && to.write(d), DELAY_MS));
      from.on('end', () => setTimeout(() => to.end(), DELAY_MS));
      from.on('error', () => to.destroy());
      from.on('close', () => sockets.delete(from));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => {
      for (const so of sockets) so.destroy();
      server.close();
    },
  };
}
const relay = DELAY_MS > 0 ? await delayRelay() : undefined;
const sshPort = relay ? relay.port : lab.sshPort;

const key = readFileSync(lab.privateKeyPath, 'utf8');
function action(inputs, file = entry) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_SHA: 'bench000000',
    GITHUB_RUN_ID: '1',
    RUNNER_TEMP: tmp,
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(tmp, name);
    writeFileSync(env[name], '');
  }
  const all = {
    username: lab.user,
    'private-key': key,
    'host-fingerprint': lab.hostFingerprints.join('\n'),
    'env-files': '.env\nrelease.env',
    'services-first': 'db',
    'migrate-service': 'migrator',
    ...inputs,
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.toUpperCase()}`] = v;
  // GNU time reports the action process's own CPU, which is what the runner pays per host.
  const timeCli = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'runner-cpu %U %S'] : [];
  return run([...timeCli, actionNode().path, file], { env, cwd: tmp });
}
const actionDeploy = (s, version, extra = {}, file = entry) =>
  action(
    {
      host: `${lab.sshHost}:${sshPort}`,
      'remote-dir': s.dir,
      'project-name': s.project,
      'source-dir': bundle(version),
      'health-url': `http://127.0.0.1:${s.port}/api/ready`,
      ...extra,
    },
    file,
  );

// The hand-written equivalent: copy the files, then one ssh session running the runbook.
const sshOpts = [
  '-o',
  'StrictHostKeyChecking=yes',
  '-o',
  `UserKnownHostsFile=${lab.knownHostsPath}`,
  '-o',
  'BatchMode=yes',
  '-i',
  lab.privateKeyPath,
  // Through the relay: the host key is still checked, as the lab's own sshd's.
  ...(relay ? ['-o', `HostKeyAlias=[${lab.sshHost}]:${lab.sshPort}`] : []),
];
async function scriptDeploy(s, version) {
  const source = bundle(version);
  const files = ['docker-compose.yml', 'app.conf', 'release.env'].map((f) => join(source, f));
  const copied = await run([
    'scp',
    '-q',
    '-P',
    String(sshPort),
    ...sshOpts,
    ...files,
    `${lab.user}@${lab.sshHost}:${s.dir}/`,
  ]);
  if (copied.code !== 0) return copied;
  // What a user's runbook does with Compose v2: the same steps as the action (pull, deps, migrate,
  // app, health), nothing more; `@step` lines time each step for BENCH_TRACE.
  const dc = `docker compose -p ${s.project} --env-file .env --env-file release.env`;
  const step = (name) => `echo "@step ${name}"`;
  const runbook = [
    `set -e; cd ${s.dir}`,
    step('pull'),
    `${dc} pull -q`,
    step('deps'),
    `${dc} up -d db`,
    `until [ "$(docker inspect -f '{{.State.Health.Status}}' $(${dc} ps -q db))" = healthy ]; do sleep 1; done`,
    step('migrate'),
    `${dc} run --rm -T migrator`,
    step('app'),
    `${dc} up -d`,
    step('health'),
    `until wget -q -O /dev/null http://127.0.0.1:${s.port}/api/ready; do sleep 1; done`,
    step('done'),
  ].join('\n');
  const remote = await run(['ssh', '-p', String(sshPort), ...sshOpts, `${lab.user}@${lab.sshHost}`, runbook]);
  return {
    code: remote.code,
    out: copied.out + remote.out,
    ms: copied.ms + remote.ms,
    lines: [[0, '@step scp'], [copied.ms, '@step ssh'], ...remote.lines.map(([t, l]) => [t + copied.ms, l])],
  };
}

async function cleanUp() {
  for (const s of stacks) {
    const ids = (
      await run(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${s.project}`])
    ).out
      .split(/\s+/)
      .filter(Boolean);
    if (ids.length) await run(['docker', 'rm', '-f', '-v', ...ids]);
    const nets = (
      await run([
        'docker',
        'network',
        'ls',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${s.project}`,
      ])
    ).out
      .split(/\s+/)
      .filter(Boolean);
    if (nets.length) await run(['docker', 'network', 'rm', ...nets]);
    rmSync(s.dir, { recursive: true, force: true });
  }
  rmSync(tmp, { recursive: true, force: true });
}

const composeVersion = (await run(['docker', 'compose', 'version'])).out.trim();
try {
  const basePort = 24000 + (process.pid % 500) * 4;
  const ours = stack('action', basePort);
  const theirs = stack('script', basePort + 1);
  const before = BASELINE ? stack('baseline', basePort + 3) : undefined;
  if (before) await timed('baseline first deploy', () => actionDeploy(before, 'v1', {}, BASELINE));
  // First deploys (images, networks, db) are set-up, not measured.
  await timed('action first deploy', () => actionDeploy(ours, 'v1'));
  await timed('script first deploy', () => scriptDeploy(theirs, 'v1'));

  const actionTimes = [];
  const scriptTimes = [];
  const baselineTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const version = i % 2 ? 'v1' : 'v2';
    // Alternate which goes first so neither always runs on a warmer machine.
    const pair = [
      async () => actionTimes.push(await timed('action rollout', () => actionDeploy(ours, version))),
      async () => scriptTimes.push(await timed('script rollout', () => scriptDeploy(theirs, version))),
    ];
    if (before)
      pair.push(async () =>
        baselineTimes.push(
          await timed('baseline rollout', () => actionDeploy(before, version, {}, BASELINE)),
        ),
      );
    for (const step of i % 2 ? pair.reverse() : pair) await step();
  }

  const oneTimes = [];
  const fourTimes = [];
  const multiPort = basePort + 2; // basePort + 3: the baseline's stack
  if (MULTI) {
    const hosts = lab.extraHosts.slice(0, 4);
    // The lab's four "hosts" are one machine: a dir and project per address ({host}), each app bound to its address.
    for (const h of hosts) {
      const s = stack(`multi-${h}`, multiPort, h);
      s.project = `bench-multi-${h.replace(/\./g, '-')}-${tag}`;
    }
    const multi = (list, version) =>
      action({
        host: list.map((h) => `${h}:${lab.sshPort}`).join('\n'),
        'remote-dir': `${lab.remoteBase}/bench-multi-{host}-${tag}`,
        'project-name': `bench-multi-{host}-${tag}`,
        'source-dir': bundle(version),
        'health-url': `http://{host}:${multiPort}/api/ready`,
        parallel: String(list.length),
      });
    await timed('four hosts first deploy', () => multi(hosts, 'v1'));
    for (let i = 0; i < RUNS; i++) {
      oneTimes.push(await timed('one host rollout', () => multi(hosts.slice(0, 1), i % 2 ? 'v1' : 'v2')));
      fourTimes.push(await timed('four hosts rollout', () => multi(hosts, i % 2 ? 'v2' : 'v1')));
    }
  }

  const a = median(actionTimes);
  const s = median(scriptTimes);
  const one = MULTI ? median(oneTimes) : NaN;
  const four = MULTI ? median(fourTimes) : NaN;
  const sec = (v) => `${(v / 1000).toFixed(2)} s`;
  const busy = (label) => `${Math.round(median(cpuShare.get(label)) * 100)}%`;
  const runnerCpu = (label) =>
    runnerCpuSeconds.has(label) ? `${median(runnerCpuSeconds.get(label)).toFixed(2)} s` : '';
  console.log(
    `node ${actionNode().version} (the runner's), ${composeVersion} on the lab host (both sides), median of ${RUNS} rollout(s) each` +
      `${relay ? `, through a relay adding ${DELAY_MS} ms each way` : ''}\n`,
  );
  printTable(
    [
      'rollout (db first, migrator, app, readiness)',
      'time',
      'ratio',
      'target',
      'met',
      'machine CPU busy',
      'action CPU',
    ],
    [
      ['hand-written scp + ssh script', sec(s), '1.00x', '', '', busy('script rollout'), ''],
      [
        'ssh-deploy (lock, release record, health gate)',
        sec(a),
        `${(a / s).toFixed(2)}x`,
        '<= 1.2x script',
        a / s <= 1.2 ? 'yes' : 'NO',
        busy('action rollout'),
        runnerCpu('action rollout'),
      ],
      ...(before
        ? [
            [
              `baseline build (${BASELINE})`,
              sec(median(baselineTimes)),
              `${(median(baselineTimes) / s).toFixed(2)}x`,
              '',
              '',
              busy('baseline rollout'),
              runnerCpu('baseline rollout'),
            ],
          ]
        : []),
      ...(MULTI
        ? [
            [
              'ssh-deploy, 1 host',
              sec(one),
              '1.00x',
              '',
              '',
              busy('one host rollout'),
              runnerCpu('one host rollout'),
            ],
            [
              'ssh-deploy, 4 hosts in parallel',
              sec(four),
              `${(four / one).toFixed(2)}x`,
              '<= 1.5x one host',
              four / one <= 1.5 ? 'yes' : 'NO',
              busy('four hosts rollout'),
              runnerCpu('four hosts rollout'),
            ],
          ]
        : []),
    ],
  );
  // Median time of each step over all measured rollouts, side by side.
  const medianSteps = (label, steps) => {
    const runs = (allRuns.get(label) ?? []).map((r) => stepTimes(r, steps)).filter(Boolean);
    return steps.map(([name], k) => [name, runs.length ? median(runs.map((r) => r[k][1])) : NaN]);
  };
  const ourSteps = medianSteps('action rollout', ACTION_STEPS);
  const theirSteps = medianSteps('script rollout', SCRIPT_STEPS);
  const baseSteps = before ? medianSteps('baseline rollout', ACTION_STEPS) : undefined;
  console.log('\nmedian per step (s):');
  const rows = Math.max(ourSteps.length, theirSteps.length);
  printTable(
    ['ssh-deploy step', 's', ...(baseSteps ? ['baseline s'] : []), 'script step', 's'],
    Array.from({ length: rows }, (_, k) => [
      ourSteps[k]?.[0] ?? '',
      ourSteps[k] ? (ourSteps[k][1] / 1000).toFixed(2) : '',
      ...(baseSteps ? [baseSteps[k] ? (baseSteps[k][1] / 1000).toFixed(2) : ''] : []),
      theirSteps[k]?.[0] ?? '',
      theirSteps[k] ? (theirSteps[k][1] / 1000).toFixed(2) : '',
    ]),
  );
  if (TRACE) {
    for (const label of ['script rollout', 'action rollout']) {
      console.log(`\nwhere the time went, last ${label} (s since start, +s since previous line):`);
      let prev = 0;
      for (const [t, line] of lastRun.get(label)?.lines ?? []) {
        if (/^::add-mask::/.test(line)) continue;
        if (
          !/^@step |\$ |^::debug::connected|lock|shipped|health|release .* is live|services-first/.test(line)
        )
          continue;
        console.log(
          `  ${(t / 1000).toFixed(2).padStart(6)}  +${((t - prev) / 1000).toFixed(2)}  ${line.slice(0, 150)}`,
        );
        prev = t;
      }
      console.log(`  ${(lastRun.get(label).ms / 1000).toFixed(2).padStart(6)}  end`);
    }
  }
  // The lab's four hosts are one machine: their compose runs (each docker-compose v1 call
  // costs ~0.4 s of CPU) share its cores with the runner and with everything else running
  // there. CPU near 100% means the 4-host figure measures those cores, not the action.
  console.log(`\n${cpus().length} CPU core(s) shared by the runner and all four lab "hosts".`);
} finally {
  relay?.close();
  await cleanUp();
}
