// The demo's break-glass part: GitHub Actions is "down", and an operator rolls the
// staging host back from a terminal with the deploy-actions CLI (dist/cli/index.js):
// the same ssh-deploy code and checks, inputs from deploy/staging.yml, the key from
// the environment. Then `releases` shows the host's release history.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionNode, repoRoot } from '../test/harness/runner.mjs';

const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');

/** Runs the CLI as an operator would; its output goes to this terminal, indented. */
function cli(args, { cwd, env }) {
  // The bundles' Node (the lab's Node 24, as the harness picks it), whatever Node runs the demo.
  const run = spawnSync(actionNode().path, [cliPath, ...args], { cwd, env, encoding: 'utf8' });
  const text = `${run.stderr}${run.stdout}`.trimEnd();
  if (text) console.log(text.replace(/^/gm, '    '));
  return run;
}

/**
 * Rolls the host back to the release before the one it serves, from the terminal.
 * `expectLive` is what /version answered while that release was live. Returns the problems found.
 */
export async function breakGlassRollback(lab, ctx, { expectLive, dbPassword }) {
  const paint = (code, t) =>
    process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[${code}m${t}\u001b[0m` : t;
  console.log(paint('1', '\n▶ Break-glass: roll back from a terminal with the CLI (no GitHub Actions)'));
  const problems = [];
  // What a deploy repo keeps per environment: no secrets (those come from the environment).
  const repo = mkdtempSync(join(ctx.workDir, 'break-glass-'));
  mkdirSync(join(repo, 'deploy'));
  const staging = [
    `host: ${lab.sshHost}:${lab.sshPort}`,
    `username: ${lab.user}`,
    `known-hosts: ${lab.knownHostsPath}`,
    `remote-dir: ${ctx.remoteDir}`,
    `project-name: ${ctx.project}`,
    'env-files: deploy.env',
    'services: [db, app]',
    `health-url: http://127.0.0.1:${ctx.port}/api/ready`,
    'health-timeout: 25s',
  ].join('\n');
  writeFileSync(join(repo, 'deploy', 'staging.yml'), `${staging}\n`);
  console.log(paint('2', `  deploy/staging.yml:\n${staging.replace(/^/gm, '    ')}`));
  const env = { ...process.env, INPUT_PRIVATE_KEY: readFileSync(lab.privateKeyPath, 'utf8') };
  for (const k of Object.keys(env)) if (/^(GITHUB_|RUNNER_)/.test(k)) delete env[k];

  console.log(paint('2', '  $ INPUT_PRIVATE_KEY="$(cat key)" deploy-actions rollback --env staging'));
  const rollback = cli(['rollback', '--env', 'staging'], { cwd: repo, env });
  if (rollback.status !== 0) problems.push(`the CLI rollback exited ${rollback.status}`);

  console.log(paint('2', '  $ deploy-actions releases --env staging'));
  const releases = cli(['releases', '--env', 'staging'], { cwd: repo, env });
  if (releases.status !== 0) problems.push(`the CLI releases exited ${releases.status}`);

  const live = await fetch(`http://127.0.0.1:${ctx.port}/version`).then(
    (r) => (r.ok ? r.text() : `HTTP ${r.status}`),
    () => 'nothing',
  );
  console.log(`\n  host now serves: ${paint('1', live)}`);
  if (expectLive && live.split(' ')[0] !== expectLive.split(' ')[0])
    problems.push(`after the CLI rollback the host serves '${live}', not '${expectLive}'`);
  rmSync(repo, { recursive: true, force: true });
  const shown = `${rollback.stdout}${rollback.stderr}${releases.stdout}${releases.stderr}`;
  if (shown.includes(dbPassword)) problems.push('the CLI showed the DB_PASSWORD secret');
  if (/^::/m.test(shown)) problems.push('the CLI wrote workflow commands (::...::) to a terminal');
  return problems;
}
