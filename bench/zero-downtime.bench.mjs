// Zero-downtime rollouts against the lab: failed requests and rollout time under a steady
// ~50 requests/s on loopback (GET /version, 2 s client timeout), app v1 -> v2, for
//   - a plain recreate (`docker compose up -d --wait`) of an app published on the host, no proxy;
//   - the same plain recreate behind the lab's Caddy proxy (dynamic upstreams, retries);
//   - rollingUpdate (packages/deploy/src/rolling.ts) behind the same proxy;
//   - swarmDeploy (packages/deploy/src/swarm.ts): a 3-replica app (start-first, dnsrr) behind the same
//     proxy published in mode: host, on the lab's engine when it is a swarm manager (test/e2e/swarm.test.ts
//     makes it one), v1 -> v2 and a broken v3 that swarm rolls back (rows skipped when it is not one);
//   - a plain recreate and rollingUpdate of an app that listens only 3 s after it starts (the lab app's
//     APP_LISTEN_DELAY): longer than the load's 2 s client timeout, so a proxy's retries cannot hide the gap;
//   - the same through ssh-deploy's bundle with strategy: swarm (dist/ssh-deploy: `npm run build -- ssh-deploy`;
//     the whole action: connect, lock, ship, render, stack deploy, converge, health gate, records).
// Rollout time: from the command's start to the new container healthy (recreate: `--wait`;
// rolling: its whole run, drain and removal of the old container included; swarm: stack deploy
// until every service converged, or until swarm's rollback completed for the broken v3).
// Needs the lab (npm run lab:up) and Compose v2 on the host; builds packages/deploy/lib
// (tsc -b, git-ignored) when missing. BENCH_RUNS sets rounds (default 3), BENCH_DRAIN_MS the drain (1000, the default),
// BENCH_ONLY=<text>[|<text>...] runs only the rows whose label contains one of them, BENCH_VERBOSE=1 prints
// step times and when failed requests were sent. The rolling / recreate timing ratio is printed
// whenever both rows ran.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, printTable } from './stats.mjs';
import { actionNode } from '../test/harness/runner.mjs';
// The load generator and Caddyfile the zero-downtime tests use (plain JS, shared).
import { CADDYFILE, caddyfile, freeLoopbackPort, startLoad } from '../test/fixtures/load.mjs';
import { swarmStackCompose } from '../test/fixtures/swarm-stack.mjs';

const root = new URL('..', import.meta.url).pathname;
const labJson = join(root, '.lab', 'lab.json');
if (!existsSync(labJson)) {
  console.log('skipped: the lab is not up (npm run lab:up)');
  process.exit(0);
}
const lab = JSON.parse(readFileSync(labJson, 'utf8'));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 1000);
const RATE = 50;
const caddyImage = lab.images.caddy ?? `${lab.registry}/lab/caddy:2`;

if (!existsSync(join(root, 'packages/deploy/lib/swarm.js'))) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/deploy'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) process.exit(1);
}
const { checkRollable, composeInvocation, rollingUpdate, swarmDeploy } =
  await import('../packages/deploy/lib/index.js');
const { connectSsh } = await import('../packages/ssh/lib/index.js');
const { silentLogger } = await import('../packages/action-kit/lib/index.js');

const APP = `  app:
    image: \${APP_IMAGE}
    environment:
      APP_MESSAGE: \${APP_MESSAGE:-}
      APP_READY_DELAY: \${APP_READY_DELAY:-0}
      APP_LISTEN_DELAY: \${APP_LISTEN_DELAY:-0}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      timeout: 2s
      retries: 2
      start_period: 30s
    stop_grace_period: 5s
`;
const PROXIED = `services:
  proxy:
    image: \${PROXY_IMAGE}
    ports:
      - "127.0.0.1:\${PORT}:80"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
${APP}`;
// Two rolled services behind the proxy (app on :80, api on :81, the same image): a plain recreate
// replaces both at once, rollingUpdate rolls both together.
const API = APP.replace('  app:\n', '  api:\n').replace(
  'APP_MESSAGE: ${APP_MESSAGE:-}',
  'APP_MESSAGE: api-${APP_MESSAGE:-}',
);
const PROXIED_TWO = `services:
  proxy:
    image: \${PROXY_IMAGE}
    ports:
      - "127.0.0.1:\${PORT}:80"
      - "127.0.0.1:\${API_PORT}:81"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
${APP}${API}`;
const DIRECT = `services:
${APP}    ports:
      - "127.0.0.1:\${PORT}:8080"
`;

