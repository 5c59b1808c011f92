// `npm run demo`: two signed releases of the demo stack (app + migrator + db) and a broken
// third, deployed to a staging directory on the lab host through the BUNDLED actions, in
// deploy.yml's order: verify-signature → render-env → ssh-deploy → wait-ready (→ rollback).
// The release → deploy chain and the runner emulation are the tests' own
// (test/harness/chain.mjs, test/harness/runner.mjs); the images are the lab's (test/lab/images).
// Each step's job summary is printed as text, then a table of what happened.
// Exit code: 0 unless a stage did something it must not (failed on a good release,
// succeeded on the broken one, leaked a secret).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deployJob,
  labReleaseImages,
  makeSigningKey,
  publishRelease,
  readLab,
  stackJob,
} from '../test/harness/chain.mjs';
import { repoRoot, visibleText } from '../test/harness/runner.mjs';
import { breakGlassRollback } from './break-glass.mjs';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = (t) => paint('1', t);
const dim = (t) => paint('2', t);
const ok = (t) => paint('32', t);
const bad = (t) => paint('31', t);

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const indent = (text, pad = '    ') =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

/** Markdown job summary → text a terminal shows well. */
function summaryText(markdown) {
  return markdown
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------
// Releases: the lab's images, tagged, pushed and signed as release.yml would
// ---------------------------------------------------------------------------

const RELEASES = [
  { id: 1, label: 'release 1', app: 'app_v1', vars: {}, expect: 'live' },
  { id: 2, label: 'release 2', app: 'app_v2', vars: {}, expect: 'live' },
  // Its app never answers /api/ready: ssh-deploy's health gate must put release 2 back.
  { id: 3, label: 'broken release', app: 'app_v2', vars: { APP_READY: 'false' }, expect: 'rolled-back' },
];

/** The tag release.yml would give it: `sha-<commit>`; the demo's commits are stand-ins. */
const releaseTag = (release) =>
  `sha-${createHash('sha1').update(`deploy-actions demo release ${release.id}`).digest('hex')}`;

async function publishReleases(lab, ctx) {
  console.log(bold('\n▶ Pushing and signing three releases of the demo stack'));
  const published = [];
  for (const release of RELEASES) {
    const tag = releaseTag(release);
    const started = Date.now();
    const images = await publishRelease({
      docker: lab.dockerCli,
      repo: `${lab.registry}/${ctx.project}`,
      tag,
      images: labReleaseImages(lab, lab.images[release.app]),
      privateKeyPem: ctx.key.privateKeyPem,
    });
    console.log(
      `  ${release.label.padEnd(15)} ${tag.slice(0, 16)}…  app ${images.APP_IMAGE.split('@')[1].slice(0, 19)}…  signed  ${dim(seconds(Date.now() - started))}`,
    );
    published.push({ ...release, tag, images });
  }
  return published;
}

// ---------------------------------------------------------------------------
// The deploy job, as deploy.yml runs it
// ---------------------------------------------------------------------------

function printStep(label, run) {
  const mark = run.exitCode === 0 ? ok('✔') : bad('✘');
  console.log(
    `\n  ${mark} ${bold(label)}  ${run.exitCode === 0 ? 'passed' : 'failed'}${dim(`  ${seconds(run.durationMs)}`)}`,
  );
  if (label.startsWith('post ')) return;
  const text = summaryText(run.summary);
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  if (text) console.log(indent(text));
  else if (errors.length) console.log(indent(errors.join('\n')));
}

async function deployRelease(lab, ctx, release) {
  console.log(bold(`\n▶ Deploying ${release.label} (${release.tag.slice(0, 16)}…) to staging`));
  const problems = [];
  const workspace = mkdtempSync(join(ctx.workDir, `deploy-${release.id}-`));
  cpSync(join(repoRoot, 'demo', 'stack'), join(workspace, 'stack'), { recursive: true });
  const steps = [];

  const job = await deployJob({
    workspace,
    images: release.images,
    publicKey: ctx.publicKeyPath,
    vars: { APP_PORT: String(ctx.port), APP_MESSAGE: release.label, ...release.vars },
    secrets: { DB_PASSWORD: ctx.dbPassword },
    // bundle, lock, database first, the migrator as a one-off job, the app, a health gate
    // that rolls back by itself; the strict hardening policy
    ...stackJob({
      lab,
      remoteDir: ctx.remoteDir,
      project: ctx.project,
      port: ctx.port,
      healthTimeout: '25s',
      policy: 'strict',
    }),
    onStep: (label, run) => {
      steps.push({ label, run });
      printStep(label, run);
    },
  });

  for (const [variable, pushed] of Object.entries(release.images)) {
    if (job.pinned[variable] && job.pinned[variable] !== pushed)
      problems.push(
        `verify-signature pinned ${variable} to ${job.pinned[variable]}, not the pushed ${pushed}`,
      );
  }
  if (job.verify.some((run) => run.exitCode !== 0))
    problems.push('a signature did not verify on a release the demo signed itself');
  if (job.render?.exitCode !== 0) problems.push('render-env failed on the demo stack');
  for (const { label, run } of steps) {
    if (label.startsWith('post ') && run.exitCode !== 0) problems.push(`the ${label} step failed`);
    if (visibleText(run).includes(ctx.dbPassword)) problems.push(`${label} showed the DB_PASSWORD secret`);
  }

  // What does the host serve now?
  const live = await fetch(`http://127.0.0.1:${ctx.port}/version`).then(
    (r) => (r.ok ? r.text() : `HTTP ${r.status}`),
    () => 'nothing',
  );
  let outcome = 'failed';
  if (job.rollout?.exitCode === 0 && job.ready?.exitCode === 0) outcome = 'live';
  else if (job.rollout?.outputs['rolled-back'] === 'true' || job.rollback?.exitCode === 0)
    outcome = 'rolled-back';
  if (outcome !== release.expect)
    problems.push(`${release.label} ended '${outcome}', expected '${release.expect}'`);
  if (outcome === 'rolled-back' && live !== ctx.lastLive)
    problems.push(
      `after the rollback the host serves '${live}', not the previous release ('${ctx.lastLive}')`,
    );
  if (outcome === 'live') ctx.lastLive = live;

  // Compose stamps its version into every container it creates: v2 is what ssh-deploy
  // picks when the host has both (the lab keeps v1 installed next to it).
  const composeVersions = composeVersionsOf(lab, ctx.project);
  // The label is the upstream version (2.26.1); `version --short` adds Debian's revision.
  const v2 = lab.composeV2Version?.split('-')[0];
  if (v2 && composeVersions.some((v) => v !== v2))
    problems.push(`the stack runs on Compose ${composeVersions.join(', ')}, not v2 ${lab.composeV2Version}`);
  console.log(
    `\n  host now serves: ${bold(live)}  ${dim(`(Compose ${[...new Set(composeVersions)].join(', ')})`)}`,
  );
  return { release, steps, outcome, live, problems };
}

// ---------------------------------------------------------------------------
// Clean-up and the final table
// ---------------------------------------------------------------------------

const projectFilter = (project) => `label=com.docker.compose.project=${project}`;

/** The com.docker.compose.version label of every running container of the project. */
function composeVersionsOf(lab, project) {
  const ids = execFileSync(lab.dockerCli, ['ps', '-q', '--filter', projectFilter(project)], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  if (!ids.length) return [];
  const format = '{{index .Config.Labels "com.docker.compose.version"}}';
  return execFileSync(lab.dockerCli, ['inspect', '-f', format, ...ids], { encoding: 'utf8' })
    .trim()
    .split('\n');
}

function removeProject(lab, project) {
  const docker = (args) => execFileSync(lab.dockerCli, args, { encoding: 'utf8' }).trim();
  const ids = docker(['ps', '-aq', '--filter', projectFilter(project)]);
  if (ids) docker(['rm', '-f', ...ids.split('\n')]);
  const nets = docker(['network', 'ls', '-q', '--filter', projectFilter(project)]);
  if (nets) docker(['network', 'rm', ...nets.split('\n')]);
}

function printTable(results) {
  const columns = ['verify', 'render-env', 'ssh-deploy', 'wait-ready', 'outcome', 'serving'];
  const cell = (result, column) => {
    if (column === 'outcome') return result.outcome;
    if (column === 'serving') return result.live;
    const matching = result.steps.filter(({ label }) =>
      column === 'verify' ? label.startsWith('verify-signature') : label === column,
    );
    if (!matching.length) return '-';
    const statuses = [...new Set(matching.map(({ run }) => (run.exitCode === 0 ? 'passed' : 'failed')))];
    const ms = matching.reduce((sum, { run }) => sum + run.durationMs, 0);
    return `${statuses.join('/')} ${seconds(ms)}`;
  };
  const rows = results.map((r) => [r.release.label, ...columns.map((c) => cell(r, c))]);
  const header = ['deploy', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(bold(`\n▶ Summary`));
  console.log(`  ${bold(line(header))}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}

async function main() {
  const lab = readLab();
  if (!lab) throw new Error('.lab/lab.json is missing: run npm run lab:up');
  const project = process.env.DEMO_PROJECT ?? 'demo-staging';
  const workDir = join(repoRoot, '.lab', 'demo', project);
  mkdirSync(workDir, { recursive: true });
  const key = makeSigningKey();
  const publicKeyPath = join(workDir, 'cosign.pub');
  writeFileSync(publicKeyPath, key.publicKeyPem);
  const ctx = {
    workDir,
    key,
    publicKeyPath,
    dbPassword: `demo-${randomBytes(12).toString('hex')}`,
    port: Number(process.env.DEMO_PORT ?? 18473),
    project,
    remoteDir: `${lab.remoteBase}/demo/${project}`,
  };

  console.log(bold('deploy-actions demo'));
  console.log(
    dim(
      `  lab host ${lab.sshHost}:${lab.sshPort} (user ${lab.user}), registry ${lab.registry}, stack in ${ctx.remoteDir}, app on 127.0.0.1:${ctx.port}`,
    ),
  );

  // Start from nothing so every run tells the same story.
  removeProject(lab, ctx.project);
  rmSync(ctx.remoteDir, { recursive: true, force: true });

  const releases = await publishReleases(lab, ctx);
  const results = [];
  try {
    for (const release of releases) results.push(await deployRelease(lab, ctx, release));
    // Break-glass: back to release 1 from a terminal, through the CLI.
    if (results[0]?.outcome === 'live' && results[1]?.outcome === 'live')
      results.at(-1).problems.push(
        ...(await breakGlassRollback(lab, ctx, {
          expectLive: results[0].live,
          dbPassword: ctx.dbPassword,
        })),
      );
  } catch (error) {
    // A crash must not leave the stack behind unannounced.
    if (process.env.DEMO_KEEP !== '1') removeProject(lab, ctx.project);
    throw error;
  }

  printTable(results);
  const problems = results.flatMap((r) => r.problems);

  if (process.env.DEMO_KEEP === '1') {
    console.log(`\n  The stack is left running (DEMO_KEEP=1): curl http://127.0.0.1:${ctx.port}/version`);
    console.log(`  Stop it with: docker rm -f $(docker ps -aq --filter ${projectFilter(ctx.project)})`);
  } else {
    removeProject(lab, ctx.project);
    console.log(
      dim(`\n  Cleaned up: the ${ctx.project} containers are removed (DEMO_KEEP=1 leaves them running).`),
    );
  }

  if (problems.length) {
    console.log(bad(`\n✘ The demo found ${problems.length} real problem(s):`));
    for (const p of problems) console.log(bad(`  - ${p}`));
    process.exit(1);
  }
  console.log(ok('\n✔ The whole pipeline ran: two releases live in turn, the broken one rolled back.'));
}

main().catch((error) => {
  console.error(bad(`\n✘ demo failed: ${error.stack ?? error}`));
  process.exit(1);
});
