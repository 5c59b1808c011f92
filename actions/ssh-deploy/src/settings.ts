import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputReader } from '@deploy-actions/action-kit';
import { normalisePreservePattern, type DeploySettings, type ReleaseOrigin } from '@deploy-actions/deploy';
import { parseProbeUrl } from '@deploy-actions/probe';
import { readSshConnectionInputs, type SshConnectionSettings, type SshTarget } from '@deploy-actions/ssh';
import { checkRemoteDir } from './remote-dir.js';

// Compose's own rule for project names; anything else would be rejected (or rewritten) by compose.
const PROJECT_NAME = /^(?:[a-z0-9]|\{host\})(?:[a-z0-9_-]|\{host\})*$/;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ActionSettings {
  transport: 'ssh' | 'local';
  /** SSH targets; empty for `transport: local`. */
  targets: SshTarget[];
  ssh?: SshConnectionSettings;
  deploy: DeploySettings;
  parallel: number;
  failFast: boolean;
  /** `deploy`, or `plan` (what a deploy would change) / `check` (drift from the recorded release): read-only. */
  mode: 'deploy' | 'plan' | 'check';
  failOnDrift: boolean;
}

/** A new release id: sortable by time, then the commit, then a random tail so two runs in one second differ. */
export function newReleaseId(now: Date, commit: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${(commit || 'local').slice(0, 7)}-${randomBytes(2).toString('hex')}`;
}

function checkNames(
  inputs: InputReader,
  name: string,
  values: readonly string[],
  pattern: RegExp,
  what: string,
): void {
  for (const value of values) inputs.check(pattern.test(value), name, `'${value}' is not a valid ${what}.`);
}

function checkHostPaths(inputs: InputReader, name: string, values: readonly string[]): void {
  for (const value of values) inputs.check(!/[\0\r\n]/.test(value), name, `'${value}' is not a usable path.`);
}

/** `strategy: swarm` deploys the whole stack file on a manager: inputs of the compose rollout that cannot apply are refused. */
function checkSwarmInputs(
  inputs: InputReader,
  v: {
    projectName?: string;
    servicesFirst: string[];
    services: string[];
    build: boolean;
    composeVersion: string;
  },
): void {
  inputs.check(
    v.projectName !== undefined,
    'project-name',
    'is required with strategy: swarm: it names the stack (swarm names the services <project-name>_<service>).',
  );
  inputs.check(
    v.servicesFirst.length === 0,
    'services-first',
    'does not apply with strategy: swarm: a stack deploy updates every service at once; order updates with healthchecks and deploy.update_config instead.',
  );
  inputs.check(
    v.services.length === 0,
    'services',
    'does not apply with strategy: swarm: a stack deploy updates the whole stack file (put other services in another stack).',
  );
  inputs.check(
    !v.build,
    'build',
    'does not apply with strategy: swarm: swarm builds nothing; every node pulls the image (build and push it first).',
  );
  inputs.check(
    v.composeVersion !== 'v1',
    'compose-version',
    'v1 does not apply with strategy: swarm: the stack file is rendered with Compose v2 (`docker compose config`).',
  );
}

/** Reads every input into typed settings; problems are recorded on the reader and thrown by `finish()`. */
export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv): ActionSettings {
  const transport = inputs.enum('transport', ['ssh', 'local'] as const, { default: 'ssh' });
  const connection = transport === 'ssh' ? readSshConnectionInputs(inputs, { required: true }) : undefined;

  const remoteDirInput = inputs.string('remote-dir', { required: true });
  // Normalised first (`/.`, `//`, trailing `/`), then checked, also as each host will see it ({host}).
  let remoteDir = remoteDirInput;
  if (remoteDirInput !== '') {
    const checked = checkRemoteDir(remoteDirInput);
    if ('problem' in checked) inputs.problem('remote-dir', checked.problem);
    else {
      remoteDir = checked.dir;
      if (remoteDir.includes('{host}')) {
        for (const target of connection?.targets ?? []) {
          const forHost = checkRemoteDir(
            remoteDir.replaceAll('{host}', target.host.replace(/[^A-Za-z0-9._-]/g, '-')),
          );
          if ('problem' in forHost)
            inputs.problem('remote-dir', `for host ${target.host}: ${forHost.problem}`);
        }
      }
    }
  }
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const sourceDir = resolve(workspace, inputs.string('source-dir', { default: '.' })!);
  const rollback = inputs.string('rollback');
  const mode = inputs.enum('mode', ['deploy', 'plan', 'check'] as const, { default: 'deploy' });
  const failOnDrift = inputs.boolean('fail-on-drift', { default: true });
  inputs.check(
    !(rollback && mode !== 'deploy'),
    'mode',
    `${mode} does not apply to a rollback; leave rollback empty.`,
  );
  if (!rollback && mode !== 'check') {
    inputs.check(
      existsSync(sourceDir) && statSync(sourceDir).isDirectory(),
      'source-dir',
      `'${sourceDir}' is not a directory.`,
    );
  } else if (rollback) {
    inputs.check(
      rollback === 'previous' || RELEASE_ID.test(rollback),
      'rollback',
      `'${rollback}' is neither 'previous' nor a release id.`,
    );
  }
  const files = inputs.multiline('files');
  const preserve = inputs.multiline('preserve', {
    default: ['.env', 'docker-compose.override.yml', 'data/', 'logs/'],
  });
  const preserveProblems = preserve.flatMap((p) => {
    const n = normalisePreservePattern(p);
    return 'problem' in n ? [n.problem] : [];
  });
  for (const problem of preserveProblems) inputs.problem('preserve', `${problem}.`);
  const keepReleases = inputs.integer('keep-releases', { default: 5, min: 2, max: 100 });
  const strategyInput = inputs.enum('strategy', ['compose', 'rolling', 'script', 'swarm'] as const, {
    default: 'compose',
  });
  // `rolling` is the compose rollout with a zero-downtime replacement of some services.
  const strategy = strategyInput === 'rolling' ? 'compose' : strategyInput;
  const rollingServices = inputs.multiline('rolling-services', { commas: true });
  checkNames(inputs, 'rolling-services', rollingServices, SERVICE_NAME, 'service name');
  const rollingDrainMs = inputs.duration('rolling-drain', { default: '1s' });
  if (strategyInput !== 'rolling')
    inputs.check(rollingServices.length === 0, 'rolling-services', 'applies only with strategy: rolling.');
  const composeFiles = inputs.multiline('compose-files');
  checkHostPaths(inputs, 'compose-files', composeFiles);
  const envFiles = inputs.multiline('env-files');
  checkHostPaths(inputs, 'env-files', envFiles);
  const projectName = inputs.string('project-name');
  if (projectName !== undefined) {
    inputs.check(
      PROJECT_NAME.test(projectName),
      'project-name',
      `'${projectName}' is not a compose project name: use lowercase letters, digits, '-' and '_', starting with a letter or digit.`,
    );
  }
  const servicesFirst = inputs.multiline('services-first', { commas: true });
  checkNames(inputs, 'services-first', servicesFirst, SERVICE_NAME, 'service name');
  const migrateService = inputs.string('migrate-service');
  if (migrateService !== undefined)
    checkNames(inputs, 'migrate-service', [migrateService], SERVICE_NAME, 'service name');
  const services = inputs.multiline('services', { commas: true });
  checkNames(inputs, 'services', services, SERVICE_NAME, 'service name');
  const pull = inputs.boolean('pull', { default: true });
  const build = inputs.boolean('build', { default: false });
  const preDeploy = inputs.string('pre-deploy');
  const postDeploy = inputs.string('post-deploy');
  const script = inputs.string('script');
  if (strategy === 'script')
    inputs.check(script !== undefined, 'script', 'is required with strategy: script.');
  const healthUrl = inputs.string('health-url');
  if (healthUrl !== undefined) {
    try {
      parseProbeUrl(healthUrl.replaceAll('{host}', 'host'));
    } catch (error) {
      inputs.problem('health-url', (error as Error).message);
    }
  }
  const healthCmd = inputs.string('health-cmd');
  const healthTimeoutMs = inputs.duration('health-timeout', { default: '2m', min: 1000 });
  const lockTimeoutMs = inputs.duration('lock-timeout', { default: '5m' });
  const parallel = inputs.integer('parallel', { default: 1, min: 1, max: 64 });
  const failFast = inputs.boolean('fail-fast', { default: true });
  const dryRun = inputs.boolean('dry-run', { default: false });
  const timeoutMs = inputs.duration('timeout', { default: '30m', min: 1000 });
  const composeVersion = inputs.enum('compose-version', ['auto', 'v2', 'v1'] as const, { default: 'auto' });
  const fleetRollback = inputs.boolean('fleet-rollback', { default: false });
  if (strategy === 'swarm')
    checkSwarmInputs(inputs, { projectName, servicesFirst, services, build, composeVersion });

  const commit = env['GITHUB_SHA'] ?? '';
  const origin: ReleaseOrigin = {
    id: newReleaseId(new Date(), commit),
    commit,
    actor: env['GITHUB_ACTOR'] ?? 'unknown',
    repository: env['GITHUB_REPOSITORY'] ?? 'unknown',
    run: `${env['GITHUB_RUN_ID'] ?? 'local'}/${env['GITHUB_RUN_ATTEMPT'] ?? '1'}`,
    ...(env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY'] && env['GITHUB_RUN_ID']
      ? {
          runUrl: `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`,
        }
      : {}),
  };

  const deploy: DeploySettings = {
    remoteDir,
    sourceDir,
    files,
    preserve,
    keepReleases,
    strategy,
    composeFiles,
    envFiles,
    servicesFirst,
    services,
    pull,
    build,
    healthTimeoutMs,
    lockTimeoutMs,
    dryRun,
    timeoutMs,
    origin,
    composeVersion,
    fleetRollback,
    ...(strategyInput === 'rolling'
      ? { rolling: { services: rollingServices, drainMs: rollingDrainMs } }
      : {}),
    ...(projectName !== undefined ? { projectName } : {}),
    ...(migrateService !== undefined ? { migrateService } : {}),
    ...(preDeploy !== undefined ? { preDeploy } : {}),
    ...(postDeploy !== undefined ? { postDeploy } : {}),
    ...(script !== undefined ? { script } : {}),
    ...(healthUrl !== undefined ? { healthUrl } : {}),
    ...(healthCmd !== undefined ? { healthCmd } : {}),
    ...(rollback !== undefined ? { rollback } : {}),
  };
  return {
    transport,
    targets: connection?.targets ?? [],
    ...(connection ? { ssh: connection.settings } : {}),
    deploy,
    parallel,
    failFast,
    mode,
    failOnDrift,
  };
}