// The swarm tests' stack (test/fixtures/swarm-stack.mjs), its healthcheck on /api/ready.
const SWARM = swarmStackCompose({ healthPath: '/api/ready' });

const conn = await connectSsh(
  { host: lab.sshHost, port: lab.sshPort },
  {
    username: lab.user,
    privateKey: readFileSync(lab.privateKeyPath, 'utf8'),
    hostKey: { fingerprints: lab.hostFingerprints, insecureIgnore: false },
    connectTimeoutMs: 10_000,
  },
  silentLogger,
);
const exec = (argv, o) => conn.exec(argv, o);
async function remote(argv, cwd, stdin) {
  const result = await conn.exec(argv, { cwd, ...(stdin !== undefined ? { stdin } : {}) });
  if (result.code !== 0)
    throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return result.stdout;
}
const write = (dir, name, content) =>
  remote(['sh', '-c', 'cat > "$1"', 'sh', `${dir}/${name}`], dir, content);

const tag = Math.random().toString(16).slice(2, 8);
/** Prefix of the bench's compose projects and remote dirs (BENCH_PREFIX, e.g. your branch on a shared lab). */
const PREFIX = process.env.BENCH_PREFIX ?? 'bench-zd';
const stacks = [];
async function makeStack(kind, readyDelay = 0, listenDelay = 0) {
  const project = `${PREFIX}-${kind}${readyDelay ? `-slow` : ''}${listenDelay ? `-late` : ''}-${tag}`;
  const dir = `${lab.remoteBase}/${project}`;
  const port = await freeLoopbackPort();
  await remote(['mkdir', '-p', dir], '/');
  const stack = {
    kind,
    project,
    dir,
    port,
    ...(kind === 'proxied-two' ? { apiPort: await freeLoopbackPort() } : {}),
    round: 0,
    readyDelay,
    listenDelay,
  };
  stacks.push(stack);
  if (kind === 'swarm-action') return stack; // ssh-deploy ships compose.yml and the Caddyfile
  await write(
    dir,
    'compose.yml',
    kind === 'direct' ? DIRECT : kind === 'swarm' ? SWARM : kind === 'proxied-two' ? PROXIED_TWO : PROXIED,
  );
  if (kind === 'proxied-two') await write(dir, 'Caddyfile', caddyfile({ 80: 'app', 81: 'api' }));
  else if (kind !== 'direct') await write(dir, 'Caddyfile', CADDYFILE);
  return stack;
}
const env = (s, version) =>
  write(
    s.dir,
    '.env',
    `PROXY_IMAGE=${caddyImage}\nPORT=${s.port}\nPROXY_PORT=${s.port}\nAPI_PORT=${s.apiPort ?? ''}\nMIGRATOR_IMAGE=${lab.images.migrator}\nAPP_IMAGE=${lab.images[`app_${version === 'v3' ? 'v2' : version}`]}\nAPP_MESSAGE=round-${s.round}\nAPP_READY_DELAY=${s.readyDelay}\nAPP_LISTEN_DELAY=${s.listenDelay}\nAPP_READY=${version === 'v3' ? 'false' : 'true'}\n`,
  );
const swarmOptions = (s) => ({
  stack: s.project,
  cwd: s.dir,
  source: {
    compose: composeInvocation({
      flavour: 'v2',
      projectName: s.project,
      files: ['compose.yml'],
      envFiles: ['.env'],
    }),
  },
  timeoutMs: 180_000,
  pollIntervalMs: 500,
  host: lab.sshHost,
});
/** Until the proxy answers 200 three times in a row (bounded). */
async function waitServing(port) {
  const deadline = Date.now() + 30_000;
  let inARow = 0;
  while (Date.now() < deadline && inARow < 3) {
    const okay = await new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/version', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      });
      req.setTimeout(2000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end();
    });
    inARow = okay ? inARow + 1 : 0;
    if (inARow < 3) await sleep(300);
  }
  if (inARow < 3) throw new Error(`127.0.0.1:${port} did not answer within 30 s`);
}
const swarmActive = async () =>
  (
    await conn.exec(['docker', 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])
  ).stdout.trim() === 'active true';
