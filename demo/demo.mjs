// `npm run demo`: two signed releases of the demo stack (app + migrator + db)
// and a broken third, deployed to a staging directory on the lab host through
// the BUNDLED actions, in deploy.yml's order:
//   verify-signature → render-env → ssh-deploy → wait-ready (→ rollback)
// Each step's job summary is printed as text, then a table of what happened.
// A stage whose action is still a skeleton is reported as "not implemented yet"
// and everything that needs it as blocked: the demo never pretends.
// Exit code: 0 unless an implemented stage did something it must not
// (failed on a good release, succeeded on the broken one, leaked a secret).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { breakGlassRollback } from './break-glass.mjs';
import { ensureDemoKey, signImage } from './sign.mjs';
import { notImplemented, repoRoot, runStep, summaryText } from './runner.mjs';

const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = (t) => paint('1', t);
const dim = (t) => paint('2', t);
const ok = (t) => paint('32', t);
const bad = (t) => paint('31', t);
const warn = (t) => paint('33', t);

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const indent = (text, pad = '    ') =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

function loadLab() {
  const path = join(repoRoot, '.lab', 'lab.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run lab:up`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---------------------------------------------------------------------------
// Releases: build, push, sign
// ---------------------------------------------------------------------------

const RELEASES = [
  { id: 1, label: 'release 1', app: { VERSION: '1.0.0' }, migrator: { SCHEMA: '1' }, expect: 'live' },
  { id: 2, label: 'release 2', app: { VERSION: '2.0.0' }, migrator: { SCHEMA: '2' }, expect: 'live' },
  {
    id: 3,
    label: 'broken release',
    app: { VERSION: '3.0.0', BROKEN: 'true' },
    migrator: { SCHEMA: '2' },
    expect: 'rolled-back',
  },
];

/** The tag release.yml would give it: `sha-<commit>`; the demo's commits are stand-ins. */
const releaseTag = (release) =>
  `sha-${createHash('sha1').update(`deploy-actions demo release ${release.id}`).digest('hex')}`;

function buildAndPush(registry, name, tag, buildArgs) {
  const repo = `${registry}/demo/${name}`;
  const args = ['build', '-q', '-t', `${repo}:${tag}`];
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  args.push(join(repoRoot, 'demo', 'images', name));
  execFileSync(DOCKER, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(DOCKER, ['push', '-q', `${repo}:${tag}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const digests = JSON.parse(
    execFileSync(DOCKER, ['inspect', '--format', '{{json .RepoDigests}}', `${repo}:${tag}`], {
      encoding: 'utf8',
    }),
  );
  const pinned = digests.find((d) => d.startsWith(`${repo}@sha256:`));
  if (!pinned) throw new Error(`the registry reported no digest for ${repo}:${tag}`);
  return pinned;
}

async function publishReleases(lab, privateKeyPem) {
  console.log(bold('\n▶ Building, pushing and signing three releases of the demo stack'));
  const published = [];
  for (const release of RELEASES) {
    const tag = releaseTag(release);
    const started = Date.now();
    const images = {
      APP_IMAGE: buildAndPush(lab.registry, 'app', tag, release.app),
      MIGRATOR_IMAGE: buildAndPush(lab.registry, 'migrator', tag, release.migrator),
      DB_IMAGE: buildAndPush(lab.registry, 'db', tag, {}),
    };
    for (const ref of Object.values(images)) await signImage(ref, privateKeyPem);
    console.log(
      `  ${release.label.padEnd(15)} ${tag.slice(0, 16)}…  app ${images.APP_IMAGE.split('@')[1].slice(0, 19)}…  signed  ${dim(seconds(Date.now() - started))}`,
    );
    published.push({ ...release, tag, images });
  }
  return published;
}

// ---------------------------------------------------------------------------
// The deploy chain, as deploy.yml runs it
// ---------------------------------------------------------------------------

/** Everything a person could read from a step, minus the mask commands themselves. */
const visibleText = (run) =>
  [
    run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
  ].join('\n');

function stageFrom(label, run) {
  if (notImplemented(run)) return { label, status: 'not implemented yet', ms: run.ms, run };
  return { label, status: run.exitCode === 0 ? 'passed' : 'failed', ms: run.ms, run };
}

function printStage(stage) {
  const mark =
    stage.status === 'passed'
      ? ok('✔')
      : stage.status === 'failed'
        ? bad('✘')
        : stage.status.startsWith('blocked')
          ? dim('·')
          : warn('○');
  console.log(
    `\n  ${mark} ${bold(stage.label)}  ${stage.status}${stage.ms !== undefined ? dim(`  ${seconds(stage.ms)}`) : ''}`,
  );
  if (stage.note) console.log(indent(stage.note));
  if (!stage.run || stage.status === 'not implemented yet') return;
  const text = summaryText(stage.run.summary);
  if (text) console.log(indent(text));
  else if (stage.run.errors.length) console.log(indent(stage.run.errors.join('\n')));
}

async function deployRelease(lab, ctx, release) {
  console.log(bold(`\n▶ Deploying ${release.label} (${release.tag.slice(0, 16)}…) to staging`));
  const stages = [];
  const problems = [];
  const secrets = { DB_PASSWORD: ctx.dbPassword };
  const workspace = mkdtempSync(join(ctx.workDir, `deploy-${release.id}-`));
  cpSync(join(repoRoot, 'demo', 'stack'), join(workspace, 'stack'), { recursive: true });
  const runs = [];
  const add = (stage) => {
    stages.push(stage);
    if (stage.run) runs.push(stage.run);
    printStage(stage);
    return stage;
  };

  // 1. verify-signature, once per image
  let verified = true;
  for (const [name, ref] of Object.entries(release.images)) {
    const stage = add(
      stageFrom(
        `verify-signature ${name}`,
        await runStep('verify-signature', { workspace, inputs: { image: ref, key: ctx.publicKeyPath } }),
      ),
    );
    if (stage.status === 'failed') verified = false;
    if (
      stage.status === 'passed' &&
      stage.run.outputs['image-ref'] &&
      stage.run.outputs['image-ref'] !== ref
    ) {
      problems.push(
        `verify-signature pinned ${name} to ${stage.run.outputs['image-ref']}, not the pushed ${ref}`,
      );
    }
  }
  if (!verified) problems.push('a signature did not verify on a release the demo signed itself');

  // 2. render-env (the digests come from the push when verification is not there yet)
  const renderInputs = {
    template: 'stack/.env.example',
    vars: [
      ...Object.entries(release.images).map(([k, v]) => `${k}=${v}`),
      `APP_PORT=${ctx.port}`,
      `APP_MESSAGE=${release.label}`,
    ].join('\n'),
    secrets: JSON.stringify(secrets),
    output: 'stack/deploy.env',
    'compose-file': 'stack/docker-compose.yml',
    'require-digest': 'true',
    policy: 'strict',
  };
  const render = verified
    ? add(stageFrom('render-env', await runStep('render-env', { workspace, inputs: renderInputs })))
    : add({ label: 'render-env', status: 'blocked (a signature failed)' });
  if (render.status === 'failed') problems.push('render-env failed on the demo stack');

  // 3. ssh-deploy: bundle, lock, migrate, start, health gate, rollback on its own
  const connection = {
    host: `${lab.sshHost}:${lab.sshPort}`,
    username: lab.user,
    'private-key': readFileSync(lab.privateKeyPath, 'utf8'),
    'known-hosts': lab.knownHostsPath,
  };
  const healthUrl = `http://127.0.0.1:${ctx.port}/api/ready`;
  const rollout = {
    ...connection,
    'source-dir': 'stack',
    'remote-dir': ctx.remoteDir,
    'project-name': ctx.project,
    'env-files': 'deploy.env',
    'services-first': 'db',
    'migrate-service': 'migrator',
    services: 'db\napp',
    'health-url': healthUrl,
    'health-timeout': '25s',
  };
  let deploy;
  if (render.status === 'passed')
    deploy = add(stageFrom('ssh-deploy', await runStep('ssh-deploy', { workspace, inputs: rollout })));
  else deploy = add({ label: 'ssh-deploy', status: 'blocked (needs render-env)' });

  // 4. wait-ready from the runner's side; 5. roll back when it fails
  let ready;
  if (deploy.status === 'passed') {
    ready = add(
      stageFrom(
        'wait-ready',
        await runStep('wait-ready', {
          workspace,
          inputs: { url: healthUrl, timeout: '20s', interval: '1s' },
        }),
      ),
    );
    if (ready.status === 'failed') {
      add(
        stageFrom(
          'ssh-deploy rollback',
          await runStep('ssh-deploy', { workspace, inputs: { ...rollout, rollback: 'previous' } }),
        ),
      );
    }
  } else if (deploy.status === 'failed' && deploy.run.outputs['rolled-back'] === 'true') {
    ready = add({ label: 'wait-ready', status: 'skipped (ssh-deploy already rolled back)' });
  } else {
    ready = add({ label: 'wait-ready', status: 'blocked (needs ssh-deploy)' });
  }

  // The runner's post steps: remove the rendered env file and the key files.
  for (const run of [...runs].reverse()) {
    if (!['render-env', 'ssh-deploy', 'wait-ready'].includes(run.name) || notImplemented(run)) continue;
    const post = await runStep(run.name, { workspace, main: run });
    if (post.exitCode !== 0)
      console.log(warn(`    post step of ${run.name} failed: ${post.errors.join('; ')}`));
    runs.push(post);
  }

  for (const run of runs) {
    if (visibleText(run).includes(ctx.dbPassword)) problems.push(`${run.name} showed the DB_PASSWORD secret`);
  }

  // What does the host serve now?
  const live = await fetch(`http://127.0.0.1:${ctx.port}/version`).then(
    (r) => (r.ok ? r.text() : `HTTP ${r.status}`),
    () => 'nothing',
  );
  const rolledBack =
    deploy.run?.outputs['rolled-back'] === 'true' ||
    stages.some((s) => s.label === 'ssh-deploy rollback' && s.status === 'passed');
  let outcome;
  if (deploy.status === 'passed' && ready?.status === 'passed') outcome = 'live';
  else if (rolledBack) outcome = 'rolled-back';
  else if (stages.some((s) => s.status === 'not implemented yet' || s.status.startsWith('blocked')))
    outcome = 'partial';
  else outcome = 'failed';

  if (outcome !== 'partial' && outcome !== release.expect) {
    problems.push(`${release.label} ended '${outcome}', expected '${release.expect}'`);
  }
  if (release.expect === 'rolled-back' && outcome === 'rolled-back' && !live.startsWith(ctx.lastLive ?? '')) {
    problems.push(`after the rollback the host serves '${live}', not the previous release`);
  }
  if (outcome === 'live') ctx.lastLive = live.split(' ')[0];
  // Compose stamps its version into every container it creates: v2 is what ssh-deploy
  // picks when the host has both (the lab keeps v1 installed next to it).
  const composeVersions = composeVersionsOf(ctx.project);
  // The label is the upstream version (2.26.1); `version --short` adds Debian's revision.
  const v2 = lab.composeV2Version?.split('-')[0];
  if (v2 && composeVersions.some((v) => v !== v2)) {
    problems.push(`the stack runs on Compose ${composeVersions.join(', ')}, not v2 ${lab.composeV2Version}`);
  }
  console.log(
    `\n  host now serves: ${bold(live)}  ${dim(`(Compose ${[...new Set(composeVersions)].join(', ')})`)}`,
  );
  return { release, stages, outcome, live, problems };
}

// ---------------------------------------------------------------------------
// Clean-up and the final table
// ---------------------------------------------------------------------------

/** The com.docker.compose.version label of every running container of the project. */
function composeVersionsOf(project) {
  const ids = execFileSync(DOCKER, ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter(Boolean);
  if (!ids.length) return [];
  return execFileSync(
    DOCKER,
    ['inspect', '-f', '{{index .Config.Labels "com.docker.compose.version"}}', ...ids],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n');
}

function removeProject(project) {
  const ids = execFileSync(DOCKER, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], {
    encoding: 'utf8',
  }).trim();
  if (ids) execFileSync(DOCKER, ['rm', '-f', ...ids.split('\n')], { stdio: 'ignore' });
  const nets = execFileSync(
    DOCKER,
    ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`],
    { encoding: 'utf8' },
  ).trim();
  if (nets) execFileSync(DOCKER, ['network', 'rm', ...nets.split('\n')], { stdio: 'ignore' });
}

function printTable(results) {
  const columns = ['verify', 'render-env', 'ssh-deploy', 'wait-ready', 'outcome', 'serving'];
  const cell = (result, column) => {
    if (column === 'outcome') return result.outcome;
    if (column === 'serving') return result.live;
    const matching = result.stages.filter((s) =>
      column === 'verify' ? s.label.startsWith('verify-signature') : s.label === column,
    );
    if (!matching.length) return '-';
    const statuses = [...new Set(matching.map((s) => s.status.split(' (')[0]))];
    const ms = matching.reduce((sum, s) => sum + (s.ms ?? 0), 0);
    return `${statuses.join('/')}${ms ? ` ${seconds(ms)}` : ''}`;
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
  const lab = loadLab();
  const workDir = join(repoRoot, '.lab', 'demo');
  mkdirSync(workDir, { recursive: true });
  const { privatePath, publicPath } = ensureDemoKey(join(workDir, 'cosign.key'), join(workDir, 'cosign.pub'));
  const ctx = {
    workDir,
    publicKeyPath: publicPath,
    dbPassword: `demo-${randomBytes(12).toString('hex')}`,
    port: Number(process.env.DEMO_PORT ?? 18473),
    project: 'demo-staging',
    remoteDir: `${lab.remoteBase}/demo/staging`,
  };

  console.log(bold('deploy-actions demo'));
  console.log(
    dim(
      `  lab host ${lab.sshHost}:${lab.sshPort} (user ${lab.user}), registry ${lab.registry}, stack in ${ctx.remoteDir}, app on 127.0.0.1:${ctx.port}`,
    ),
  );

  // Start from nothing so every run tells the same story.
  removeProject(ctx.project);
  rmSync(ctx.remoteDir, { recursive: true, force: true });

  const releases = await publishReleases(lab, readFileSync(privatePath, 'utf8'));
  const results = [];
  try {
    for (const release of releases) results.push(await deployRelease(lab, ctx, release));
    // Break-glass: back to release 1 from a terminal, through the CLI.
    if (results[0]?.outcome === 'live' && results[1]?.outcome === 'live')
      results.at(-1).problems.push(
        ...(await breakGlassRollback(lab, ctx, { expectLive: results[0].live, dbPassword: ctx.dbPassword })),
      );
  } catch (error) {
    // A crash must not leave the stack behind unannounced.
    if (process.env.DEMO_KEEP !== '1') removeProject(ctx.project);
    throw error;
  }

  printTable(results);
  const missing = [
    ...new Set(
      results.flatMap((r) =>
        r.stages.filter((s) => s.status === 'not implemented yet').map((s) => s.label.split(' ')[0]),
      ),
    ),
  ];
  const problems = results.flatMap((r) => r.problems);
  if (missing.length)
    console.log(
      warn(
        `\n  The pipeline is PARTIAL: ${missing.join(', ')} not implemented yet; the stages after it did not run.`,
      ),
    );

  if (process.env.DEMO_KEEP === '1') {
    console.log(`\n  The stack is left running (DEMO_KEEP=1): curl http://127.0.0.1:${ctx.port}/version`);
    console.log(
      `  Stop it with: docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=${ctx.project})`,
    );
  } else {
    removeProject(ctx.project);
    console.log(
      dim(`\n  Cleaned up: the ${ctx.project} containers are removed (DEMO_KEEP=1 leaves them running).`),
    );
  }

  if (problems.length) {
    console.log(bad(`\n✘ The demo found ${problems.length} real problem(s):`));
    for (const p of problems) console.log(bad(`  - ${p}`));
    process.exit(1);
  }
  console.log(
    ok(
      missing.length
        ? '\n✔ Every implemented stage behaved as it must.'
        : '\n✔ The whole pipeline ran: two releases live in turn, the broken one rolled back.',
    ),
  );
}

main().catch((error) => {
  console.error(bad(`\n✘ demo failed: ${error.stack ?? error}`));
  process.exit(1);
});
