// The whole release → deploy chain against the lab, through the bundled actions on Node 24,
// as deploy.yml's deploy job runs them (test/harness/chain.mjs, the same chain the pipeline
// e2e test and the demo run): the demo stack (demo/stack) on the lab's images, release A and
// release B deployed in turn, BENCH_RUNS times each (default 2). Prints each step's median wall
// time (process start included: what a job pays per step) and the whole job's.
// Needs the lab (npm run lab:up) and dist/ (npm run build).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deployJob,
  labReleaseImages,
  makeSigningKey,
  publishRelease,
  stackJob,
} from '../test/harness/chain.mjs';
import { actionNode, repoRoot } from '../test/harness/runner.mjs';
import { labOrSkip, median, ms, printTable } from './stats.mjs';

const lab = labOrSkip();
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const name = `bench-pipeline-${randomBytes(3).toString('hex')}`;
const remoteDir = `${lab.remoteBase}/${name}`;
const port = 18600 + Math.floor(Math.random() * 300);
const work = mkdtempSync(join(tmpdir(), `${name}-`));
const key = makeSigningKey();
const publicKey = join(work, 'cosign.pub');
writeFileSync(publicKey, key.publicKeyPem);

const release = (app) =>
  publishRelease({
    docker: lab.dockerCli,
    repo: `${lab.registry}/${name}`,
    tag: `sha-${randomBytes(20).toString('hex')}`,
    images: labReleaseImages(lab, app),
    privateKeyPem: key.privateKeyPem,
  });

const publishMs = [];
const releases = [];
for (const app of [lab.images.app_v1, lab.images.app_v2]) {
  const started = performance.now();
  releases.push(await release(app));
  publishMs.push(performance.now() - started);
}

const times = new Map();
const record = (label, value) => times.set(label, [...(times.get(label) ?? []), value]);
try {
  for (let i = 0; i < RUNS * 2; i++) {
    const workspace = mkdtempSync(join(work, 'job-'));
    cpSync(join(repoRoot, 'demo', 'stack'), join(workspace, 'stack'), { recursive: true });
    const started = performance.now();
    const job = await deployJob({
      workspace,
      images: releases[i % 2],
      publicKey,
      vars: { APP_PORT: String(port), APP_MESSAGE: 'bench' },
      secrets: { DB_PASSWORD: randomBytes(12).toString('hex') },
      ...stackJob({ lab, remoteDir, project: name, port, healthTimeout: '30s', policy: 'strict' }),
      onStep: (label, run) => {
        if (run.exitCode !== 0) throw new Error(`${label} failed:\n${run.stdout}\n${run.stderr}`);
        record(label.startsWith('verify-signature') ? 'verify-signature (one image)' : label, run.durationMs);
      },
    });
    record('whole job', performance.now() - started);
    if (job.ready?.outputs['ready'] !== 'true') throw new Error('the deploy did not end ready');
  }
} finally {
  const docker = (args) => execFileSync(lab.dockerCli, args, { encoding: 'utf8' }).trim();
  const ids = docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${name}`]);
  if (ids) docker(['rm', '-f', ...ids.split('\n')]);
  const nets = docker(['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${name}`]);
  if (nets) docker(['network', 'rm', ...nets.split('\n')]);
  rmSync(remoteDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}

console.log(`${RUNS * 2} deploys (A, B, A, ...), bundles on node ${actionNode().version}; medians\n`);
printTable(
  ['step', 'median', 'max'],
  [
    ['release: tag, push, sign 3 images (per release)', ms(median(publishMs)), ms(Math.max(...publishMs))],
    ...[...times].map(([label, values]) => [label, ms(median(values)), ms(Math.max(...values))]),
  ],
);