const compose = (s, ...args) => remote(['docker', 'compose', '-p', s.project, ...args], s.dir);

/** One measured v1 -> v2 rollout under load; the stack is put on v1 first, without load. */
async function round(s, how) {
  s.round++;
  if (how.startsWith('swarm')) return swarmRound(s, how);
  await env(s, 'v1');
  await compose(s, 'up', '-d', '--wait');
  await sleep(1500); // the proxy has resolved the app
  await env(s, 'v2');
  const load = loadOn(s);
  await sleep(500);
  const started = performance.now();
  if (how === 'recreate') {
    await compose(s, 'up', '-d', '--wait');
  } else if (how === 'rolling-back') {
    // What ssh-deploy does when its health gate fails after a roll: the previous release is
    // rolled back in the same way (session.ts rollBack), never recreated.
    await rolling(s, false);
    await env(s, 'v1');
    await rolling(s, false);
  } else {
    await rolling(s, how === 'rolling-isolated');
  }
  const elapsed = performance.now() - started;
  await sleep(1000);
  const report = await load.stop();
  if (process.env.BENCH_VERBOSE && report.failed)
    console.log(
      `${how}: failed requests sent at ${report.failedAt.map((t) => Math.round(t - started)).join(', ')} ms`,
    );
  return { elapsed, ...report };
}

/** ~RATE requests/s on the stack's app, and as many on its api when it has one; one report. */
function loadOn(s) {
  const loads = [
    startLoad(s.port, RATE, 180_000),
    ...(s.apiPort ? [startLoad(s.apiPort, RATE, 180_000)] : []),
  ];
  return {
    async stop() {
      const reports = await Promise.all(loads.map((l) => l.stop()));
      const bodies = {};
      for (const r of reports)
        for (const [b, n] of Object.entries(r.bodies)) bodies[b] = (bodies[b] ?? 0) + n;
      return {
        sent: reports.reduce((a, r) => a + r.sent, 0),
        failed: reports.reduce((a, r) => a + r.failed, 0),
        failures: reports.flatMap((r) => r.failures),
        failedAt: reports.flatMap((r) => r.failedAt),
        bodies,
      };
    },
  };
}

async function rolling(s, isolate) {
  {
    const config = JSON.parse(await compose(s, 'config', '--format', 'json'));
    const selection = checkRollable(config, s.apiPort ? ['app', 'api'] : ['app']);
    const [rolled] = await rollingUpdate(exec, {
      compose: composeInvocation({ flavour: 'v2', projectName: s.project, files: [], envFiles: [] }),
      project: selection.project ?? s.project,
      cwd: s.dir,
      services: selection.services,
      drainMs: DRAIN_MS,
      isolateUntilHealthy: isolate,
      healthTimeoutMs: 60_000,
      host: lab.sshHost,
    });
    if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(rolled.durations));
  }
}

// ssh-deploy's bundle, run as the runner runs it (INPUT_* variables, fresh runner files).
const actionEntry = join(root, 'dist', 'ssh-deploy', 'index.js');
const actionSource = mkdtempSync(join(tmpdir(), 'bench-zd-swarm-action-'));
writeFileSync(join(actionSource, 'compose.yml'), SWARM);
writeFileSync(join(actionSource, 'Caddyfile'), CADDYFILE);
function swarmAction(s) {
  const files = mkdtempSync(join(tmpdir(), 'bench-zd-runner-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: actionSource,
    RUNNER_TEMP: files,
  };
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV']) {
    env[f] = join(files, f);
    writeFileSync(env[f], '');
  }
  const inputs = {
    host: `${lab.sshHost}:${lab.sshPort}`,
    username: lab.user,
    'private-key': readFileSync(lab.privateKeyPath, 'utf8'),
    'host-fingerprint': lab.hostFingerprints.join('\n'),
    'remote-dir': s.dir,
    'source-dir': actionSource,
    'project-name': s.project,
    strategy: 'swarm',
    'health-url': `http://127.0.0.1:${s.port}/api/ready`,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(actionNode().path, [actionEntry], {
      env,
      cwd: actionSource,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8');
      rmSync(files, { recursive: true, force: true });
      resolve({ code, out, errorCode: /error-code<<\S+\n([^\n]*)/.exec(outputs)?.[1] ?? '' });
    });
  });
}

