// wait-ready against what users write instead, measured in the same run on 127.0.0.1:
//
// 1. Detection latency: a local service answers 503 and turns ready (200) at a random moment;
//    the time from that moment until each waiter's process exits. All waiters of a sample run
//    at once against their own copy of the service, which flips at the same instant.
//    Waiters: the bundled action with default and tight settings, the shell loop
//    `until curl -fsS URL; do sleep 2; done`, and `curl --retry 30 --retry-all-errors -fsS URL`
//    (curl's own backoff: 1s, 2s, 4s, ... capped at 10 min).
//    Short outage: ready after 1-6 s (6 samples). Long outage: ready after 15-20 s (2 samples),
//    where backoff matters.
// 2. Per-probe overhead against a ready service: one probeOnce() in-process (the library the
//    action and ssh-deploy's health gate use), one `curl -fsS` spawned, and the whole action
//    (process start, one probe, outputs, summary) against a service that is already ready.
//
// Needs `npm run build -- wait-ready` first (dist/ and packages/probe/lib). Env: BENCH_SAMPLES.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { actionNode, prepareStep, repoRoot as root } from '../test/harness/runner.mjs';
import { median, ms, printTable } from './stats.mjs';

const { probeOnce, parseStatusMatcher } = await import(join(root, 'packages/probe/lib/index.js'));
const SHORT_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 6);
const LONG_SAMPLES = Math.max(1, Math.round(SHORT_SAMPLES / 3));

/** A service that answers 503 until `flip()`, then 200. */
async function flippingService() {
  let ready = false;
  const server = createServer((_req, res) => {
    res.statusCode = ready ? 200 : 503;
    res.end(ready ? 'ready' : 'starting');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/ready`,
    flip: () => (ready = true),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The bundled action as the runner starts it (Node 24, its env): [command, args, env]. */
function bundle(inputs) {
  const step = prepareStep('wait-ready', { inputs });
  return [step.argv[0], step.argv.slice(1), step.env];
}

const waiters = {
  'wait-ready (defaults: 2s, max 15s)': (url) => bundle({ url }),
  'wait-ready (tight: 250ms, max 1s)': (url) => bundle({ url, interval: '250ms', 'max-interval': '1s' }),
  'until curl -fsS; do sleep 2; done': (url) => [
    'sh',
    ['-c', `until curl -fsS -o /dev/null "$0"; do sleep 2; done`, url],
    process.env,
  ],
  'curl --retry 30 --retry-all-errors': (url) => [
    'curl',
    ['-fsS', '-o', '/dev/null', '--retry', '30', '--retry-all-errors', url],
    process.env,
  ],
};

function run([command, args, env]) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
}

async function sample(flipAfterMs) {
  const services = await Promise.all(Object.keys(waiters).map(() => flippingService()));
  const exits = Object.values(waiters).map((make, i) => run(make(services[i].url)));
  await new Promise((resolve) => setTimeout(resolve, flipAfterMs));
  const flippedAt = performance.now();
  for (const s of services) s.flip();
  const results = await Promise.all(exits);
  await Promise.all(services.map((s) => s.close()));
  return results.map(({ code, at }) => {
    if (code !== 0) throw new Error(`a waiter exited with ${code}`);
    return at - flippedAt;
  });
}

async function detection(title, samples, minMs, spanMs) {
  const latencies = Object.keys(waiters).map(() => []);
  for (let i = 0; i < samples; i++) {
    const flipAfter = minMs + Math.random() * spanMs;
    (await sample(flipAfter)).forEach((l, w) => latencies[w].push(l));
  }
  console.log(
    `\nDetection latency, ${title} (${samples} samples; time from turning ready to the waiter's exit)`,
  );
  printTable(
    ['waiter', 'median', 'max'],
    Object.keys(waiters).map((name, w) => [name, ms(median(latencies[w])), ms(Math.max(...latencies[w]))]),
  );
}

async function overhead() {
  const server = createServer((_req, res) => res.end('ready'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/api/ready`;
  const spec = {
    url,
    method: 'GET',
    headers: {},
    expectStatus: parseStatusMatcher('200-299'),
    requestTimeoutMs: 5000,
    insecureTls: false,
  };
  const time = async (runs, fn) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await fn();
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const inProcess = await time(300, async () => {
    const outcome = await probeOnce(spec, { timeoutMs: 5000 });
    if (!outcome.ok) throw new Error(outcome.error);
  });
  // spawnSync would block the server in this very process, so the spawns are awaited.
  const curlOnce = await time(30, () => run(['curl', ['-fsS', '-o', '/dev/null', url], process.env]));
  const actionOnce = await time(15, async () => {
    const { code } = await run(bundle({ url }));
    if (code !== 0) throw new Error(`wait-ready exited with ${code}`);
  });
  const nodeOnly = await time(15, () => run([actionNode().path, ['-e', ''], process.env]));
  server.closeAllConnections();
  server.close();
  console.log('\nPer-probe overhead against a ready service (median)');
  printTable(
    ['what', 'time'],
    [
      ['probeOnce() in-process (library, per probe)', ms(inProcess)],
      ['curl -fsS, one spawned process', ms(curlOnce)],
      ['wait-ready action, whole step (node start + 1 probe)', ms(actionOnce)],
      [`bare \`node -e ""\` start (${actionNode().version}, the bundle's), for reference`, ms(nodeOnly)],
    ],
  );
}

if (spawnSync('curl', ['--version']).status !== 0) throw new Error('curl is needed for the comparison');
await overhead();
await detection('short outage: ready after 1-6 s', SHORT_SAMPLES, 1000, 5000);
await detection('long outage: ready after 15-20 s', LONG_SAMPLES, 15_000, 5000);