/** One measured swarm rollout: v1 -> v2, or v2 -> a broken v3 that swarm rolls back. */
async function swarmRound(s, how) {
  if (how.startsWith('swarm-action')) return swarmActionRound(s, how);
  const broken = how === 'swarm-broken';
  await env(s, broken ? 'v2' : 'v1');
  await swarmDeploy(exec, swarmOptions(s));
  await waitServing(s.port);
  await sleep(1500);
  await env(s, broken ? 'v3' : 'v2');
  const load = startLoad(s.port, RATE, 180_000);
  await sleep(500);
  const started = performance.now();
  let outcome = 'converged';
  try {
    const result = await swarmDeploy(exec, swarmOptions(s));
    if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(result.durations));
    if (broken) throw new Error('the broken v3 converged');
  } catch (e) {
    if (!broken || e.code !== 'swarm-rolled-back') throw e;
    outcome = 'rolled back';
  }
  const elapsed = performance.now() - started;
  await sleep(1000);
  const report = await load.stop();
  if (process.env.BENCH_VERBOSE) console.log(`${how}: ${outcome}`);
  return { elapsed, ...report };
}

/** The same through ssh-deploy: v1 -> v2, or v2 -> a broken v3 (swarm rolls it back, then the action redeploys v2's stack file). */
async function swarmActionRound(s, how) {
  const broken = how === 'swarm-action-broken';
  await env(s, broken ? 'v2' : 'v1');
  const before = await swarmAction(s);
  if (before.code !== 0) throw new Error(`ssh-deploy (setup) failed:\n${before.out.slice(-3000)}`);
  await waitServing(s.port);
  await sleep(1500);
  await env(s, broken ? 'v3' : 'v2');
  const load = startLoad(s.port, RATE, 180_000);
  await sleep(500);
  const started = performance.now();
  const result = await swarmAction(s);
  const elapsed = performance.now() - started;
  if (broken ? result.errorCode !== 'swarm-rolled-back' : result.code !== 0)
    throw new Error(
      `ssh-deploy ${how}: exit ${result.code} ${result.errorCode}:\n${result.out.slice(-3000)}`,
    );
  await sleep(1000);
  const report = await load.stop();
  return { elapsed, ...report };
}

const results = new Map();
try {
  const direct = await makeStack('direct');
  const proxied = await makeStack('proxied');
  const slow = await makeStack('proxied', 5);
  const two = await makeStack('proxied-two');
  const late = await makeStack('proxied', 0, 3);
  const swarm = (await swarmActive()) ? await makeStack('swarm') : undefined;
  const swarmViaAction = swarm && existsSync(actionEntry) ? await makeStack('swarm-action') : undefined;
  if (swarm && !swarmViaAction)
    console.log('ssh-deploy swarm rows skipped: no dist/ssh-deploy (npm run build -- ssh-deploy)');
  if (!swarm)
    console.log(
      'swarm rows skipped: the lab engine is not a swarm manager (run test/e2e/swarm.test.ts once)',
    );
  const cases = [
    ['plain recreate (up -d), app on a host port, no proxy', direct, 'recreate'],
    ['plain recreate (up -d), behind Caddy', proxied, 'recreate'],
    [`rollingUpdate behind Caddy (drain ${DRAIN_MS} ms)`, proxied, 'rolling'],
    ['rollingUpdate behind Caddy, isolateUntilHealthy', proxied, 'rolling-isolated'],
    ['plain recreate, behind Caddy, app ready after 5 s', slow, 'recreate'],
    [`rollingUpdate, behind Caddy, app ready after 5 s`, slow, 'rolling'],
    ['rollingUpdate v2, then rolled back to v1 by rolling (a failed health gate)', proxied, 'rolling-back'],
    ['swarmDeploy, 3 replicas start-first, behind Caddy', swarm, 'swarm'],
    ['swarmDeploy, broken v3 rolled back by swarm', swarm, 'swarm-broken'],
    ['ssh-deploy strategy: swarm (the action), v1 -> v2', swarmViaAction, 'swarm-action'],
    ['ssh-deploy strategy: swarm, broken v3 rolled back', swarmViaAction, 'swarm-action-broken'],
    ['plain recreate (up -d), 2 services behind Caddy', two, 'recreate'],
    [`rollingUpdate, 2 services together behind Caddy (drain ${DRAIN_MS} ms)`, two, 'rolling'],
    ['plain recreate, behind Caddy, app listening 3 s after it starts', late, 'recreate'],
    ['rollingUpdate, behind Caddy, app listening 3 s after it starts', late, 'rolling'],
  ];
  for (let i = 0; i < RUNS; i++) {
    for (const [label, stack, how] of cases) {
      if (process.env.BENCH_ONLY && !process.env.BENCH_ONLY.split('|').some((t) => label.includes(t)))
        continue;
      if (!stack) continue;
      const r = await round(stack, how);
      results.set(label, [...(results.get(label) ?? []), r]);
    }
  }
  const rows = [];
  const medians = new Map();
  for (const [label, runs] of results) {
    const failed = runs.reduce((a, r) => a + r.failed, 0);
    const sent = runs.reduce((a, r) => a + r.sent, 0);
    const t = median(runs.map((r) => r.elapsed));
    medians.set(label, t);
    const why = [...new Set(runs.flatMap((r) => r.failures))].slice(0, 2).join(', ');
    rows.push([
      label,
      String(runs.length),
      `${failed} / ${sent}`,
      `${(t / 1000).toFixed(2)} s`,
      `${(Math.min(...runs.map((r) => r.elapsed)) / 1000).toFixed(2)}-${(Math.max(...runs.map((r) => r.elapsed)) / 1000).toFixed(2)} s`,
      why || '-',
    ]);
  }
  console.log(
    `v1 -> v2 under ~${RATE} requests/s on 127.0.0.1 (GET /version, 2 s timeout), Compose v2, ${RUNS} round(s):\n`,
  );
  printTable(['rollout', 'runs', 'failed / requests', 'median time', 'range', 'failures seen'], rows);
  const ratio = (a, b) => {
    const [x, y] = [medians.get(cases[a][0]), medians.get(cases[b][0])];
    return x && y ? `${(y / x).toFixed(2)}x` : 'not run';
  };
  // Failed requests over the rows that ran; 'not run' when none of them did (never a 0 for nothing).
  const failedOf = (...rows) => {
    const ran = rows.map((i) => results.get(cases[i][0])).filter((r) => r?.length);
    return ran.length
      ? ran.reduce((sum, runs) => sum + runs.reduce((a, r) => a + r.failed, 0), 0)
      : 'not run';
  };
  console.log(
    `\nrolling / plain recreate, same proxied stack: ${ratio(1, 2)} (instant app; isolated: ${ratio(1, 3)}), ${ratio(4, 5)} (app ready after 5 s); ` +
      `target <= 1.5x.\n2 services, rolling / plain recreate: ${ratio(11, 12)}.` +
      `\napp listening 3 s after it starts: plain recreate ${failedOf(13)} failed, rolling ${failedOf(14)}.` +
      `\nrolling failed requests: ${failedOf(2, 3, 5, 6, 12, 14)} (target: 0; rolled back by rolling: ${failedOf(6)}; 2 services: ${failedOf(12)}).` +
      (swarm ? `\nswarm failed requests: ${failedOf(7, 8)} (target: 0).` : ''),
  );
} finally {
  for (const s of stacks) {
    if (s.kind.startsWith('swarm')) {
      await conn.exec(['docker', 'stack', 'rm', s.project]).catch(() => undefined);
      for (let i = 0; i < 60; i++) {
        const left = await conn.exec([
          'docker',
          'network',
          'ls',
          '-q',
          '--filter',
          `label=com.docker.stack.namespace=${s.project}`,
        ]);
        if (!left.stdout.trim()) break;
        await sleep(1000);
      }
    }
    await conn
      .exec(['docker', 'compose', '-p', s.project, 'down', '-v', '--remove-orphans'], { cwd: s.dir })
      .catch(() => undefined);
    await conn.exec(['rm', '-rf', s.dir]).catch(() => undefined);
  }
  await conn.close();
  rmSync(actionSource, { recursive: true, force: true });
}
